import { describe, expect, it } from 'vitest';
import { diffChecks } from './gate-checks.ts';
import { planGate } from './gate-plan.ts';
import { gateSummary, renderGateMarkdown, renderJunit, type GateOutcome } from './gate-report.ts';
import { INVENTORY_KINDS, type Inventory } from './inventory.ts';
import { emptyEstate } from './seed-estate.ts';

const inventory = (version: string): Inventory => ({
  harborVersion: version,
  takenAt: 't',
  objects: Object.fromEntries(INVENTORY_KINDS.map((k) => [k, {}])) as Inventory['objects'],
});

function outcome(findings: GateOutcome['diff']['findings']): GateOutcome {
  const diff = {
    findings,
    announced: [],
    compared: Object.fromEntries(INVENTORY_KINDS.map((k) => [k, 0])) as GateOutcome['diff']['compared'],
  } as GateOutcome['diff'];
  return {
    runId: 'hc-1',
    plan: planGate({ env: 'offline' }),
    target: { kind: 'offline', url: 'http://127.0.0.1:1', harborVersion: 'v2.15.3-double' },
    harnessVersion: '0',
    started: new Date(0),
    finished: new Date(1000),
    estate: emptyEstate('hc-1-gate'),
    before: inventory('v2.14.4-double'),
    after: inventory('v2.15.3-double'),
    diff,
    checks: diffChecks(diff, 1),
    timings: { upgrade: 1 },
  };
}

describe('the gate report', () => {
  it('says an offline gate proves the harness, not the upgrade of real Harbor', () => {
    expect(renderGateMarkdown(outcome([]))).toContain('proves the harness');
    expect(renderGateMarkdown(outcome([]))).toContain('Verdict: PASS');
  });

  it('names the loss in the verdict, the JUnit failure and the summary', () => {
    const lossy = outcome([
      {
        type: 'disabled',
        kind: 'replication-policy',
        key: 'p-push',
        field: 'enabled',
        before: true,
        after: false,
        message: 'replication-policy p-push was enabled and is disabled after the upgrade',
      },
    ]);
    expect(renderGateMarkdown(lossy)).toContain('FAIL — GATE-004');
    const summary = gateSummary(lossy);
    expect(summary.totals.failed).toBe(1);
    expect(renderJunit(summary)).toMatch(/failures="1"[\s\S]*<failure message="replication-policy p-push was enabled/);
  });
});
