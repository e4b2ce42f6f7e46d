// One measurement shared by the PERF checks: a run-id project with one image of the policy's layer size,
// a pull-only robot, then `iterations` pulls at `concurrency` on the node engine. Made once per run.
import { runLoad, type EngineRun } from '../../load/engine/node-engine.ts';
import { parseByteSize } from '../../load/scenarios/byte-size.ts';
import { parseScenario } from '../../load/scenarios/load-scenario.ts';
import { preparePullWorkspace, type PullWorkspace } from '../../load/setup/pull-workspace.ts';
import type { Target } from '../../lib/target.ts';
import type { PullPerformancePolicy } from '../../policies/pull-performance-policy.ts';

export interface PullMeasurement {
  run: EngineRun;
  layerBytes: number;
  policy: PullPerformancePolicy;
  /** Robot secret, to redact. */
  secrets: string[];
}

let measurement: Promise<PullMeasurement> | undefined;
let workspace: PullWorkspace | undefined;

export function measurePulls(target: Target, runId: string, policy: PullPerformancePolicy): Promise<PullMeasurement> {
  measurement ??= (async () => {
    const layerBytes = parseByteSize(policy.layerSize) ?? 0;
    const scenario = parseScenario(
      {
        name: 'pull-throughput',
        artifacts: { count: 1, layers: [layerBytes] },
        concurrency: policy.concurrency,
        iterations: policy.iterations,
        duration: `${policy.maxSeconds}s`,
        repeats: 1,
        requestTimeout: `${policy.maxSeconds}s`,
      },
      'policy performance section',
    );
    workspace = await preparePullWorkspace({ target, scenario, project: `${runId}-perf` });
    const run = await runLoad(
      {
        kind: 'pull',
        endpoint: workspace.endpoint,
        artifacts: workspace.artifacts,
        connection: 'keep-alive',
        redirects: 'follow',
        requestTimeoutMs: scenario.requestTimeout,
      },
      { concurrency: policy.concurrency, iterations: policy.iterations, durationMs: policy.maxSeconds * 1000 },
    );
    return { run, layerBytes, policy, secrets: workspace.secrets };
  })();
  return measurement;
}

/** Removes the project and robot (afterAll). */
export async function removeMeasurementWorkspace(): Promise<void> {
  await workspace?.remove();
  workspace = undefined;
}
