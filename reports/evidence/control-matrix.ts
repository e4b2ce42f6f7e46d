// The control matrix: per control (NIST SP 800-190, NIST SP 800-53, SSDF, CIS, SLSA), the checks that
// evidence it, their verdicts and evidence files — and the controls no check passed for.
import type { CheckResult, Verdict } from '../check-result.ts';

export type Framework = 'NIST SP 800-190' | 'NIST SP 800-53' | 'SSDF (NIST SP 800-218)' | 'CIS' | 'SLSA' | 'other';

export interface ControlCheck {
  id: string;
  title: string;
  verdict: Verdict | 'not run';
  /** Bundle path of the check's evidence file, null when the check wrote none (skipped before running, not run). */
  evidence: string | null;
}

export interface ControlRow {
  control: string;
  framework: Framework;
  checks: ControlCheck[];
  /** passed: at least one check passed (or passed with a warn) and none failed. */
  /** warn: no check failed, but one reports a known weakness Harbor ships no fix for: not satisfied. */
  status: 'passed' | 'warn' | 'failed' | 'no passing check';
}

export interface ControlMatrix {
  controls: ControlRow[];
  /** Controls without a passing check (failed, skipped or not run), for the auditor's attention. */
  unsupported: string[];
}

export function frameworkOf(control: string): Framework {
  if (control.startsWith('NIST SP 800-190')) return 'NIST SP 800-190';
  if (control.startsWith('NIST SP 800-53')) return 'NIST SP 800-53';
  if (control.startsWith('NIST SP 800-218') || control.startsWith('SSDF')) return 'SSDF (NIST SP 800-218)';
  if (control.startsWith('CIS')) return 'CIS';
  if (control.startsWith('SLSA')) return 'SLSA';
  return 'other';
}

export interface CatalogEntry {
  id: string;
  title: string;
  controls: string[];
}

/**
 * `results` are the run's verdicts; `catalog` (optional) adds the checks of the harness that this run did
 * not select, so a control evidenced only by those shows as "no passing check" rather than vanishing.
 */
export function buildControlMatrix(
  results: readonly CheckResult[],
  evidenceFiles: ReadonlySet<string>,
  catalog: readonly CatalogEntry[] = [],
): ControlMatrix {
  const rows = new Map<string, ControlRow>();
  const add = (control: string, check: ControlCheck) => {
    const row = rows.get(control) ?? {
      control,
      framework: frameworkOf(control),
      checks: [],
      status: 'no passing check' as const,
    };
    if (!row.checks.some((c) => c.id === check.id)) row.checks.push(check);
    rows.set(control, row);
  };
  const ran = new Set(results.map((r) => r.id));
  for (const r of results) {
    const file = `evidence/${r.id}.json`;
    for (const control of r.controls)
      add(control, { id: r.id, title: r.title, verdict: r.status, evidence: evidenceFiles.has(file) ? file : null });
  }
  for (const c of catalog) {
    if (ran.has(c.id)) continue;
    for (const control of c.controls) add(control, { id: c.id, title: c.title, verdict: 'not run', evidence: null });
  }
  const order: Framework[] = ['NIST SP 800-190', 'NIST SP 800-53', 'SSDF (NIST SP 800-218)', 'CIS', 'SLSA', 'other'];
  const controls = [...rows.values()]
    .map((row) => ({
      ...row,
      checks: row.checks.sort((a, b) => a.id.localeCompare(b.id)),
      status: statusOf(row.checks),
    }))
    .sort(
      (a, b) =>
        order.indexOf(a.framework) - order.indexOf(b.framework) ||
        a.control.localeCompare(b.control, 'en', { numeric: true }),
    );
  return { controls, unsupported: controls.filter((c) => c.status !== 'passed').map((c) => c.control) };
}

function statusOf(checks: readonly ControlCheck[]): ControlRow['status'] {
  if (checks.some((c) => c.verdict === 'failed')) return 'failed';
  if (checks.some((c) => c.verdict === 'warn')) return 'warn';
  if (checks.some((c) => c.verdict === 'passed')) return 'passed';
  return 'no passing check';
}

/** Markdown for people opening the bundle. */
export function renderControlMatrixMarkdown(matrix: ControlMatrix): string {
  const lines = [
    '# Control matrix',
    '',
    '| Framework | Control | Status | Checks (verdict, evidence) |',
    '|---|---|---|---|',
  ];
  for (const row of matrix.controls) {
    const checks = row.checks.map((c) => `${c.id} ${c.verdict}${c.evidence ? ` (${c.evidence})` : ''}`).join('<br>');
    lines.push(`| ${row.framework} | ${row.control} | ${row.status} | ${checks} |`);
  }
  lines.push(
    '',
    `Controls not satisfied (failed, warn, or no passing check): ${matrix.unsupported.length === 0 ? 'none' : matrix.unsupported.join(', ')}`,
    '',
  );
  return lines.join('\n');
}
