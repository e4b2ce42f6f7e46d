// `harbor-conformance gate`: the pre-upgrade gate end to end. Offline: start the stack with the double at --from,
// seed, inventory, upgrade in place, inventory, diff, known breakages, report, remove the stack (also on failure and
// Ctrl-C). External: the same in two phases around the team's own upgrade (--phase before / after). Official:
// the plan (--dry-run); its execution is not in this build.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { connectDockerEngine } from '../../environments/docker-engine.ts';
import type { Environment } from '../../environments/environment.ts';
import { redactText, SecretRegistry } from '../../lib/redact.ts';
import { newRunId } from '../../reports/run-id.ts';
import { describeFinding, scanForSecrets } from '../../reports/secret-scan.ts';
import { loadRunConfig, type RunFlags } from '../config.ts';
import { startEnvironmentGuarded } from '../environments.ts';
import { harnessVersion, type RunControl, type RunIo } from '../run-command.ts';
import { announcedFor } from './announced-changes.ts';
import { breakageChecks, diffChecks, rollbackCheck, verdictCheck, versionCheck } from './gate-checks.ts';
import { GateInputError, planGate, renderPlan, type GateEnv, type GatePlan } from './gate-plan.ts';
import { writeGateReport, type GateOutcome } from './gate-report.ts';
import { gateSession, inventoryOf, reportedHarborVersion, type GateSession } from './gate-session.ts';
import type { Inventory } from './inventory.ts';
import { diffInventories } from './inventory-diff.ts';
import { upgradeOfflineInPlace } from './offline-upgrade.ts';
import { emptyEstate, removeEstate, seedEstate, type SeededEstate } from './seed-estate.ts';
import { gateSuiteSelection, runSuiteSelection, suitesDir, verdictChanges } from './suite-verdicts.ts';
import type { CheckResult } from '../../reports/check-result.ts';
import type { Target } from '../../lib/target.ts';

export interface GateFlags extends Pick<RunFlags, 'url' | 'username' | 'allowMutating' | 'config' | 'quiet'> {
  env?: GateEnv;
  from?: string;
  to?: string;
  dryRun?: boolean;
  reportDir?: string;
  faultProfile?: string;
  phase?: 'before' | 'after';
  state?: string;
  /** Suites run before and after the upgrade (default smoke; "none" for none). */
  suites?: string;
  /** Offline: afterwards restore the backup under --from and take the inventory again. */
  rollback?: boolean;
}

const seconds = (since: number) => (performance.now() - since) / 1000;

export async function runGate(flags: GateFlags, io: RunIo, control: RunControl): Promise<0 | 1 | 2> {
  const env = flags.env ?? 'offline';
  const plan = planGate({ env, ...(flags.from ? { from: flags.from } : {}), ...(flags.to ? { to: flags.to } : {}) });
  if (flags.dryRun) {
    io.out(renderPlan(plan).trimEnd());
    return 0;
  }
  if (env === 'official')
    throw new GateInputError(
      'gate --env official prints its plan only in this build (add --dry-run); run the offline gate or --env external --phase before/after',
    );
  if (flags.faultProfile && env !== 'offline') throw new GateInputError('--fault-profile is for --env offline only');
  if (env === 'external') return runExternalPhase(plan, flags, io, control);
  return runOfflineGate(plan, flags, io, control);
}

