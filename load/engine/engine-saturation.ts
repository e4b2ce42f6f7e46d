// Whether the load engine itself limited a run. Each worker thread measures its event-loop utilisation
// (perf_hooks) over the run; the busiest one is the run's `engineBusy`. A loop busy nearly all the time
// means requests waited for the engine, not for Harbor: the throughput is the engine's limit on this
// machine (a lower bound of what the target delivers), and a drop against a baseline may be the client's.
import type { LoadResult, RunMetrics } from '../results/result-schema.ts';

/** At or above this share of the run busy, the engine counts as CPU-bound. */
export const ENGINE_BUSY_LIMIT = 0.9;

export const isEngineBound = (run: Pick<RunMetrics, 'engineBusy'>): boolean =>
  (run.engineBusy ?? 0) >= ENGINE_BUSY_LIMIT;

export const busyPercent = (busy: number): string => `${Math.round(busy * 100)} %`;

/** One line for a result whose runs were engine-bound, else undefined. */
export function saturationNote(result: LoadResult, side: string): string | undefined {
  const runs = result.levels.flatMap((l) => l.runs.map((run) => ({ concurrency: l.concurrency, run })));
  const bound = runs.filter(({ run }) => isEngineBound(run));
  if (bound.length === 0) return undefined;
  const levels = [...new Set(bound.map((b) => b.concurrency))].join(', ');
  const busiest = Math.max(...bound.map((b) => b.run.engineBusy ?? 0));
  return `${side}: the load engine was CPU-bound in ${bound.length} of ${runs.length} run(s) (c=${levels}; busiest worker ${busyPercent(busiest)} of the run): their throughput is the engine's limit on this machine, not the target's — give the engine more cores or machines (workers, k6-operator) before reading a drop as Harbor's`;
}
