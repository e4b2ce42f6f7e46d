// The node engine: splits the virtual users over worker threads (each with its own undici pool, so one
// event loop is never the bottleneck), merges their HDR histograms, and reports one run's metrics.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ErrorClass, RunMetrics } from '../results/result-schema.ts';
import { PhaseHistograms } from './phase-histograms.ts';
import type { LoadBounds, LoadPlan } from './pull-plan.ts';
import type { WorkerInput, WorkerMessage } from './load-worker.ts';

/** No run lasts longer than this, whatever the scenario says. */
export const HARD_TIME_LIMIT_MS = 30 * 60_000;
const HARD_ITERATION_LIMIT = 10_000_000;

export interface EngineProgress {
  elapsedMs: number;
  pulls: number;
  bytes: number;
  /** MB/s over the last interval. */
  currentMBps: number;
}

export interface RunOptions {
  workers?: number | 'auto';
  onProgress?: (progress: EngineProgress) => void;
  progressIntervalMs?: number;
  signal?: AbortSignal;
}

export interface EngineRun {
  metrics: RunMetrics;
  workers: number;
  firstError?: string;
}

/** Workers for a run: one per core at most, never more than there are virtual users. */
export function workerCount(concurrency: number, setting: number | 'auto' = 'auto'): number {
  if (setting !== 'auto') return Math.max(1, Math.min(setting, concurrency));
  return Math.max(1, Math.min(availableParallelism(), concurrency));
}

export async function runLoad(plan: LoadPlan, bounds: LoadBounds, options: RunOptions = {}): Promise<EngineRun> {
  const workers = workerCount(bounds.concurrency, options.workers);
  const iterations = Math.min(bounds.iterations ?? HARD_ITERATION_LIMIT, HARD_ITERATION_LIMIT);
  const limitMs = Math.min(bounds.durationMs ?? HARD_TIME_LIMIT_MS, HARD_TIME_LIMIT_MS);
  let t0 = performance.now();
  const inputs: WorkerInput[] = [];
  for (let w = 0; w < workers; w++) {
    const vus = Math.floor(bounds.concurrency / workers) + (w < bounds.concurrency % workers ? 1 : 0);
    const share = Math.floor(iterations / workers) + (w < iterations % workers ? 1 : 0);
    inputs.push({ plan, vus, iterations: share, offset: w * 7919 });
  }
  const progress = inputs.map(() => ({ pulls: 0, bytes: 0 }));
  let lastBytes = 0;
  let lastAt = t0;
  let ticker: NodeJS.Timeout | undefined;
  const startTicker = () => {
    if (!options.onProgress) return;
    ticker = setInterval(() => {
      const now = performance.now();
      const bytes = progress.reduce((s, p) => s + p.bytes, 0);
      const currentMBps = (bytes - lastBytes) / 1e6 / ((now - lastAt) / 1000);
      lastBytes = bytes;
      lastAt = now;
      options.onProgress?.({
        elapsedMs: now - t0,
        pulls: progress.reduce((s, p) => s + p.pulls, 0),
        bytes,
        currentMBps,
      });
    }, options.progressIntervalMs ?? 2000);
  };

  const threads: Worker[] = [];
  let ready = 0;
  const startAll = () => {
    t0 = performance.now();
    lastAt = t0;
    const deadline = Date.now() + limitMs;
    for (const thread of threads) thread.postMessage({ type: 'start', deadline });
    startTicker();
  };
  try {
    const done = await Promise.all(
      inputs.map(
        (input, i) =>
          new Promise<Extract<WorkerMessage, { type: 'done' }>>((resolve, reject) => {
            const worker = new Worker(new URL('./load-worker.ts', import.meta.url), {
              workerData: { harborLoadWorker: true, input },
            });
            threads.push(worker);
            const abort = () => void worker.terminate();
            options.signal?.addEventListener('abort', abort, { once: true });
            worker.on('message', (message: WorkerMessage) => {
              if (message.type === 'ready') {
                ready += 1;
                if (ready === inputs.length) startAll();
              } else if (message.type === 'progress') progress[i] = { pulls: message.pulls, bytes: message.bytes };
              else resolve(message);
            });
            worker.once('error', reject);
            worker.once('exit', (code) => {
              options.signal?.removeEventListener('abort', abort);
              reject(
                new Error(
                  options.signal?.aborted
                    ? 'load run interrupted'
                    : `load worker exited with code ${code} before reporting`,
                ),
              );
            });
          }),
      ),
    );
    const durationMs = performance.now() - t0;
    const histograms = new PhaseHistograms();
    const errors: Partial<Record<ErrorClass, number>> = {};
    const byStatus: Record<string, number> = {};
    let pulls = 0;
    let requests = 0;
    let bytes = 0;
    for (const d of done) {
      histograms.add(d.phases);
      pulls += d.pulls;
      requests += d.requests;
      bytes += d.bytes;
      for (const [k, v] of Object.entries(d.errors)) errors[k as ErrorClass] = (errors[k as ErrorClass] ?? 0) + v;
      for (const [k, v] of Object.entries(d.byStatus)) byStatus[k] = (byStatus[k] ?? 0) + v;
    }
    const seconds = durationMs / 1000;
    const total = Object.values(errors).reduce((s, n) => s + n, 0);
    const firstError = done.find((d) => d.firstError)?.firstError;
    return {
      workers,
      ...(firstError ? { firstError } : {}),
      metrics: {
        durationMs: +durationMs.toFixed(1),
        pulls,
        requests,
        bytes,
        pullsPerSecond: +(pulls / seconds).toFixed(3),
        requestsPerSecond: +(requests / seconds).toFixed(3),
        megabytesPerSecond: +(bytes / 1e6 / seconds).toFixed(3),
        engineBusy: +Math.max(0, ...done.map((d) => d.busy)).toFixed(3),
        phases: histograms.metrics(),
        errors: { total, byClass: errors, byStatus },
      },
    };
  } finally {
    if (ticker) clearInterval(ticker);
    await Promise.all(threads.map((t) => t.terminate()));
  }
}
