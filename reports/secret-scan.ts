// Greps a whole run directory for secrets the run knew (raw and every encoded form the SecretRegistry
// knows), so a leak in any report, attachment or evidence file is caught before anyone uploads it.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { SecretRegistry } from '../lib/redact.ts';

export interface SecretFinding {
  /** Path relative to the scanned directory. */
  file: string;
}

export async function scanForSecrets(dir: string, secrets: Array<string | undefined>): Promise<SecretFinding[]> {
  const registry = new SecretRegistry();
  for (const secret of secrets) if (secret && secret.length >= 4) registry.add(secret);
  if (registry.size === 0) return [];
  const findings: SecretFinding[] = [];
  for (const file of await listFiles(dir)) {
    const text = (await readFile(file)).toString('utf8');
    if (registry.scrub(text) !== text) findings.push({ file: relative(dir, file) });
  }
  return findings;
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}
