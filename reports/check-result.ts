// One check's verdict as the reports show it, and how a vitest result maps to it:
// passed → passed, or warn when the check recorded warnings; failed → failed (first error line);
// skipped → skipped with the reason the check gave (capability missing, read-only target...).
import type { CheckTaskMeta } from '../suites/check.ts';

export type Verdict = 'passed' | 'failed' | 'warn' | 'skipped';

export interface CheckResult {
  id: string;
  title: string;
  suite: string;
  status: Verdict;
  reason: string | null;
  controls: string[];
  duration_ms: number;
  /** What the operator should change (the catalog's remediation), for failed and warn verdicts. */
  remediation?: string;
}

export interface VitestOutcome {
  /** Full vitest test name, `SMOKE-001 the API answers…`. */
  name: string;
  /** Suite folder, from the test file path, for tests without check meta. */
  suiteFromFile: string;
  state: 'passed' | 'failed' | 'skipped' | 'pending';
  note?: string;
  errors?: ReadonlyArray<{ message?: string; name?: string }>;
  meta?: CheckTaskMeta;
  durationMs?: number;
}

const MAX_REASON = 600;

export function verdictOf(outcome: VitestOutcome, redact: (text: string) => string = (t) => t): CheckResult {
  const check = outcome.meta?.check;
  const warnings = outcome.meta?.warnings ?? [];
  const [idFromName = outcome.name, ...rest] = outcome.name.split(' ');
  let status: Verdict;
  let reason: string | null = null;
  switch (outcome.state) {
    case 'passed':
      status = warnings.length > 0 ? 'warn' : 'passed';
      if (warnings.length > 0) reason = warnings.map((w) => `${w.fact} (source: ${w.source})`).join('; ');
      break;
    case 'failed':
      status = 'failed';
      reason = firstError(outcome.errors) ?? 'failed without an error message';
      break;
    case 'skipped':
      status = 'skipped';
      reason = outcome.note ?? 'skipped';
      break;
    default:
      status = 'skipped';
      reason = 'not run: the run ended before this check';
  }
  return {
    id: check?.id ?? idFromName,
    title: check?.title ?? rest.join(' '),
    suite: check?.suite ?? outcome.suiteFromFile,
    status,
    reason: reason === null ? null : truncate(redact(reason)),
    controls: check?.controls ?? [],
    duration_ms: Math.round(outcome.durationMs ?? 0),
    ...((status === 'failed' || status === 'warn') && check?.remediation ? { remediation: check.remediation } : {}),
  };
}

function firstError(errors: VitestOutcome['errors']): string | undefined {
  const error = errors?.[0];
  if (!error) return undefined;
  const message = (error.message ?? error.name ?? '').trim();
  // Assertion diffs follow on later lines; the first lines say what went wrong.
  return message.split('\n').slice(0, 3).join(' ').replace(/\s+/g, ' ').trim();
}

function truncate(text: string): string {
  return text.length > MAX_REASON ? `${text.slice(0, MAX_REASON)}…` : text;
}
