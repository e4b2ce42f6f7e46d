// Removal of a failed or interrupted official run while some of its starts may still be in flight:
// sweep (which also ends the waits of containers it removes), let the starts settle for a while,
// then sweep again until the run stays empty. A removal racing a start (a network that still has an
// endpoint, a container being created) is retried instead of ending the sweep.
import type Docker from 'dockerode';
import { setTimeout as delay } from 'node:timers/promises';
import { listRunResources } from '../offline/run-resources.ts';
import { sweepRun } from '../offline/sweep-run.ts';

export async function sweepOfficialRun(
  docker: Docker,
  runId: string,
  inFlight: Promise<unknown>[] = [],
  maxMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + maxMs;
  await sweepRun(docker, runId, 5_000).catch(() => {});
  if (inFlight.length > 0) await Promise.race([Promise.allSettled(inFlight), delay(15_000)]);
  while (Date.now() < deadline) {
    await sweepRun(docker, runId).catch(() => {});
    const left = await listRunResources(docker, runId);
    if (left.containers.length + left.networks.length + left.volumes.length === 0) return;
    await delay(500);
  }
}
