// The gate's verdict on an upgrade: the inventory diff, the suites' verdict changes, the rollback, the upgraded
// release and the known breakages as checks; then the report written and scanned for the Target's secrets.
import { redactText, type SecretRegistry } from '../../lib/redact.ts';
import { describeFinding, scanForSecrets } from '../../reports/secret-scan.ts';
import { harnessVersion, type RunIo } from '../run-command.ts';
import { announcedFor } from './announced-changes.ts';
import { breakageChecks, diffChecks, rollbackCheck, verdictCheck, versionCheck } from './gate-checks.ts';
import type { GatePlan } from './gate-plan.ts';
import { writeGateReport, type GateOutcome } from './gate-report.ts';
import type { GateSession } from './gate-session.ts';
import type { Inventory } from './inventory.ts';
import { diffInventories } from './inventory-diff.ts';
import type { SeededEstate } from './seed-estate.ts';
import { verdictChanges } from './suite-verdicts.ts';
import type { CheckResult } from '../../reports/check-result.ts';
import type { Target } from '../../lib/target.ts';

/** The Target's secrets a report must never show. */
export function targetSecrets(target: Target): string[] {
  return [target.admin.password, target.testClock?.token, target.registryStorage?.s3.secretKey].filter(
    (s): s is string => typeof s === 'string' && s.length >= 4,
  );
}

export function judgeUpgrade(input: {
  runId: string;
  verdicts?: { suites: string[]; before: CheckResult[]; after: CheckResult[] };
  plan: GatePlan;
  session: GateSession;
  estate: SeededEstate;
  before: Inventory;
  after: Inventory;
  started: Date;
  timings: Record<string, number>;
  harborImages: boolean;
  backupBytes?: number;
  /** Offline: the fault profile(s) the upgraded double ran with, for the report's first line. */
  faultProfile?: string;
  /** The inventory after restoring the backup under --from (--rollback). */
  rollback?: Inventory;
}): GateOutcome {
  const diff = diffInventories(input.before, input.after, announcedFor(input.plan.from, input.plan.to));
  const total = Object.values(input.timings).reduce((a, b) => a + b, 0) * 1000;
  const verdicts = input.verdicts
    ? { ...input.verdicts, changes: verdictChanges(input.verdicts.before, input.verdicts.after) }
    : undefined;
  const checks = [
    ...diffChecks(diff, Math.round(total)),
    ...(verdicts && verdicts.suites.length > 0 ? [verdictCheck(verdicts.changes)] : []),
    ...(input.rollback ? [rollbackCheck(diffInventories(input.before, input.rollback, []))] : []),
    versionCheck(input.plan.to, input.after.harborVersion, true, Math.round((input.timings.upgrade ?? 0) * 1000)),
    ...breakageChecks(input.plan.breakages, input.harborImages),
  ];
  const target = input.session.target;
  return {
    runId: input.runId,
    plan: input.plan,
    // only what a report may show: the Target also holds the admin password, S3 keys and test tokens
    target: {
      kind: target.kind,
      url: target.url,
      harborVersion: input.after.harborVersion,
      ...((input.faultProfile ?? target.faultProfile)
        ? { faultProfile: input.faultProfile ?? target.faultProfile }
        : {}),
      ...(target.scanner ? { scanner: target.scanner } : {}),
    },
    harnessVersion,
    started: input.started,
    finished: new Date(),
    estate: input.estate,
    before: input.before,
    after: input.after,
    diff,
    checks,
    ...(verdicts ? { verdicts } : {}),
    timings: input.timings,
    ...(input.backupBytes !== undefined ? { backupBytes: input.backupBytes } : {}),
  };
}

export async function reportOutcome(
  runDir: string,
  outcome: GateOutcome,
  secrets: SecretRegistry,
  io: RunIo,
  known: string[],
): Promise<0 | 1> {
  const { exitCode } = await writeGateReport(runDir, outcome, (text) => redactText(text, secrets));
  // as `run` does: a report that shows a secret of the target is not to be published, and fails
  const leaks = await scanForSecrets(runDir, known);
  if (leaks.length > 0) {
    io.out(`SECRET LEAK: ${leaks.map(describeFinding).join(', ')} — do not publish ${runDir}`);
    return 1;
  }
  for (const check of outcome.checks.filter((c) => c.status !== 'passed'))
    io.out(
      `${check.status.toUpperCase().padEnd(7)} ${check.id} ${check.title}${check.status === 'failed' ? `: ${check.reason}` : ''}`,
    );
  const findings = outcome.diff.findings.length;
  io.out(
    `gate ${outcome.plan.from} → ${outcome.plan.to} (${outcome.plan.env}): ${exitCode === 0 ? 'PASS' : 'FAIL'}, ${findings} finding(s), ${outcome.estate.seeded.length} object(s) seeded`,
  );
  io.out(`report: ${runDir} (gate.md, gate.json, summary.html, summary.md, summary.json, junit.xml, allure-results)`);
  if (outcome.plan.env === 'offline')
    io.out('note: an offline gate proves the harness, not the upgrade of real Harbor');
  return exitCode;
}
