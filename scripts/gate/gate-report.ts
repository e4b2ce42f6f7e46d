// Writes the gate report into the run directory in the formats of a run's reports: summary.json/.md/.html (the
// gate's checks), junit.xml, allure-results/, plus gate.json (everything: plan, seeded estate, both inventories,
// diff, breakages) and gate.md (for people). An offline gate says plainly that it proves the harness, not the
// upgrade of real Harbor.
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CheckResult } from '../../reports/check-result.ts';
import { buildSummary, exitCodeFor, type Summary } from '../../reports/summary.ts';
import { writeSummaries } from '../../reports/write-summaries.ts';
import type { Target } from '../../lib/target.ts';
import type { GatePlan } from './gate-plan.ts';
import type { Inventory } from './inventory.ts';
import type { InventoryDiff } from './inventory-diff.ts';
import type { SeededEstate } from './seed-estate.ts';
import type { VerdictChange } from './suite-verdicts.ts';

export interface GateOutcome {
  runId: string;
  plan: GatePlan;
  target: Pick<Target, 'kind' | 'url' | 'harborVersion' | 'faultProfile' | 'scanner'>;
  harnessVersion: string;
  started: Date;
  finished: Date;
  estate: SeededEstate;
  before: Inventory;
  after: Inventory;
  diff: InventoryDiff;
  checks: CheckResult[];
  /** The suites run before and after, their verdicts, and every check whose verdict changed. */
  verdicts?: { suites: string[]; before: CheckResult[]; after: CheckResult[]; changes: VerdictChange[] };
  /** Seconds per phase (seed, inventory, upgrade…). */
  timings: Record<string, number>;
  backupBytes?: number;
}

export const OFFLINE_DISCLAIMER =
  'This is an offline gate: the Harbor double emulated both releases, so it proves the harness (seeding, inventory, ' +
  'diff, reports), not the upgrade of real Harbor. Run `gate --env official` or against a staging copy for that.';

export function gateSummary(outcome: GateOutcome): Summary {
  return buildSummary({
    target: outcome.target,
    runId: outcome.runId,
    started: outcome.started,
    finished: outcome.finished,
    harnessVersion: outcome.harnessVersion,
    environment: `${outcome.plan.env} gate ${outcome.plan.from} → ${outcome.plan.to}`,
    checks: outcome.checks,
  });
}

export function renderGateMarkdown(outcome: GateOutcome): string {
  const { plan, diff, estate } = outcome;
  const failed = outcome.checks.filter((c) => c.status === 'failed');
  const lines = [
    `# Pre-upgrade gate ${outcome.runId}: Harbor ${plan.from} → ${plan.to} (${plan.env})`,
    '',
    ...(plan.env === 'offline' ? [`> **${OFFLINE_DISCLAIMER}**`, ''] : []),
    `**Verdict: ${failed.length === 0 ? 'PASS — nothing seeded was lost or silently changed' : `FAIL — ${failed.map((c) => c.id).join(', ')}`}**`,
    '',
    `Target ${outcome.target.kind} at ${outcome.target.url}: ${outcome.before.harborVersion} before, ${outcome.after.harborVersion} after.`,
    `Phases: ${Object.entries(outcome.timings)
      .map(([k, v]) => `${k} ${v.toFixed(1)} s`)
      .join(', ')}${outcome.backupBytes !== undefined ? `; database backup ${outcome.backupBytes} bytes` : ''}.`,
    '',
    '## Seeded',
    ...estate.seeded.map((s) => `- ${s}`),
    ...(estate.skipped.length > 0 ? ['', 'Not seeded on this target:', ...estate.skipped.map((s) => `- ${s}`)] : []),
    '',
    '## Diff',
    `Compared: ${Object.entries(diff.compared)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ')}.`,
    '',
    ...(diff.findings.length === 0
      ? ['No findings.']
      : [
          '| Finding | Kind | Object | Field | Before | After |',
          '|---|---|---|---|---|---|',
          ...diff.findings.map(
            (f) =>
              `| ${f.type} | ${f.kind} | ${cell(f.key)} | ${f.field ?? ''} | ${cell(JSON.stringify(f.before) ?? '')} | ${cell(JSON.stringify(f.after) ?? '')} |`,
          ),
        ]),
    '',
    ...(diff.announced.length > 0
      ? [
          'Announced changes seen (not findings):',
          ...diff.announced.map((a) => `- ${a.kind} ${a.key}: ${a.field} — ${a.change.what} (${a.change.source})`),
          '',
        ]
      : []),
    '## Suites before and after',
    ...(!outcome.verdicts || outcome.verdicts.suites.length === 0
      ? ['Not run (--suites none).']
      : [
          `Suites ${outcome.verdicts.suites.join(', ')}: ${outcome.verdicts.before.length} checks before, ${outcome.verdicts.after.length} after; ${outcome.verdicts.changes.length} verdict change(s).`,
          ...outcome.verdicts.changes.map(
            (c) => `- ${c.id} ${c.title}: ${c.before} → ${c.after}${c.reason ? ` (${cell(c.reason)})` : ''}`,
          ),
        ]),
    '',
    '## Checks',
    '| Check | Verdict | Title | Reason |',
    '|---|---|---|---|',
    ...outcome.checks.map((c) => `| ${c.id} | ${c.status} | ${cell(c.title)} | ${cell(c.reason ?? '')} |`),
    '',
    '## Known breakages of this jump',
    ...(plan.breakages.length === 0
      ? ['None known.']
      : plan.breakages.flatMap((b) => [
          `### ${b.id} (${b.release}) ${b.title}`,
          b.breaks,
          '',
          `**Before upgrading:** ${b.before}`,
          '',
          `Sources: ${b.sources.join('; ')}`,
          '',
        ])),
  ];
  return `${lines.join('\n')}\n`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').slice(0, 300);
}

