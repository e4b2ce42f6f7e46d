// The environment kept up by `env up` or `run --keep`, so `env status`, `env down` and `run --reuse`
// find it later. The file holds the admin password: it lives in the git-ignored .cache/ and is 0600.
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Target } from '../lib/target.ts';
import type { EnvironmentName } from './config.ts';
import { repoRoot } from './run-vitest.ts';

export interface KeptEnvironment {
  env: EnvironmentName;
  runId: string;
  startedAt: string;
  target: Target;
}

export const stateFile = join(repoRoot, '.cache', 'harbor-conformance', 'environment.json');

export async function saveKeptEnvironment(state: KeptEnvironment, file = stateFile): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
}

export async function loadKeptEnvironment(file = stateFile): Promise<KeptEnvironment | undefined> {
  try {
    const state = JSON.parse(await readFile(file, 'utf8')) as KeptEnvironment;
    // kept by a harness from before the scan-start deadline was a Target trait: the value it used then
    state.target.scanning.scanStartDeadlineMs ??= 20_000;
    return state;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export async function forgetKeptEnvironment(file = stateFile): Promise<void> {
  await rm(file, { force: true });
}
