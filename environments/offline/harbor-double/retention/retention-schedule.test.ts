import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { DoubleServices } from '../double-services.ts';
import type { RetentionPolicy } from './retention-policy.ts';

const policies: RetentionPolicy[] = [];
const triggered: Array<{ id: number; trigger: string; dryRun: boolean }> = [];
vi.mock('../store/retention.ts', () => ({ allPolicies: async () => policies }));
vi.mock('./retention-launcher.ts', () => ({
  triggerRetentionExecution: async (_s: unknown, policy: RetentionPolicy, trigger: string, dryRun: boolean) => {
    triggered.push({ id: policy.id, trigger, dryRun });
    return 100 + policy.id;
  },
}));
const { fireDueRetentionSchedules } = await import('./retention-schedule.ts');

const policy = (id: number, kind: string, cron: string): RetentionPolicy => ({
  id,
  algorithm: 'or',
  rules: [],
  trigger: { kind, settings: { cron }, references: {} },
  scope: { level: 'project', ref: id },
});

describe('scheduled retention', () => {
  beforeEach(() => {
    policies.length = 0;
    triggered.length = 0;
  });

  it('starts a real run (trigger Schedule, not a dry run) of each policy whose cron matches the minute, and no other', async () => {
    policies.push(
      policy(1, 'Schedule', '0 0 0 * * *'),
      policy(2, 'Schedule', '0 30 * * * *'),
      policy(3, 'Schedule', ''),
    );
    const services = {} as DoubleServices;
    expect(await fireDueRetentionSchedules(services, new Date('2026-12-01T00:00:00Z'))).toEqual([101]);
    expect(await fireDueRetentionSchedules(services, new Date('2026-12-01T05:30:00Z'))).toEqual([102]);
    expect(await fireDueRetentionSchedules(services, new Date('2026-12-01T05:31:00Z'))).toEqual([]);
    expect(triggered).toEqual([
      { id: 1, trigger: 'Schedule', dryRun: false },
      { id: 2, trigger: 'Schedule', dryRun: false },
    ]);
  });
});
