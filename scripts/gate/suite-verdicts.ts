// The suites before and after the upgrade: the same selection runs against the estate's Harbor at --from and at
// --to (vitest, as `run` does), and every check whose verdict changed is listed. Each run's JUnit and Allure results
// go into a directory of their own under the gate's run directory.
import { join } from 'node:path';
import type { Target } from '../../lib/target.ts';
import type { CheckResult, Verdict } from '../../reports/check-result.ts';
import { ResultsCollector } from '../../reports/results-collector.ts';
import { loadCatalog } from '../../suites/catalog.ts';
import { type RunControl, validatePolicy } from '../run-command.ts';
import { runSuites } from '../run-vitest.ts';
import { selectChecks } from '../selection.ts';

/** What `gate` runs before and after unless --suites says otherwise: cheap, and it reads every kind of object. */
export const DEFAULT_GATE_SUITES = ['smoke'];

export interface VerdictChange {
  id: string;
  title: string;
  before: Verdict;
  after: Verdict;
  reason: string | null;
}

/** "smoke,signing" → names; "none" → no suites. Unknown names fail with one line before anything starts. */
export async function gateSuiteSelection(flag: string | undefined): Promise<string[]> {
  const names = (flag ?? DEFAULT_GATE_SUITES.join(','))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length === 1 && names[0] === 'none') return [];
  selectChecks(await loadCatalog(), names, null); // throws ConfigError on an unknown suite
  return names;
}

export async function runSuiteSelection(
  target: Target,
  suites: string[],
  runDir: string,
  redact: (text: string) => string,
  control: RunControl,
): Promise<CheckResult[]> {
  if (suites.length === 0) return [];
  const selection = selectChecks(await loadCatalog(), suites, null);
  const collector = new ResultsCollector(redact);
  await runSuites({
    files: selection.files,
    target,
    run: { runId: target.runId, runDir, selectedChecks: null, policy: validatePolicy(null, undefined) },
    reporters: [collector],
    onCreated: (vitest) => control.track(vitest),
  });
  return collector.results;
}

export function verdictChanges(before: readonly CheckResult[], after: readonly CheckResult[]): VerdictChange[] {
  const then = new Map(before.map((c) => [c.id, c]));
  return after
    .filter((c) => then.has(c.id) && then.get(c.id)?.status !== c.status)
    .map((c) => ({ id: c.id, title: c.title, before: then.get(c.id)!.status, after: c.status, reason: c.reason }));
}

export const suitesDir = (runDir: string, when: 'before' | 'after') => join(runDir, `suites-${when}`);
