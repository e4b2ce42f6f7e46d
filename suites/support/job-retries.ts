// Makes jobservice's scheduled retries due now. Harbor's jobservice (gocraft/work as goharbor/work) keeps a failed job
// that will be retried in the sorted set `{harbor_job_service_namespace}:retry`, scored by the time it is due, and a
// requeuer moves due jobs back onto their queue every second; the back-off (fails⁴ + 15 + rand(30)·(fails+1) s) is
// what makes a retry take a minute. On a target whose environment owns the Redis container (capability
// faultInjection) every scheduled retry's score is set to 0 there — the same key on the double and on Harbor's
// jobservice (Redis DB 2 in Harbor's installer, 0 on the double: every DB that has the key is changed).
import { execa } from 'execa';
import type { Target } from '../../lib/target.ts';

const RETRY_SET = '{harbor_job_service_namespace}:retry';
const DUE_NOW =
  "local n = 0 for _, m in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do redis.call('ZADD', KEYS[1], 0, m) n = n + 1 end return n";

/** True when this target's retries can be made due (else a check waits for the real back-off). */
export function canHurryRetries(target: Target): boolean {
  return target.faults?.containers.redis !== undefined;
}

/** Sets every scheduled retry due now; returns how many there were. */
export async function makeRetriesDue(target: Target): Promise<number> {
  const container = target.faults?.containers.redis;
  if (!container) throw new Error('the target names no Redis container to make retries due in');
  const script = `n=0; for db in 0 1 2; do c=$(redis-cli -n $db EVAL "$1" 1 '${RETRY_SET}'); n=$((n + \${c:-0})); done; echo $n`;
  const result = await execa('docker', ['exec', container, 'sh', '-c', script, 'sh', DUE_NOW], {
    reject: false,
    timeout: 15_000,
  });
  if (result.exitCode !== 0)
    throw new Error(`making retries due in Redis failed: ${String(result.stderr).split('\n')[0]}`);
  return Number(String(result.stdout).trim().split('\n').pop()) || 0;
}

/**
 * Keeps making scheduled retries due, back to back, until stopped (a retry is scheduled only after its failed run
 * is recorded, so one call at the right moment is not enough). Errors end the loop and are thrown by `stop()`.
 */
export function hurryRetries(target: Target): { stop(): Promise<void> } {
  let stopped = false;
  const loop = (async () => {
    while (!stopped) await makeRetriesDue(target);
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
    },
  };
}
