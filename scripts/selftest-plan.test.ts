import { describe, expect, it } from 'vitest';
import type { Verdict } from '../reports/check-result.ts';
import type { CheckDefinition } from '../suites/check-definition.ts';
import {
  catches,
  checksWithoutProfile,
  correctStackProblems,
  planProfiles,
  profileResult,
  selftestScore,
} from './selftest-plan.ts';

const check = (id: string, caughtBy: string[], expectWarn = false): CheckDefinition =>
  ({
    id,
    title: id,
    suite: 's',
    controls: ['c'],
    mutating: false,
    remediation: 'r',
    caughtBy,
    expectWarn,
    timeoutMs: 1,
  }) as unknown as CheckDefinition;

const checks = [check('A-001', ['p1']), check('A-002', ['p1', 'p2']), check('A-003', ['p2'], true)];

describe('selftest plan', () => {
  it('runs only the checks that declare a profile (a profile none declares is left out), or every check with --full', () => {
    expect(planProfiles(checks, ['p1', 'p2', 'p3'], false)).toEqual([
      { profile: 'p1', declared: ['A-001', 'A-002'], run: ['A-001', 'A-002'] },
      { profile: 'p2', declared: ['A-002', 'A-003'], run: ['A-002', 'A-003'] },
    ]);
    expect(planProfiles(checks, ['p3'], true)[0]?.run).toEqual(['A-001', 'A-002', 'A-003']);
  });

  it('counts a failure as a catch, and for a warn check any verdict but warn (or skipped)', () => {
    expect(catches({ expectWarn: false }, 'failed')).toBe(true);
    expect(catches({ expectWarn: false }, 'warn')).toBe(false);
    expect(catches({ expectWarn: false }, 'skipped')).toBe(false);
    expect(catches({ expectWarn: true }, 'passed')).toBe(true);
    expect(catches({ expectWarn: true }, 'failed')).toBe(true);
    expect(catches({ expectWarn: true }, 'warn')).toBe(false);
    expect(catches({ expectWarn: true }, undefined)).toBe(false);
  });

  it('reports misses, undeclared catches and a score over declared pairs', () => {
    const [plan] = planProfiles(checks, ['p2'], true);
    const verdicts = new Map<string, Verdict>([
      ['A-001', 'failed'],
      ['A-002', 'passed'],
      ['A-003', 'passed'],
    ]);
    const result = profileResult(checks, plan!, { profile: 'p2', models: 'm', verdicts, seconds: 1 });
    expect(result).toMatchObject({
      caught_by: ['A-001', 'A-003'],
      missed: ['A-002 (passed)'],
      undeclared_catches: ['A-001'],
    });
    expect(selftestScore([result], [])).toBe(50);
    expect(selftestScore([result], ['Z-001'])).toBe(33.3);
    expect(checksWithoutProfile([...checks, check('Z-001', [])])).toEqual(['Z-001']);
  });

  it('finds false alarms and swapped warn verdicts on the correct stack', () => {
    const verdicts = new Map<string, Verdict>([
      ['A-001', 'failed'],
      ['A-002', 'warn'],
      ['A-003', 'passed'],
    ]);
    expect(correctStackProblems(checks, verdicts)).toEqual({
      falseAlarms: ['A-001'],
      unexpected: ['A-002: warn, expected passed', 'A-003: passed, expected warn'],
    });
  });
});
