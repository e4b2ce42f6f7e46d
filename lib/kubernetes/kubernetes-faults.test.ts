// Fault injection through the Kubernetes API, against a recording API server: the real client's
// requests (paths, verbs, bodies) are what a cluster would receive.
import { afterEach, describe, expect, it } from 'vitest';
import type { KubernetesWorkloads } from '../target.ts';
import { KubeClusterApi } from './kube-cluster-api.ts';
import { KubernetesFaults, blackHolePolicy } from './kubernetes-faults.ts';
import { startFakeKubeApi, type FakeKubeApi } from './testing/fake-kube-api.ts';

// as the kind environment describes Harbor's chart and its stand-ins (kubernetesWorkloads())
const chart = (component: string, kind: 'Deployment' | 'StatefulSet' = 'Deployment') => ({
  kind,
  name: `harbor-${component}`,
  podSelector: { component, release: 'harbor', app: 'harbor' },
});
const access: KubernetesWorkloads = {
  kubeconfigPath: '/tmp/hc-kind-test/kubeconfig',
  namespace: 'harbor',
  workloads: {
    core: chart('core'),
    jobservice: chart('jobservice'),
    registry: chart('registry'),
    scanner: chart('trivy', 'StatefulSet'),
    upstream: { kind: 'Deployment', name: 'upstream', podSelector: { 'app.kubernetes.io/name': 'upstream' } },
  },
};
let fake: FakeKubeApi | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function faults(route: FakeKubeApi['route']) {
  fake = await startFakeKubeApi();
  fake.route = route;
  return { fake, faults: new KubernetesFaults(access, KubeClusterApi.fromString(fake.kubeconfig)) };
}

const scale = (kind: string, name: string, replicas: number) => ({
  kind: 'Scale',
  apiVersion: 'autoscaling/v1',
  metadata: { name, namespace: 'harbor', resourceVersion: '7' },
  spec: { replicas },
  status: { replicas, selector: `component=${kind}` },
});

