import { describe, expect, it } from 'vitest';
import { CHART_WORKLOADS, STAND_IN_WORKLOADS, kubernetesWorkloads } from './kind-environment.ts';

describe('the workloads a kind Target names for fault injection', () => {
  it("are the chart's and the stand-ins' workloads, with the selectors their pods carry", () => {
    const { namespace, workloads } = kubernetesWorkloads('/tmp/k');
    expect(namespace).toBe('harbor');
    const names = Object.values(workloads).map((w) => w.name);
    expect(
      names.every(
        (n) =>
          (CHART_WORKLOADS as readonly string[]).includes(n) || (STAND_IN_WORKLOADS as readonly string[]).includes(n),
      ),
    ).toBe(true);
    expect(workloads.scanner).toEqual({
      kind: 'StatefulSet',
      name: 'harbor-trivy',
      podSelector: { component: 'trivy', release: 'harbor', app: 'harbor' },
    });
    expect(workloads.upstream).toEqual({
      kind: 'Deployment',
      name: 'upstream',
      podSelector: { 'app.kubernetes.io/name': 'upstream' },
    });
  });
});
