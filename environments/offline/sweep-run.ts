// Removes a run's resources while starts may still be in flight: a container whose creation was
// under way during one sweep is caught by the next; done when the run stays empty for `quietChecks` checks
// half a second apart. A removal that fails (a network whose container is still leaving it) is retried.
import type Docker from 'dockerode';
import { setTimeout as delay } from 'node:timers/promises';
import { listRunResources, removeRunResources } from './run-resources.ts';

export async function sweepRun(docker: Docker, runId: string, maxMs = 20_000, quietChecks = 2): Promise<void> {
  const deadline = Date.now() + maxMs;
  let quiet = 0;
  let lastError: unknown;
  const remove = () =>
    removeRunResources(docker, runId).then(
      () => (lastError = undefined),
      (error: unknown) => (lastError = error),
    );
  await remove();
  while (quiet < quietChecks && Date.now() < deadline) {
    await delay(500);
    const left = await listRunResources(docker, runId);
    if (left.containers.length + left.networks.length + left.volumes.length === 0) {
      quiet += 1;
    } else {
      quiet = 0;
      await remove();
    }
  }
  if (quiet < quietChecks && lastError) throw lastError;
}
