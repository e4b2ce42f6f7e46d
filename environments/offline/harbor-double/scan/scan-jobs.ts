// The scan job queue in Redis, as jobservice has one: core pushes a job (LPUSH), a worker loop takes
// it (BRPOP) and runs it. The job carries what jobservice gets from core: the report to fill, the
// scanner registration, the artifact and the temporary robot's credentials.
import type { Redis } from 'ioredis';

export const SCAN_QUEUE = '{harbor_job_service_namespace}:jobs:IMAGE_SCAN';

export interface ScanJob {
  reportUuid: string;
  registrationUuid: string;
  repository: string;
  digest: string;
  tag?: string;
  manifestMediaType: string;
  size: number;
  registryUrl: string;
  /** `Basic base64(robot$…:secret)` for the scanner's pull. */
  authorization: string;
  robotId: number;
}

export async function enqueueScan(redis: Redis, job: ScanJob): Promise<void> {
  await redis.lpush(SCAN_QUEUE, JSON.stringify(job));
}

export interface JobWorker {
  stop(): Promise<void>;
}

/**
 * Takes jobs off the queue (the scan queue unless `queue` names another, e.g. replication's) and runs up to
 * `concurrency` at a time until stopped.
 */
export function startJobWorker<Job extends object = ScanJob>(
  redis: Redis,
  run: (job: Job) => Promise<void>,
  options: {
    concurrency?: number;
    log?: (line: string) => void;
    queue?: string;
    describe?: (job: Job) => string;
  } = {},
): JobWorker {
  const queue = options.queue ?? SCAN_QUEUE;
  const describe = options.describe ?? ((job: Job) => `scan job ${(job as Partial<ScanJob>).reportUuid}`);
  const connection = redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
  connection.on('error', () => undefined);
  const concurrency = options.concurrency ?? 4;
  let stopped = false;
  let running = 0;
  const inFlight = new Set<Promise<void>>();
  const loop = (async () => {
    while (!stopped) {
      if (running >= concurrency) {
        await Promise.race(inFlight);
        continue;
      }
      let popped: [string, string] | null = null;
      try {
        popped = await connection.brpop(queue, 2);
      } catch {
        if (!stopped) await new Promise((r) => setTimeout(r, 1_000));
        continue;
      }
      if (!popped) continue;
      let job: Job;
      try {
        job = JSON.parse(popped[1]) as Job;
      } catch {
        options.log?.(`dropped a job of ${queue} that is not JSON`);
        continue;
      }
      running++;
      const task = run(job)
        .catch((error: unknown) => options.log?.(`${describe(job)} failed: ${(error as Error).message}`))
        .finally(() => {
          running--;
          inFlight.delete(task);
        });
      inFlight.add(task);
    }
  })();
  return {
    async stop() {
      stopped = true;
      connection.disconnect();
      await loop.catch(() => undefined);
      await Promise.allSettled([...inFlight]);
    },
  };
}
