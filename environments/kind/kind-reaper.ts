// When a kind start is interrupted without a caller's signal, its run is removed by a detached process
// (remove-kind-run.ts), which outlives a parent made to exit at once.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const REMOVE_KIND_RUN = join(import.meta.dirname, 'remove-kind-run.ts');

export function spawnKindReaper(runId: string): ChildProcess {
  const child = spawn(process.execPath, [REMOVE_KIND_RUN, runId], { detached: true, stdio: 'ignore' });
  child.on('error', () => {});
  child.unref();
  return child;
}
