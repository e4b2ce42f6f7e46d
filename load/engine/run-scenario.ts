// A scenario on the node engine: every concurrency level, each repeated, into one result.
import type { LoadResult, ResultEnvironment } from '../results/result-schema.ts';
import { machineInfo } from '../results/environment-info.ts';
import type { Scenario } from '../scenarios/scenario-schema.ts';
import { busyPercent, isEngineBound } from './engine-saturation.ts';
import { runLoad, type EngineProgress } from './node-engine.ts';
import type { LoadPlan } from './pull-plan.ts';

export interface ScenarioRunOptions {
  scenario: Scenario;
  plan: LoadPlan;
  target: ResultEnvironment['target'];
  /** Before each run (cold scenarios: flush the registry's layer-info cache). */
  beforeRun?: () => Promise<void>;
  onProgress?: (label: string, progress: EngineProgress) => void;
  onRunDone?: (label: string, summary: string) => void;
  signal?: AbortSignal;
}

export const engineVersion = `node ${process.version}, undici`;

export async function runScenario(options: ScenarioRunOptions): Promise<LoadResult> {
  const { scenario, plan } = options;
  const startedAt = new Date().toISOString();
  const levels: LoadResult['levels'] = [];
  let workers = 1;
  const artifactCount = plan.kind === 'pull' ? plan.artifacts.length : plan.urls.length;
  for (const concurrency of scenario.concurrency) {
    const runs = [];
    for (let repeat = 1; repeat <= scenario.repeats; repeat++) {
      options.signal?.throwIfAborted();
      if (scenario.cache === 'cold') await options.beforeRun?.();
      // cold: each artifact once per run (a second pull would be warm)
      const iterations =
        scenario.cache === 'cold' ? Math.min(scenario.iterations ?? artifactCount, artifactCount) : scenario.iterations;
      const label = `${scenario.name} c=${concurrency} run ${repeat}/${scenario.repeats}`;
      const run = await runLoad(
        plan,
        {
          concurrency,
          ...(scenario.duration !== undefined ? { durationMs: scenario.duration } : {}),
          ...(iterations !== undefined ? { iterations } : {}),
        },
        {
          workers: scenario.workers,
          ...(options.onProgress ? { onProgress: (p: EngineProgress) => options.onProgress?.(label, p) } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
        },
      );
      workers = Math.max(workers, run.workers);
      const m = run.metrics;
      options.onRunDone?.(
        label,
        `${m.pulls} pulls, ${m.megabytesPerSecond.toFixed(1)} MB/s, ${m.pullsPerSecond.toFixed(1)} pulls/s, errors ${m.errors.total}${run.firstError ? ` (first: ${run.firstError})` : ''}, engine busy ${busyPercent(m.engineBusy ?? 0)}${isEngineBound(m) ? " (CPU-bound: the figure is the engine's limit)" : ''}`,
      );
      runs.push(m);
    }
    levels.push({ concurrency, runs });
  }
  return {
    schema: 'harbor-conformance/load-result@1',
    scenario: { name: scenario.name, definition: scenario },
    startedAt,
    finishedAt: new Date().toISOString(),
    environment: {
      target: options.target,
      engine: { name: 'node', version: engineVersion, workers },
      machine: machineInfo(),
    },
    levels,
  };
}