async function runOfflineGate(plan: GatePlan, flags: GateFlags, io: RunIo, control: RunControl): Promise<0 | 1 | 2> {
  const config = loadRunConfig({ env: 'offline', ...(flags.quiet ? { quiet: true } : {}) });
  const suites = await gateSuiteSelection(flags.suites);
  const runId = newRunId();
  const runDir = resolve(flags.reportDir ?? join('reports', runId));
  const secrets = new SecretRegistry();
  const say = (line: string) => io.progress(redactText(line, secrets));
  const started = new Date();
  const timings: Record<string, number> = {};
  let environment: Environment | undefined;
  try {
    let t = performance.now();
    environment = await startEnvironmentGuarded(
      config,
      { runId, doubleHarborVersion: plan.from, log: say, signal: control.signal },
      (reason) => control.abort(reason),
    );
    timings['stack up'] = seconds(t);
    const target = environment.target;
    secrets.add(target.admin.password);
    const session = gateSession(target, runId);
    const estate = emptyEstate(session.prefix);
    t = performance.now();
    say(`gate: seeding the estate ${session.prefix}-* on ${target.harborVersion}`);
    await seedEstate(target, session.api, session.registry, session.prefix, estate, { signal: control.signal });
    timings.seed = seconds(t);
    t = performance.now();
    const before = await inventoryOf(session);
    timings['inventory before'] = seconds(t);
    t = performance.now();
    const redact = (text: string) => redactText(text, secrets);
    if (suites.length > 0) say(`gate: suites ${suites.join(', ')} on ${target.harborVersion}`);
    const verdictsBefore = await runSuiteSelection(target, suites, suitesDir(runDir, 'before'), redact, control);
    timings['suites before'] = seconds(t);
    control.signal.throwIfAborted();
    t = performance.now();
    say(`gate: upgrading in place to ${plan.to}${flags.faultProfile ? ` (fault profile ${flags.faultProfile})` : ''}`);
    const docker = await connectDockerEngine();
    const upgrade = await upgradeOfflineInPlace({
      docker,
      runId,
      url: target.url,
      to: plan.to,
      ...(flags.faultProfile ? { faultProfile: flags.faultProfile } : {}),
      signal: control.signal,
    });
    timings.upgrade = seconds(t);
    t = performance.now();
    const after = await inventoryOf(session);
    timings['inventory after'] = seconds(t);
    t = performance.now();
    const upgraded = upgradedTarget(target, after.harborVersion, upgrade.coreContainerId);
    const verdictsAfter = await runSuiteSelection(upgraded, suites, suitesDir(runDir, 'after'), redact, control);
    timings['suites after'] = seconds(t);
    let rollback: Inventory | undefined;
    if (flags.rollback) {
      t = performance.now();
      say(`gate: rolling back: the backup restored under ${plan.from}`);
      await upgradeOfflineInPlace({
        docker,
        runId,
        url: target.url,
        to: plan.from,
        restoreBackup: true,
        signal: control.signal,
      });
      rollback = await inventoryOf(session);
      timings.rollback = seconds(t);
    }
    const outcome = judgeUpgrade({
      runId,
      ...(rollback ? { rollback } : {}),
      verdicts: { suites, before: verdictsBefore, after: verdictsAfter },
      plan,
      session,
      estate,
      before,
      after,
      started,
      timings,
      harborImages: false,
      ...(flags.faultProfile ? { faultProfile: flags.faultProfile } : {}),
      ...(upgrade.backupBytes !== undefined ? { backupBytes: upgrade.backupBytes } : {}),
    });
    return await report(runDir, outcome, secrets, io, targetSecrets(target));
  } finally {
    await environment?.down();
  }
}

/** The Target's secrets a report must never show. */
function targetSecrets(target: Target): string[] {
  return [target.admin.password, target.testClock?.token, target.registryStorage?.s3.secretKey].filter(
    (s): s is string => typeof s === 'string' && s.length >= 4,
  );
}

