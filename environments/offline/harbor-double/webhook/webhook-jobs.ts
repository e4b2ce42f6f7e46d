// Webhook deliveries as jobservice runs them (goharbor/harbor src/jobservice/job/impl/notification/webhook_job.go@v2.15.2,
// on gocraft/work as goharbor/work v0.5.1-patch): core LPUSHes a WEBHOOK job; a failed run is put into the namespace's
// retry sorted set `{harbor_job_service_namespace}:retry`, scored by the time it is due (gocraft's default back-off,
// fails⁴ + 15 + rand(30)·(fails+1) seconds), and a requeuer moves due jobs back onto their queue (gocraft: every
// second; the double: every 250 ms). MaxFails is 3: a job runs at most three times. Moving a retry's score to now (what `suites/support/job-retries.ts` does in
// Redis, on the double as on Harbor's jobservice) makes it run within a second instead of after the back-off.
import type { Redis } from 'ioredis';

const NAMESPACE = '{harbor_job_service_namespace}';
export const WEBHOOK_QUEUE = `${NAMESPACE}:jobs:WEBHOOK`;
export const RETRY_SET = `${NAMESPACE}:retry`;
export const WEBHOOK_MAX_FAILS = 3;

export interface WebhookJob {
  /** The job name (its queue is `{ns}:jobs:<name>`), as gocraft's retry entries carry it. */
  name: 'WEBHOOK';
  taskId: number;
  address: string;
  /** Content-Type and, when the target has one, Authorization (the job parameters Harbor's http handler builds). */
  header: Record<string, string>;
  payload: string;
  skipCertVerify: boolean;
  /** The project's `webhook_allow_private_ip` when the event was handed over (the job parameter of PR #23568). */
  allowPrivateIp: boolean;
  /** Failed runs so far. */
  fails: number;
}

export async function enqueueWebhook(redis: Redis, job: WebhookJob): Promise<void> {
  await redis.lpush(WEBHOOK_QUEUE, JSON.stringify(job));
}

/** gocraft/work's defaultBackoffCalculator, in seconds. */
export function retryBackoffSeconds(fails: number): number {
  return fails ** 4 + 15 + Math.floor(Math.random() * 30) * (fails + 1);
}

export async function scheduleRetry(redis: Redis, job: WebhookJob, nowSeconds = Date.now() / 1000): Promise<number> {
  const due = Math.floor(nowSeconds + retryBackoffSeconds(job.fails));
  await redis.zadd(RETRY_SET, due, JSON.stringify(job));
  return due;
}

/** Moves due retries back onto their queues; returns how many it moved. */
export async function requeueDueRetries(redis: Redis, nowSeconds = Date.now() / 1000): Promise<number> {
  const due = await redis.zrangebyscore(RETRY_SET, '-inf', String(nowSeconds), 'LIMIT', 0, 50);
  let moved = 0;
  for (const member of due) {
    if ((await redis.zrem(RETRY_SET, member)) !== 1) continue; // another requeuer took it
    let name = 'WEBHOOK';
    try {
      name = (JSON.parse(member) as { name?: string }).name ?? name;
    } catch {
      continue;
    }
    await redis.lpush(`${NAMESPACE}:jobs:${name}`, member);
    moved++;
  }
  return moved;
}

export interface Requeuer {
  stop(): void;
}

// gocraft's requeuer looks every second; the double every 250 ms (only the wait after a retry is due differs).
export function startRetryRequeuer(redis: Redis, intervalMs = 250): Requeuer {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    requeueDueRetries(redis)
      .catch(() => undefined)
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

/** Drops queued and scheduled webhook jobs (the selftest's state reset between fault profiles). */
export async function resetWebhookJobs(redis: Redis): Promise<void> {
  await redis.del(WEBHOOK_QUEUE, RETRY_SET);
}
