// Removes a run's resources while starts may still be in flight: a container whose creation was
// under way during one sweep is caught by the next; done when the run stays empty for a second.
import type Docker from 'dockerode';
import { setTimeout as delay } from 'node:timers/promises';
import { listRunResources, removeRunResources } from './run-resources.ts';

export async function sweepRun(docker: Docker, runId: string, maxMs = 20_000): Promise<void> {
  const deadline = Date.now() + maxMs;
  let quiet = 0;
  await removeRunResources(docker, runId);
  while (quiet < 2 && Date.now() < deadline) {
    await delay(500);
    const left = await listRunResources(docker, runId);
    if (left.containers.length + left.networks.length + left.volumes.length === 0) {
      quiet += 1;
    } else {
      quiet = 0;
      await removeRunResources(docker, runId);
    }
  }
}
