import { describe, expect, it } from 'vitest';
import { renderSelftestTable, type SelftestReport } from './selftest.ts';

describe('selftest report', () => {
  const report: SelftestReport = {
    run_id: 'hc-20261123-000000-abcd',
    suites: ['security-defaults', 'smoke'],
    mode: 'declared',
    profiles: [
      {
        name: 'anonymous-catalog-leak',
        models: 'x',
        declared: ['SEC-004', 'SMOKE-007'],
        caught_by: ['SEC-004', 'SMOKE-007'],
        missed: [],
        undeclared_catches: [],
        seconds: 3,
      },
      {
        name: 'scan-on-push-skipped',
        models: 'y',
        declared: ['SCAN-001'],
        caught_by: [],
        missed: ['SCAN-001 (passed)'],
        undeclared_catches: [],
        seconds: 20,
      },
    ],
    false_alarms: ['SMOKE-003'],
    unexpected_verdicts: [],
    checks_without_profile: ['SEC-099'],
    unproven_on_this_stack: ['SCAN-008'],
    errors: [],
    score: 50,
    stacks: 2,
    seconds: { total: 312, stack_start: 41 },
  };

  it('prints profile → checks that caught it, the misses, the false alarms, the score and the time', () => {
    expect(renderSelftestTable(report).split('\n')).toEqual([
      'PROFILE                 CAUGHT BY',
      '(correct stack)         FALSE ALARMS: SMOKE-003',
      'anonymous-catalog-leak  SEC-004, SMOKE-007',
      'scan-on-push-skipped    NOT CAUGHT; MISSED: SCAN-001 (passed)',
      'checks without a fault profile: SEC-099',
      'unproven on this stack (skipped on the correct stack, so no profile can show a catch): SCAN-008',
      'score: 50 % (2/3 declared catches; 2 fault profiles; suites security-defaults, smoke), false alarms: 1, checks without a profile: 1',
      'selftest time: 5 min 12 s (2 stacks side by side; the first up in 41 s)',
      'selftest: 2 passed, 3 failed',
    ]);
  });
});
