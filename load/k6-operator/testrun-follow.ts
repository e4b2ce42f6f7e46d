// Runs a TestRun on a cluster with @kubernetes/client-node: creates the script ConfigMap and the TestRun,
// follows status.stage (initialization → initialized → created → started → stopped → finished, or
// error) with a deadline, reads every runner pod's summary from its log (k6-operator labels runner pods
// app=k6, k6_cr=<name>, runner=true), and deletes both objects at the end, also on failure.
import { CoreV1Api, CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { pollUntil } from '../../lib/poll.ts';
import { parseK6Summary, type K6Summary } from '../k6/k6-summary.ts';
import type { ConfigMapManifest } from './testrun-manifest.ts';
import { testRunProblems, testRunStatusSchema, type TestRunManifest, type TestRunStage } from './testrun-schema.ts';

const crd = { group: 'k6.io', version: 'v1alpha1', plural: 'testruns' } as const;

export interface FollowOptions {
  timeoutMs: number;
  intervalMs?: number;
  log?: (line: string) => void;
  signal?: AbortSignal;
}

export interface ClusterRun {
  stages: TestRunStage[];
  finalStage: TestRunStage;
  summaries: K6Summary[];
  runnerPods: string[];
}

export class TestRunError extends Error {
  override name = 'TestRunError';
}

export async function runTestRun(
  kc: KubeConfig,
  manifests: { configMap: ConfigMapManifest; testRun: TestRunManifest },
  options: FollowOptions,
): Promise<ClusterRun> {
  const problems = testRunProblems(manifests.testRun);
  if (problems.length)
    throw new TestRunError(`TestRun manifest does not match k6-operator's CRD: ${problems.join('; ')}`);
  const core = kc.makeApiClient(CoreV1Api);
  const custom = kc.makeApiClient(CustomObjectsApi);
  const { name, namespace = 'default' } = manifests.testRun.metadata;
  const log = options.log ?? (() => {});
  const stages: TestRunStage[] = [];
  let created = { configMap: false, testRun: false };
  try {
    await core.createNamespacedConfigMap({ namespace, body: manifests.configMap });
    created = { ...created, configMap: true };
    await custom.createNamespacedCustomObject({ ...crd, namespace, body: manifests.testRun });
    created = { ...created, testRun: true };
    log(`TestRun ${namespace}/${name} created`);
    const finalStage = await pollUntil(
      async () => {
        const object = (await custom.getNamespacedCustomObject({ ...crd, namespace, name })) as { status?: unknown };
        const status = testRunStatusSchema.parse(object.status ?? {});
        if (status.stage && stages[stages.length - 1] !== status.stage) {
          stages.push(status.stage);
          log(`TestRun ${name}: stage ${status.stage}`);
        }
        return status.stage;
      },
      {
        timeoutMs: options.timeoutMs,
        intervalMs: options.intervalMs ?? 2000,
        describe: `TestRun ${namespace}/${name} to finish`,
        accept: (stage) => stage === 'finished' || stage === 'error',
        ...(options.signal ? { signal: options.signal } : {}),
      },
    );
    if (finalStage === 'error')
      throw new TestRunError(
        `TestRun ${namespace}/${name} ended in stage error (stages seen: ${stages.join(' → ')}); see kubectl describe testrun ${name}`,
      );
    const pods = await core.listNamespacedPod({ namespace, labelSelector: `app=k6,k6_cr=${name},runner=true` });
    const runnerPods = pods.items
      .map((p) => p.metadata?.name ?? '')
      .filter(Boolean)
      .sort();
    if (runnerPods.length !== manifests.testRun.spec.parallelism) {
      throw new TestRunError(
        `TestRun ${name} finished with ${runnerPods.length} runner pod(s), expected ${manifests.testRun.spec.parallelism}`,
      );
    }
    const summaries: K6Summary[] = [];
    for (const pod of runnerPods) {
      const text = await core.readNamespacedPodLog({ namespace, name: pod, container: 'k6' });
      summaries.push(parseK6Summary(text, `runner pod ${pod}`));
    }
    return { stages, finalStage: finalStage as TestRunStage, summaries, runnerPods };
  } finally {
    if (created.testRun)
      await custom
        .deleteNamespacedCustomObject({ ...crd, namespace, name })
        .catch((e: Error) => log(`could not delete TestRun ${name}: ${e.message}`));
    if (created.configMap)
      await core
        .deleteNamespacedConfigMap({ namespace, name: manifests.configMap.metadata.name })
        .catch((e: Error) => log(`could not delete ConfigMap: ${e.message}`));
  }
}

/**
 * One summary from the runners' summaries: counters add up; k6 hands over percentiles, not histograms,
 * so a merged percentile is the largest of the runners' (an upper bound) and the mean is count-weighted.
 */
export function mergeRunnerSummaries(summaries: K6Summary[]): K6Summary {
  const metrics: K6Summary['metrics'] = {};
  for (const s of summaries) {
    for (const [name, m] of Object.entries(s.metrics)) {
      const into = metrics[name];
      if (!into) {
        metrics[name] = { type: m.type, values: { ...m.values } };
        continue;
      }
      const v = into.values;
      if (m.type === 'counter') {
        v['count'] = (v['count'] ?? 0) + (m.values['count'] ?? 0);
        v['rate'] = (v['rate'] ?? 0) + (m.values['rate'] ?? 0);
      } else if (m.type === 'trend') {
        const n1 = v['count'] ?? 0;
        const n2 = m.values['count'] ?? 0;
        v['avg'] = n1 + n2 ? ((v['avg'] ?? 0) * n1 + (m.values['avg'] ?? 0) * n2) / (n1 + n2) : 0;
        v['count'] = n1 + n2;
        v['min'] = Math.min(v['min'] ?? Infinity, m.values['min'] ?? Infinity);
        for (const k of ['max', 'med', 'p(95)', 'p(99)']) v[k] = Math.max(v[k] ?? 0, m.values[k] ?? 0);
      } else {
        v['max'] = Math.max(v['max'] ?? 0, m.values['max'] ?? 0);
        v['min'] = Math.min(v['min'] ?? Infinity, m.values['min'] ?? Infinity);
      }
    }
  }
  const durations = summaries.map((s) => s.state?.testRunDurationMs ?? 0);
  return { metrics, state: { testRunDurationMs: Math.max(0, ...durations) } };
}
