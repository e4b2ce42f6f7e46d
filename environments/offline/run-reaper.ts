// When a run is interrupted (Ctrl-C, SIGTERM), its resources are removed by a detached process:
// the interrupted one may be made to exit at once (vitest exits 1 ms after SIGINT), the reaper not.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const REMOVE_RUN_SCRIPT = join(import.meta.dirname, 'remove-run.ts');

/** Removes the run now and again once `waitForPid` (default this process) has exited. */
export function spawnRunReaper(runId: string, waitForPid: number = process.pid): ChildProcess {
  const child = spawn(process.execPath, [REMOVE_RUN_SCRIPT, runId, String(waitForPid)], {
    detached: true,
    stdio: 'ignore',
  });
  child.on('error', () => {});
  child.unref();
  return child;
}