describe('Kubernetes fault injection', () => {
  it('scales a component to 0 and back to what it had', async () => {
    const { fake, faults: f } = await faults((r) => {
      if (r.path === '/apis/apps/v1/namespaces/harbor/deployments/harbor-core/scale')
        return { status: 200, body: scale('core', 'harbor-core', r.method === 'PUT' ? 0 : 2) };
      return undefined;
    });
    const undo = await f.scaleToZero('core');
    await undo();
    const writes = fake.requests.filter((r) => r.method === 'PUT');
    expect(writes.map((w) => [w.path, (w.body as { spec: { replicas: number } }).spec.replicas])).toEqual([
      ['/apis/apps/v1/namespaces/harbor/deployments/harbor-core/scale', 0],
      ['/apis/apps/v1/namespaces/harbor/deployments/harbor-core/scale', 2],
    ]);
  });

  it("scales the scanner's StatefulSet through its own scale subresource", async () => {
    const { fake, faults: f } = await faults((r) =>
      r.path.startsWith('/apis/apps/v1/namespaces/harbor/statefulsets/harbor-trivy/scale')
        ? { status: 200, body: scale('trivy', 'harbor-trivy', 1) }
        : undefined,
    );
    await f.scaleToZero('scanner');
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /apis/apps/v1/namespaces/harbor/statefulsets/harbor-trivy/scale',
      'PUT /apis/apps/v1/namespaces/harbor/statefulsets/harbor-trivy/scale',
    ]);
  });

  it("deletes every pod of a component, found by the chart's labels", async () => {
    const { fake, faults: f } = await faults((r) => {
      if (r.method === 'GET' && r.path.startsWith('/api/v1/namespaces/harbor/pods?')) {
        return {
          status: 200,
          body: {
            kind: 'PodList',
            apiVersion: 'v1',
            metadata: {},
            items: [{ metadata: { name: 'harbor-registry-7d-a' } }, { metadata: { name: 'harbor-registry-7d-b' } }],
          },
        };
      }
      if (r.method === 'DELETE')
        return {
          status: 200,
          body: { kind: 'Pod', apiVersion: 'v1', metadata: { name: r.path.split('/').pop()?.split('?')[0] } },
        };
      return undefined;
    });
    expect(await f.deletePods('registry')).toEqual(['harbor-registry-7d-a', 'harbor-registry-7d-b']);
    const list = fake.requests[0]!;
    expect(decodeURIComponent(list.path)).toBe(
      '/api/v1/namespaces/harbor/pods?labelSelector=component=registry,release=harbor,app=harbor',
    );
    expect(fake.requests.slice(1).map((r) => r.path.split('?')[0])).toEqual([
      '/api/v1/namespaces/harbor/pods/harbor-registry-7d-a',
      '/api/v1/namespaces/harbor/pods/harbor-registry-7d-b',
    ]);
    expect(fake.requests[1]!.path).toContain('gracePeriodSeconds=0');
  });

  it('black-holes the upstream for core and jobservice with one NetworkPolicy each, and undoes it', async () => {
    const { fake, faults: f } = await faults((r) =>
      r.path.startsWith('/apis/networking.k8s.io/v1/namespaces/harbor/networkpolicies')
        ? { status: r.method === 'POST' ? 201 : 200, body: r.body ?? { kind: 'Status', status: 'Success' } }
        : undefined,
    );
    const undo = await f.blackHole();
    await undo();
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /apis/networking.k8s.io/v1/namespaces/harbor/networkpolicies',
      'POST /apis/networking.k8s.io/v1/namespaces/harbor/networkpolicies',
      'DELETE /apis/networking.k8s.io/v1/namespaces/harbor/networkpolicies/hc-black-hole-upstream-for-core',
      'DELETE /apis/networking.k8s.io/v1/namespaces/harbor/networkpolicies/hc-black-hole-upstream-for-jobservice',
    ]);
    expect(fake.requests[0]!.body).toEqual(blackHolePolicy(access, 'upstream', 'core'));
  });

  it('removes the policies it made when a later one is refused', async () => {
    let posts = 0;
    const { fake, faults: f } = await faults((r) => {
      if (r.method === 'POST')
        return (posts += 1) === 1
          ? { status: 201, body: r.body }
          : {
              status: 403,
              body: { kind: 'Status', status: 'Failure', reason: 'Forbidden', code: 403, message: 'forbidden' },
            };
      if (r.method === 'DELETE') return { status: 200, body: { kind: 'Status', status: 'Success' } };
      return undefined;
    });
    await expect(f.blackHole()).rejects.toThrow();
    expect(fake.requests.filter((r) => r.method === 'DELETE').map((r) => r.path.split('/').pop())).toEqual([
      'hc-black-hole-upstream-for-core',
    ]);
  });

  it("the policy drops the caller's egress to the target's pods only: other pods, DNS and the outside stay reachable", () => {
    const policy = blackHolePolicy(access, 'upstream', 'jobservice');
    expect(policy.spec).toEqual({
      podSelector: { matchLabels: { component: 'jobservice', release: 'harbor', app: 'harbor' } },
      policyTypes: ['Egress'],
      egress: [
        {
          to: [
            {
              namespaceSelector: {},
              podSelector: {
                matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'NotIn', values: ['upstream'] }],
              },
            },
            { ipBlock: { cidr: '0.0.0.0/0', except: ['10.244.0.0/16', '10.96.0.0/16'] } },
          ],
        },
      ],
    });
    // a chart component is keyed on `component` (the chart's pods all carry app.kubernetes.io/name=harbor)
    expect(
      blackHolePolicy(access, 'registry', 'core').spec?.egress?.[0]?.to?.[0]?.podSelector?.matchExpressions,
    ).toEqual([{ key: 'component', operator: 'NotIn', values: ['registry'] }]);
  });

  it('names a component the environment has no workload for', async () => {
    const f = new KubernetesFaults(
      { ...access, workloads: {} },
      KubeClusterApi.fromString((await startFakeKubeApi().then((a) => (fake = a))).kubeconfig),
    );
    await expect(f.scaleToZero('core')).rejects.toThrow('this Harbor on Kubernetes names no workload for core');
  });
});
