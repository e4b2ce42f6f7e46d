import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../reports/check-result.ts';
import { verdictCheck } from './gate-checks.ts';
import { verdictChanges } from './suite-verdicts.ts';

const check = (id: string, status: CheckResult['status']): CheckResult => ({
  id,
  title: id,
  suite: 'smoke',
  status,
  reason: status === 'failed' ? 'it broke' : null,
  controls: [],
  duration_ms: 1,
});

describe('verdict changes across the upgrade', () => {
  it('lists every check whose verdict changed and fails the gate only on a regression to failed', () => {
    const changes = verdictChanges(
      [check('A', 'passed'), check('B', 'failed'), check('C', 'passed')],
      [check('A', 'failed'), check('B', 'passed'), check('C', 'passed'), check('D', 'failed')],
    );
    expect(changes.map((c) => `${c.id} ${c.before}→${c.after}`)).toEqual(['A passed→failed', 'B failed→passed']);
    expect(verdictCheck(changes)).toMatchObject({ id: 'GATE-007', status: 'failed' });
    expect(verdictCheck(changes.filter((c) => c.id === 'B')).status).toBe('passed');
  });
});
