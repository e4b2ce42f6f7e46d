// The gate's diff logic proven on one offline stack of its own: the double starts at v2.14.4, the estate is seeded
// and inventoried once, then each case restores the database backup taken before the first upgrade and upgrades in
// place to v2.15.3 — correct (no finding, exit 0) and under each lossy-migration fault profile (its loss named,
// exit 1).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDockerEngine } from '../../environments/docker-engine.ts';
import type { OfflineEnvironment } from '../../environments/offline/offline-environment.ts';
import { startOfflineEnvironment } from '../../environments/offline/offline-environment.ts';
import { spawnRunReaper } from '../../environments/offline/run-reaper.ts';
import { exitCodeFor } from '../../reports/summary.ts';
import { planGate } from './gate-plan.ts';
import { gateSummary } from './gate-report.ts';
import { gateSession, inventoryOf, type GateSession } from './gate-session.ts';
import type { Inventory } from './inventory.ts';
import { upgradeOfflineInPlace } from './offline-upgrade.ts';
import { judgeUpgrade } from './judge-upgrade.ts';
import { emptyEstate, seedEstate, type SeededEstate } from './seed-estate.ts';

const plan = planGate({ env: 'offline' });
let environment: OfflineEnvironment | undefined;
let session: GateSession;
let estate: SeededEstate;
let before: Inventory;
let upgrades = 0;
let onSignal: (() => void) | undefined;

beforeAll(async () => {
  const runId = `hc-gate-test-${randomBytes(3).toString('hex')}`;
  // vitest exits at once on a signal: a detached process removes this test's own stack (as the global setup does)
  onSignal = () => void spawnRunReaper(runId);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  environment = await startOfflineEnvironment({ runId, doubleHarborVersion: plan.from });
  session = gateSession(environment.target, runId);
  estate = await seedEstate(
    environment.target,
    session.api,
    session.registry,
    session.prefix,
    emptyEstate(session.prefix),
  );
  before = await inventoryOf(session);
}, 240_000);

afterAll(async () => {
  if (onSignal) for (const signal of ['SIGINT', 'SIGTERM'] as const) process.off(signal, onSignal);
  await environment?.down();
});

async function upgradeWith(faultProfile: string) {
  const env = environment as OfflineEnvironment;
  await upgradeOfflineInPlace({
    docker: await connectDockerEngine(),
    runId: env.target.runId,
    url: env.target.url,
    to: plan.to,
    faultProfile,
    // the first upgrade takes the backup; every later one restores it and upgrades the same v2.14.4 data again
    restoreBackup: upgrades++ > 0,
  });
  const after = await inventoryOf(session);
  const outcome = judgeUpgrade({
    runId: env.target.runId,
    plan,
    session,
    estate,
    before,
    after,
    started: new Date(),
    timings: {},
    harborImages: false,
  });
  return { outcome, exitCode: exitCodeFor(gateSummary(outcome)) };
}

describe('the pre-upgrade gate on the offline stack (v2.14.4 → v2.15.3)', () => {
  it('seeds an estate the inventory sees whole, every artifact pulling byte for byte', () => {
    expect(before.harborVersion).toMatch(/^v2\.14\.4-double/);
    const artifacts = Object.values(before.objects.artifact);
    expect(artifacts.length).toBeGreaterThanOrEqual(3);
    expect(artifacts.every((a) => String(a.pull).startsWith('ok'))).toBe(true);
    expect(artifacts.some((a) => typeof a.scan === 'object')).toBe(true);
    expect(Object.values(before.objects['replication-policy']).map((p) => p.enabled)).toEqual([true]);
    expect(Object.keys(before.objects.robot)).toHaveLength(3);
    expect(Object.keys(before.objects.project)).toHaveLength(3);
  });

  it('passes a clean migration: no finding, the new release reported, exit 0', async () => {
    const { outcome, exitCode } = await upgradeWith('');
    expect(outcome.diff.findings).toEqual([]);
    expect(outcome.after.harborVersion).toMatch(/^v2\.15\.3-double/);
    expect(exitCode).toBe(0);
  });

  it('fails when the migration drops the scan reports, naming the artifact', async () => {
    const { outcome, exitCode } = await upgradeWith('lossy-migration-drops-scan-reports');
    expect(outcome.diff.findings.map((f) => f.type)).toContain('scan-report-lost');
    expect(outcome.checks.find((c) => c.id === 'GATE-005')?.reason).toMatch(/-secure\/app@sha256:/);
    expect(exitCode).toBe(1);
  });

  it('fails when the migration disables the replication policies, naming the policy', async () => {
    const { outcome, exitCode } = await upgradeWith('lossy-migration-disables-replication-policies');
    expect(outcome.checks.find((c) => c.id === 'GATE-004')?.reason).toMatch(/replication-policy .*-push was enabled/);
    expect(exitCode).toBe(1);
  });
});
