// How long each selftest run (a suite on the correct stack, a fault profile) took last time on this machine,
// so the next selftest can start the longest first. Only the order of the work depends on it, never a verdict;
// a missing or unreadable file means catalog order. Kept in .cache/ (git-ignored) beside the kept environment.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { repoRoot } from './run-vitest.ts';

export const estimatesFile = join(repoRoot, '.cache', 'harbor-conformance', 'selftest-seconds.json');

export async function readEstimates(file = estimatesFile): Promise<(label: string) => number | undefined> {
  const known = await readFile(file, 'utf8')
    .then((text) => JSON.parse(text) as unknown)
    .catch(() => ({}));
  const table = typeof known === 'object' && known !== null ? (known as Record<string, unknown>) : {};
  return (label) => (typeof table[label] === 'number' ? table[label] : undefined);
}

/** Adds these runs' seconds to the file (runs of other suites or profiles keep their earlier value). */
export async function writeEstimates(
  runs: ReadonlyMap<string, { seconds: number }>,
  file = estimatesFile,
): Promise<void> {
  const before = await readFile(file, 'utf8')
    .then((text) => JSON.parse(text) as Record<string, number>)
    .catch(() => ({}));
  const after = { ...before, ...Object.fromEntries([...runs].map(([label, run]) => [label, run.seconds])) };
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(after, null, 2)}\n`);
}
