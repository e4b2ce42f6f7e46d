import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { DoubleServices } from '../double-services.ts';

let stored: { type: string; cron: string; parameters: Record<string, unknown> } | undefined;
const started: Array<{ kind: string; parameters: Record<string, unknown> }> = [];
vi.mock('../api/gc-schedule-routes.ts', () => ({ readGcSchedule: async () => stored }));
vi.mock('./gc-queue.ts', () => ({
  startGc: async (_s: unknown, kind: string, parameters: Record<string, unknown>) => {
    started.push({ kind, parameters });
    return 7;
  },
}));
const { fireDueGcSchedule } = await import('./gc-schedule.ts');

describe('scheduled garbage collection', () => {
  beforeEach(() => {
    stored = undefined;
    started.length = 0;
  });

  it("starts a collection with the schedule's parameters and job_kind SCHEDULE when its cron matches the minute", async () => {
    const services = {} as DoubleServices;
    expect(await fireDueGcSchedule(services, new Date('2026-12-01T00:00:00Z'))).toBeUndefined();
    stored = { type: 'Daily', cron: '0 0 0 * * *', parameters: { delete_untagged: true, workers: 2 } };
    expect(await fireDueGcSchedule(services, new Date('2026-12-01T13:00:00Z'))).toBeUndefined();
    expect(await fireDueGcSchedule(services, new Date('2026-12-02T00:00:00Z'))).toBe(7);
    expect(started).toEqual([{ kind: 'SCHEDULE', parameters: { delete_untagged: true, workers: 2 } }]);
  });
});