/** The Target after the upgrade: the new release, and the new core container for fault injection. */
function upgradedTarget(target: Target, harborVersion: string, coreContainerId: string): Target {
  const faults = target.faults
    ? { ...target.faults, containers: { ...target.faults.containers, core: coreContainerId } }
    : undefined;
  return { ...target, harborVersion, ...(faults ? { faults } : {}) };
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

async function report(
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

interface ExternalState {
  runId: string;
  plan: GatePlan;
  estate: SeededEstate;
  before: Inventory;
  suites: string[];
  verdictsBefore: CheckResult[];
  started: string;
  timings: Record<string, number>;
}

/** External Harbor: `--phase before` seeds and inventories; the team upgrades; `--phase after --state` judges. */
async function runExternalPhase(plan: GatePlan, flags: GateFlags, io: RunIo, control: RunControl): Promise<0 | 1 | 2> {
  if (!flags.phase)
    throw new GateInputError(
      'gate --env external needs --phase before (seed, inventory) or --phase after --state <gate-state.json>',
    );
  const config = loadRunConfig({
    env: 'external',
    ...(flags.url ? { url: flags.url } : {}),
    ...(flags.username ? { username: flags.username } : {}),
    ...(flags.allowMutating ? { allowMutating: true } : {}),
    ...(flags.config ? { config: flags.config } : {}),
  });
  if (!config.allowMutating)
    throw new GateInputError('gate --env external seeds run-id-named projects: pass --allow-mutating');
  const secrets = new SecretRegistry();
  const say = (line: string) => io.progress(redactText(line, secrets));
  const redact = (text: string) => redactText(text, secrets);
  const state = flags.phase === 'after' ? await readState(flags.state) : undefined;
  const suites = state?.suites ?? (await gateSuiteSelection(flags.suites));
  const runId = state?.runId ?? newRunId();
  const runDir = resolve(flags.reportDir ?? join('reports', runId));
  const environment = await startEnvironmentGuarded(config, { runId, log: say, signal: control.signal }, (r) =>
    control.abort(r),
  );
  const target = environment.target;
  secrets.add(target.admin.password);
  const session = gateSession(target, runId);
  if (!state) {
    const estate = emptyEstate(session.prefix);
    const t = performance.now();
    try {
      await seedEstate(target, session.api, session.registry, session.prefix, estate, { signal: control.signal });
      const before = await inventoryOf(session);
      const verdictsBefore = await runSuiteSelection(target, suites, suitesDir(runDir, 'before'), redact, control);
      await mkdir(runDir, { recursive: true });
      const file = join(runDir, 'gate-state.json');
      const saved: ExternalState = {
        runId,
        plan,
        estate,
        before,
        suites,
        verdictsBefore,
        started: new Date().toISOString(),
        timings: { 'seed and inventory': seconds(t) },
      };
      await writeFile(file, redactText(JSON.stringify(saved, null, 2), secrets), { mode: 0o600 });
      io.out(
        `seeded ${estate.seeded.length} object(s) into ${session.prefix}-* on ${await reportedHarborVersion(session)}; upgrade the Harbor now, then:`,
      );
      io.out(
        `  harbor-conformance gate --env external --from ${plan.from} --to ${plan.to} --allow-mutating --phase after --state ${file}`,
      );
      return 0;
    } catch (error) {
      await removeEstate(session.api, estate).catch(() => []);
      throw error;
    }
  }
  try {
    const t = performance.now();
    const after = await inventoryOf(session);
    const verdictsAfter = await runSuiteSelection(target, suites, suitesDir(runDir, 'after'), redact, control);
    const outcome = judgeUpgrade({
      runId,
      verdicts: { suites, before: state.verdictsBefore, after: verdictsAfter },
      plan: state.plan,
      session,
      estate: state.estate,
      before: state.before,
      after,
      started: new Date(state.started),
      timings: { ...state.timings, 'inventory after': seconds(t) },
      harborImages: true,
    });
    return await report(runDir, outcome, secrets, io, targetSecrets(target));
  } finally {
    for (const problem of await removeEstate(session.api, state.estate)) say(`gate: could not remove ${problem}`);
  }
}

async function readState(file: string | undefined): Promise<ExternalState> {
  if (!file) throw new GateInputError('--phase after needs --state <gate-state.json> (written by --phase before)');
  try {
    return JSON.parse(await readFile(file, 'utf8')) as ExternalState;
  } catch (error) {
    throw new GateInputError(
      `--state ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : 'not a gate state file'}`,
    );
  }
}
