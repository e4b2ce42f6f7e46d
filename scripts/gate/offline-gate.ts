// The offline gate end to end: the stack with the double at --from, the estate seeded and inventoried, the suites,
// the upgrade in place, inventory and suites again, optionally the rollback, the verdict and the report; the stack is
// removed at the end, also on failure and Ctrl-C.
import { join, resolve } from 'node:path';
import { connectDockerEngine } from '../../environments/docker-engine.ts';
import type { Environment } from '../../environments/environment.ts';
import { redactText, SecretRegistry } from '../../lib/redact.ts';
import { newRunId } from '../../reports/run-id.ts';
import { loadRunConfig } from '../config.ts';
import { startEnvironmentGuarded } from '../environments.ts';
import type { RunControl, RunIo } from '../run-command.ts';
import type { GatePlan } from './gate-plan.ts';
import { gateSession, inventoryOf } from './gate-session.ts';
import type { Inventory } from './inventory.ts';
import { upgradeOfflineInPlace } from './offline-upgrade.ts';
import { emptyEstate, seedEstate } from './seed-estate.ts';
import { gateSuiteSelection, runSuiteSelection, suitesDir } from './suite-verdicts.ts';
import type { Target } from '../../lib/target.ts';
import { judgeUpgrade, reportOutcome, targetSecrets } from './judge-upgrade.ts';
import type { GateFlags } from './run-gate.ts';

const seconds = (since: number) => (performance.now() - since) / 1000;

export async function runOfflineGate(
  plan: GatePlan,
  flags: GateFlags,
  io: RunIo,
  control: RunControl,
): Promise<0 | 1 | 2> {
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
    return await reportOutcome(runDir, outcome, secrets, io, targetSecrets(target));
  } finally {
    await environment?.down();
  }
}

/** The Target after the upgrade: the new release, and the new core container for fault injection. */
function upgradedTarget(target: Target, harborVersion: string, coreContainerId: string): Target {
  const faults = target.faults
    ? { ...target.faults, containers: { ...target.faults.containers, core: coreContainerId } }
    : undefined;
  return { ...target, harborVersion, ...(faults ? { faults } : {}) };
}
