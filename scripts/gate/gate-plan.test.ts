import { describe, expect, it } from 'vitest';
import { GateInputError, planGate, renderPlan } from './gate-plan.ts';

describe('the gate plan', () => {
  it('defaults offline to the two releases the double emulates, with the breakages the jump crosses', () => {
    const plan = planGate({ env: 'offline' });
    expect([plan.from, plan.to]).toEqual(['v2.14.4', 'v2.15.3']);
    expect(plan.breakages.map((b) => b.id)).toEqual(
      expect.arrayContaining(['GATE-BRK-001', 'GATE-BRK-002', 'GATE-BRK-006']),
    );
    expect(plan.breakages.map((b) => b.id)).not.toContain('GATE-BRK-003'); // 2.14.1: v2.14.4 has it already
    expect(plan.steps.findIndex((s) => s.startsWith('stop'))).toBeLessThan(
      plan.steps.findIndex((s) => s.includes('start the double at')),
    );
  });

  it('refuses releases the double does not emulate, a downgrade, and a non-tag, each in one line', () => {
    expect(() => planGate({ env: 'offline', from: 'v2.13.0' })).toThrow(/emulates v2.14.4 and v2.15.3 only/);
    expect(() => planGate({ env: 'offline', from: 'v2.15.3', to: 'v2.14.4' })).toThrow(/not newer/);
    expect(() => planGate({ env: 'official', from: 'latest', to: 'v2.15.2' })).toThrow(GateInputError);
    expect(() => planGate({ env: 'official' })).toThrow(/needs --from and --to/);
  });

  it('plans the official upgrade with image tags per version and the carried-over volumes, stop → migrate → start', () => {
    const plan = planGate({ env: 'official', from: 'v2.14.4', to: 'v2.15.2' });
    const images = Object.fromEntries((plan.official?.images ?? []).map((i) => [i.role, [i.from, i.to]]));
    expect(images.core).toEqual(['ghcr.io/goharbor/harbor-core:v2.14.4', 'ghcr.io/goharbor/harbor-core:v2.15.2']);
    expect(images.redis).toEqual(['ghcr.io/goharbor/redis-photon:v2.14.4', 'ghcr.io/goharbor/valkey-photon:v2.15.2']);
    expect(plan.official?.volumes.map((v) => v.mountPath)).toEqual([
      '/var/lib/postgresql/data',
      '/var/lib/redis',
      '/storage',
      's3://harbor',
    ]);
    const order = ['stop core', 'pg_dump', 'pg_upgrade', 'valkey-photon', 'start core', 'healthy'].map((word) =>
      plan.steps.findIndex((s) => s.includes(word)),
    );
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(renderPlan(plan)).toContain('harbor-db:v2.14.4 → ghcr.io/goharbor/harbor-db:v2.15.2');
  });

  it('says when the database and the cache image stay (a jump within one PostgreSQL major)', () => {
    const plan = planGate({ env: 'official', from: 'v2.14.4', to: 'v2.15.1' });
    expect(plan.steps.join('\n')).not.toMatch(/pg_upgrade|valkey/);
  });
});
