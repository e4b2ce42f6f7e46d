// `node environments/kind/remove-kind-run.ts <run-id>`: deletes the run's kind cluster, node network and
// work dir. Spawned detached by kind-reaper.ts when a start is interrupted, so it outlives its parent.
import { EnvironmentError } from '../environment.ts';
import { removeEnvironment } from './kind-environment.ts';
import { isValidClusterName } from './kind-cluster-config.ts';

const runId = process.argv[2] ?? '';
try {
  if (!isValidClusterName(runId)) throw new EnvironmentError(`usage: remove-kind-run.ts <run-id> (got "${runId}")`);
  await removeEnvironment(runId);
} catch (error) {
  process.stderr.write(`remove-kind-run: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(error instanceof EnvironmentError ? 2 : 1);
}
