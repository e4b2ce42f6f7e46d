import { describe, expect, it } from 'vitest';
import { cronMatches } from './replication-schedule.ts';

describe('replication cron (6 fields, seconds first)', () => {
  const at = new Date('2026-12-01T03:15:00Z'); // a Tuesday

  it('matches numbers, lists, ranges and steps', () => {
    expect(cronMatches('0 15 3 * * *', at)).toBe(true);
    expect(cronMatches('0 */15 * * * *', at)).toBe(true);
    expect(cronMatches('0 10,15 1-4 * * 2', at)).toBe(true);
    expect(cronMatches('0 16 3 * * *', at)).toBe(false);
    expect(cronMatches('0 15 3 * * 1', at)).toBe(false);
    expect(cronMatches('0 15 3 * *', at)).toBe(false);
  });
});
