// `node environments/offline/remove-run.ts <run-id> [<pid>]`: removes every container, network and volume
// labelled with the run id, also those whose creation is still in flight (see sweep-run.ts). Spawned detached
// by run-reaper.ts when a run is interrupted, so it outlives its parent; with a pid it sweeps once at once,
// waits for that process to exit (it may still be creating containers) and then sweeps until the run stays
// empty: a create call the parent had sent lands in the engine before that last sweep ends.
import { connectDockerEngine } from '../docker-engine.ts';
import { EnvironmentError } from '../environment.ts';
import { isValidRunId } from './run-labels.ts';
import { setTimeout as delay } from 'node:timers/promises';
import { sweepRun } from './sweep-run.ts';

const runId = process.argv[2] ?? '';
const parentPid = Number(process.argv[3] ?? 0);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

try {
  if (!isValidRunId(runId)) throw new EnvironmentError(`usage: remove-run.ts <run-id> [<pid>] (got "${runId}")`);
  const docker = await connectDockerEngine();
  if (Number.isInteger(parentPid) && parentPid > 0) {
    await sweepRun(docker, runId, 5_000).catch(() => {});
    const deadline = Date.now() + 120_000;
    while (alive(parentPid) && Date.now() < deadline) await delay(200);
  }
  await sweepRun(docker, runId, 60_000, 3);
} catch (error) {
  process.stderr.write(`remove-run: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(error instanceof EnvironmentError ? 2 : 1);
}
