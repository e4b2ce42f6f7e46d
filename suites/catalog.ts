// The whole check catalog, discovered from suites/<suite>/catalog.ts (each exports `catalog`).
// Nothing runs: this only imports data, so `harbor-conformance list` is instant and safe anywhere.
import { readdir, access } from 'node:fs/promises';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CheckDefinition } from './check-definition.ts';

export const suitesDir = dirname(fileURLToPath(import.meta.url));

export interface SuiteCatalog {
  suite: string;
  /** Test files vitest runs for this suite, relative to the repository root. */
  files: string[];
  checks: CheckDefinition[];
}

export async function loadCatalog(dir: string = suitesDir): Promise<SuiteCatalog[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const suites: SuiteCatalog[] = [];
  for (const entry of entries.filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    const catalogFile = join(dir, entry.name, 'catalog.ts');
    if (!(await exists(catalogFile))) continue;
    const mod = (await import(pathToFileURL(catalogFile).href)) as { catalog?: Record<string, CheckDefinition> };
    if (!mod.catalog) throw new Error(`${catalogFile} does not export 'catalog'`);
    const files = (await readdir(join(dir, entry.name)))
      .filter((f) => f.endsWith('.conformance.ts'))
      .sort()
      .map((f) => `suites/${entry.name}/${f}`);
    suites.push({ suite: entry.name, files, checks: Object.values(mod.catalog) });
  }
  const ids = new Map<string, string>();
  for (const s of suites) {
    for (const c of s.checks) {
      const other = ids.get(c.id);
      if (other) throw new Error(`check id ${c.id} is defined by suites ${other} and ${s.suite}`);
      ids.set(c.id, s.suite);
    }
  }
  return suites;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