const xml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function renderJunit(summary: Summary): string {
  const failures = summary.totals.failed;
  const skipped = summary.totals.skipped;
  const cases = summary.checks.map((c) => {
    const body =
      c.status === 'failed'
        ? `<failure message="${xml(c.reason ?? '')}"/>`
        : c.status === 'skipped'
          ? `<skipped message="${xml(c.reason ?? '')}"/>`
          : c.status === 'warn'
            ? `<system-out>${xml(`warn: ${c.reason ?? ''}`)}</system-out>`
            : '';
    return `    <testcase classname="gate" name="${xml(`${c.id} ${c.title}`)}" time="${(c.duration_ms / 1000).toFixed(3)}">${body}</testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="harbor-conformance gate ${xml(summary.run.id)}" tests="${summary.totals.total}" failures="${failures}" skipped="${skipped}">`,
    `  <testsuite name="gate" tests="${summary.totals.total}" failures="${failures}" skipped="${skipped}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

function allureResult(check: CheckResult, summary: Summary): Record<string, unknown> {
  const start = Date.parse(summary.run.started);
  return {
    uuid: randomUUID(),
    historyId: check.id,
    name: `${check.id} ${check.title}`,
    fullName: `gate ${check.id}`,
    // Allure has no warn: it shows as passed with the reason in its details, as the run's reports do
    status: check.status === 'warn' ? 'passed' : check.status,
    stage: 'finished',
    statusDetails: { message: check.reason ?? '' },
    start,
    stop: start + check.duration_ms,
    labels: [
      { name: 'suite', value: 'gate' },
      { name: 'parentSuite', value: summary.run.environment },
    ],
  };
}

/** Writes every file; returns the run directory's file names and the exit code (0 pass, 1 findings). */
export async function writeGateReport(
  runDir: string,
  outcome: GateOutcome,
  redact: (text: string) => string,
): Promise<{ files: string[]; exitCode: 0 | 1 }> {
  const summary = gateSummary(outcome);
  await mkdir(join(runDir, 'allure-results'), { recursive: true });
  const files = await writeSummaries(runDir, JSON.parse(redact(JSON.stringify(summary))) as Summary);
  const extra: Record<string, string> = {
    'gate.json': `${JSON.stringify({ ...outcome, disclaimer: outcome.plan.env === 'offline' ? OFFLINE_DISCLAIMER : null }, null, 2)}\n`,
    'gate.md': renderGateMarkdown(outcome),
    'junit.xml': renderJunit(summary),
  };
  for (const check of summary.checks)
    extra[join('allure-results', `${check.id}-result.json`)] = JSON.stringify(allureResult(check, summary));
  for (const [name, content] of Object.entries(extra)) {
    await writeFile(join(runDir, name), redact(content));
    files.push(join(runDir, name));
  }
  return { files, exitCode: exitCodeFor(summary) };
}
