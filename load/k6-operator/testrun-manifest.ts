// A k6-operator TestRun from a scenario: the generated k6 script in a ConfigMap, `parallelism` runner
// pods (k6 splits every level's VUs between them with execution segments), credentials from a Secret the
// team provides (HC_USERNAME / HC_PASSWORD via envFrom; never in the manifest), no automatic cleanup so
// the harness can read the runners' summaries before it deletes both objects itself.
import type { PullPlan } from '../engine/pull-plan.ts';
import { renderK6Script } from '../k6/k6-script.ts';
import type { Scenario } from '../scenarios/scenario-schema.ts';
import type { TestRunManifest } from './testrun-schema.ts';

export interface TestRunOptions {
  /** DNS label, unique per run, e.g. hc-20261201-0916-ab12-smoke-pull. */
  name: string;
  namespace: string;
  parallelism: number;
  /** Secret with HC_USERNAME and HC_PASSWORD. */
  credentialsSecret: string;
  /** Runner image (default grafana/k6 pinned to the version the script is typechecked for). */
  image?: string;
  runId: string;
}

export const DEFAULT_K6_IMAGE = 'grafana/k6:1.8.1';
export const SCRIPT_FILE = 'scenario.k6.ts';

export interface ConfigMapManifest {
  apiVersion: 'v1';
  kind: 'ConfigMap';
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  data: Record<string, string>;
}

export function buildTestRun(
  scenario: Scenario,
  plan: PullPlan,
  options: TestRunOptions,
): { configMap: ConfigMapManifest; testRun: TestRunManifest } {
  const labels = {
    'app.kubernetes.io/managed-by': 'harbor-conformance',
    'harbor-conformance.run-id': options.runId,
    'harbor-conformance.scenario': scenario.name,
  };
  const configMap: ConfigMapManifest = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `${options.name}-script`, namespace: options.namespace, labels },
    data: { [SCRIPT_FILE]: renderK6Script(scenario, plan) },
  };
  const testRun: TestRunManifest = {
    apiVersion: 'k6.io/v1alpha1',
    kind: 'TestRun',
    metadata: { name: options.name, namespace: options.namespace, labels },
    spec: {
      parallelism: options.parallelism,
      script: { configMap: { name: configMap.metadata.name, file: SCRIPT_FILE } },
      arguments: `--tag harbor_conformance_run=${options.runId}`,
      runner: {
        image: options.image ?? DEFAULT_K6_IMAGE,
        envFrom: [{ secretRef: { name: options.credentialsSecret } }],
        metadata: { labels },
        resources: { requests: { cpu: '1', memory: '512Mi' } },
      },
    },
  };
  return { configMap, testRun };
}
