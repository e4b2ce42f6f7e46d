// Worker thread: `vus` virtual users pulling in a loop with one undici connection pool, until the
// shared deadline or the iteration quota. Posts progress every 500 ms and its histograms at the end.
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { Agent, Client, type Dispatcher } from 'undici';
import type { ErrorClass } from '../results/result-schema.ts';
import { classifyError, HttpStatusError } from './error-class.ts';
import { PhaseHistograms, type EncodedPhases } from './phase-histograms.ts';
import { getUrlOnce, pullOnce, type PullRecorder } from './pull-once.ts';
import { streamed } from './timed-get.ts';
import type { LoadPlan } from './pull-plan.ts';

export interface WorkerInput {
  plan: LoadPlan;
  vus: number;
  /** Pulls this worker makes at most. */
  iterations: number;
  /** Index of this worker's first pull, so workers spread over the artifacts. */
  offset: number;
}

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'progress'; pulls: number; bytes: number }
  | {
      type: 'done';
      pulls: number;
      requests: number;
      bytes: number;
      phases: EncodedPhases;
      errors: Partial<Record<ErrorClass, number>>;
      byStatus: Record<string, number>;
      /** This thread's event-loop utilisation from the start to the last pull, 0..1. */
      busy: number;
      firstError?: string;
    };

function connectOptions(plan: LoadPlan): { ca?: string } {
  const ca = plan.kind === 'pull' ? plan.endpoint.ca : plan.ca;
  return ca ? { ca } : {};
}

/** `deadline`: Date.now() after which no new pull starts (sent when every worker is ready). */
export async function runWorker(
  input: WorkerInput,
  deadline: number,
  post: (message: WorkerMessage) => void,
): Promise<void> {
  const { plan } = input;
  const histograms = new PhaseHistograms();
  let pulls = 0;
  let requests = 0;
  let bytes = 0;
  let started = 0;
  const errors: Partial<Record<ErrorClass, number>> = {};
  const byStatus: Record<string, number> = {};
  let firstError: string | undefined;
  const recorder: PullRecorder = {
    phase: (phase, ttfb, total) => histograms.record(phase, ttfb, total),
    request: (n) => {
      requests += 1;
      bytes += n;
    },
  };
  const shared: Dispatcher | undefined =
    plan.connection === 'keep-alive'
      ? new Agent({ connections: input.vus, pipelining: 1, keepAliveTimeout: 30_000, connect: connectOptions(plan) })
      : undefined;
  const loopAtStart = performance.eventLoopUtilization();
  const streamedAtStart = streamed.bytes;
  // progress counts bytes as they stream, so a 1 GiB pull shows its rate before it completes
  const progress = setInterval(() => post({ type: 'progress', pulls, bytes: streamed.bytes - streamedAtStart }), 500);

  async function one(index: number): Promise<void> {
    let dispatcher = shared;
    let own: Client | undefined;
    const origin = plan.kind === 'pull' ? plan.endpoint.baseUrl : (plan.urls[index % plan.urls.length]?.url ?? '');
    if (!dispatcher) {
      // new-per-pull: a fresh connection (TCP and TLS handshakes included in the pull's time)
      own = new Client(new URL(origin).origin, { pipelining: 1, connect: connectOptions(plan) });
      dispatcher = own;
    }
    try {
      if (plan.kind === 'pull') {
        const artifact = plan.artifacts[index % plan.artifacts.length];
        if (artifact) await pullOnce(dispatcher, plan.endpoint, artifact, plan, recorder);
      } else {
        const entry = plan.urls[index % plan.urls.length];
        if (entry) await getUrlOnce(dispatcher, new URL(entry.url), entry, plan, recorder);
      }
      pulls += 1;
    } catch (error) {
      const cls = classifyError(error);
      errors[cls] = (errors[cls] ?? 0) + 1;
      if (error instanceof HttpStatusError) byStatus[String(error.status)] = (byStatus[String(error.status)] ?? 0) + 1;
      firstError ??= (error as Error).message;
    } finally {
      await own?.close().catch(() => {});
    }
  }

  async function vu(): Promise<void> {
    while (started < input.iterations && Date.now() < deadline) {
      const index = input.offset + started;
      started += 1;
      await one(index);
    }
  }

  try {
    await Promise.all(Array.from({ length: input.vus }, () => vu()));
  } finally {
    clearInterval(progress);
    await shared?.close().catch(() => {});
  }
  const busy = performance.eventLoopUtilization(loopAtStart).utilization;
  post({
    type: 'done',
    pulls,
    requests,
    bytes,
    phases: histograms.encode(),
    errors,
    byStatus,
    busy: Number.isFinite(busy) ? Math.min(1, Math.max(0, busy)) : 0,
    ...(firstError ? { firstError } : {}),
  });
}

if (parentPort && workerData && (workerData as { harborLoadWorker?: boolean }).harborLoadWorker) {
  const port = parentPort;
  // The clock starts when every worker has loaded: module loading is not load.
  port.once('message', (start: { type: 'start'; deadline: number }) => {
    void runWorker((workerData as { input: WorkerInput }).input, start.deadline, (message) =>
      port.postMessage(message),
    );
  });
  port.postMessage({ type: 'ready' } satisfies WorkerMessage);
}
