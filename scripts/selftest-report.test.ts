import { describe, expect, it } from 'vitest';
import { renderSelftestTable, selftestLookahead, type SelftestReport } from './selftest.ts';

describe('selftest report', () => {
  const report: SelftestReport = {
    run_id: 'hc-20261123-000000-abcd',
    suites: ['security-defaults', 'smoke'],
    profiles: [
      { name: 'anonymous-catalog-leak', models: 'x', caught_by: ['SEC-004'] },
      { name: 'scan-on-push-skipped', models: 'y', caught_by: [] },
    ],
    false_alarms: ['SMOKE-003'],
    errors: [],
    score: 50,
  };

  it('prints profile → checks that caught it, the misses, the false alarms and the score', () => {
    expect(renderSelftestTable(report).split('\n')).toEqual([
      'PROFILE                 CAUGHT BY',
      '(correct stack)         FALSE ALARMS: SMOKE-003',
      'anonymous-catalog-leak  SEC-004',
      'scan-on-push-skipped    NOT CAUGHT',
      'score: 50 % (1/2 fault profiles caught; suites security-defaults, smoke), false alarms: 1',
    ]);
  });

  it('starts two stacks ahead unless HC_SELFTEST_LOOKAHEAD says otherwise', () => {
    expect(selftestLookahead({})).toBe(2);
    expect(selftestLookahead({ HC_SELFTEST_LOOKAHEAD: '1' })).toBe(1);
    expect(selftestLookahead({ HC_SELFTEST_LOOKAHEAD: 'lots' })).toBe(2);
  });
});
