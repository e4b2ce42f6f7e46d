// Which suite files to run and which checks to select, from --suites / --checks and the catalog.
import type { CheckDefinition } from '../suites/check-definition.ts';
import type { SuiteCatalog } from '../suites/catalog.ts';
import { ConfigError } from './config.ts';

export interface Selection {
  files: string[];
  /** null: every check of the selected suites. */
  selectedChecks: string[] | null;
  checks: CheckDefinition[];
}

export function selectChecks(catalog: SuiteCatalog[], suites: string[] | null, checkIds: string[] | null): Selection {
  const problems: string[] = [];
  const known = new Set(catalog.map((s) => s.suite));
  for (const name of suites ?? []) {
    if (!known.has(name)) problems.push(`--suites: unknown suite ${name} (suites: ${[...known].join(', ') || 'none'})`);
  }
  const byId = new Map(catalog.flatMap((s) => s.checks.map((c) => [c.id, c] as const)));
  for (const id of checkIds ?? []) {
    if (!byId.has(id)) problems.push(`--checks: unknown check id ${id} (harbor-conformance list shows the catalog)`);
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const suitesInScope = catalog.filter((s) => suites === null || suites.includes(s.suite));
  const checks = suitesInScope.flatMap((s) => s.checks).filter((c) => checkIds === null || checkIds.includes(c.id));
  if (checks.length === 0) {
    throw new ConfigError([`--checks: none of ${checkIds?.join(', ')} belongs to the suites ${suites?.join(', ')}`]);
  }
  const files = suitesInScope.filter((s) => s.checks.some((c) => checks.includes(c))).flatMap((s) => s.files);
  return { files, selectedChecks: checkIds, checks };
}
