import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DoubleServices } from '../double-services.ts';

vi.mock('../store/replication.ts', () => ({ allPolicies: async () => [], findPolicy: async () => undefined }));
const { startReplicationScheduler } = await import('./replication-schedule.ts');

describe("the double's scheduler", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fires every schedule kind at each minute boundary, and a failing one neither stops the others nor the timer', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-12-01T10:00:30Z'));
    const fired: string[] = [];
    const logged: string[] = [];
    const scheduler = startReplicationScheduler({} as DoubleServices, {
      log: (line) => logged.push(line),
      also: [
        { what: 'garbage collection', fire: async (at) => fired.push(`gc ${at.toISOString()}`) },
        {
          what: 'retention',
          fire: async () => {
            throw new Error('database gone');
          },
        },
      ],
    });
    await vi.advanceTimersByTimeAsync(29_000);
    expect(fired).toEqual([]);
    await vi.advanceTimersByTimeAsync(1_000);
    await vi.advanceTimersByTimeAsync(60_000);
    scheduler.stop();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(fired).toEqual(['gc 2026-12-01T10:01:00.000Z', 'gc 2026-12-01T10:02:00.000Z']);
    expect(logged).toEqual(['scheduled retention failed: database gone', 'scheduled retention failed: database gone']);
  });
});
