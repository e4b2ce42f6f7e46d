// `node environments/kind/remove-kind-run.ts <run-id>`: deletes the run's kind cluster, node network and
// work dir. Spawned detached when a start is interrupted without a caller's signal, so it outlives its parent.
import { spawn, type ChildProcess } from 'node:child_process';
import { EnvironmentError } from '../environment.ts';

const SCRIPT = import.meta.filename;

export function spawnKindReaper(runId: string): ChildProcess {
  const child = spawn(process.execPath, [SCRIPT, runId], { detached: true, stdio: 'ignore' });
  child.on('error', () => {});
  child.unref();
  return child;
}

if (import.meta.main) {
  const runId = process.argv[2] ?? '';
  try {
    const { removeEnvironment } = await import('./kind-environment.ts');
    if (!/^[a-z0-9.-]+$/.test(runId)) throw new EnvironmentError(`usage: remove-kind-run.ts <run-id> (got "${runId}")`);
    await removeEnvironment(runId);
  } catch (error) {
    process.stderr.write(`remove-kind-run: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(error instanceof EnvironmentError ? 2 : 1);
  }
}
