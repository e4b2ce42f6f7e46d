// `node environments/offline/remove-run.ts <run-id>`: removes every container, network and volume
// labelled with the run id, also those whose creation is still in flight (see sweep-run.ts).
// Spawned detached by run-reaper.ts when a run is interrupted, so it outlives its parent.
import { connectDockerEngine } from '../docker-engine.ts';
import { EnvironmentError } from '../environment.ts';
import { isValidRunId } from './run-labels.ts';
import { sweepRun } from './sweep-run.ts';

const runId = process.argv[2] ?? '';
try {
  if (!isValidRunId(runId)) throw new EnvironmentError(`usage: remove-run.ts <run-id> (got "${runId}")`);
  await sweepRun(await connectDockerEngine(), runId);
} catch (error) {
  process.stderr.write(`remove-run: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(error instanceof EnvironmentError ? 2 : 1);
}
