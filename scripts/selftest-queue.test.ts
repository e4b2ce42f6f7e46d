import { describe, expect, it } from 'vitest';
import type { CheckDefinition } from '../suites/check-definition.ts';
import { planProfiles } from './selftest-plan.ts';
import { selftestQueue, selftestStacks, takeNext } from './selftest-queue.ts';

const check = (id: string, suite: string, caughtBy: string[], cpuBound = false): CheckDefinition =>
  ({
    id,
    suite,
    title: id,
    controls: [],
    mutating: false,
    remediation: 'r',
    caughtBy,
    cpuBound,
  }) as unknown as CheckDefinition;

const checks = [
  check('A-1', 'alpha', ['p-slow', 'p-fast']),
  check('A-2', 'alpha', ['p-fast']),
  check('B-1', 'beta', ['p-beta']),
];

describe('selftest queue', () => {
  it('puts every suite on the correct stack first, then each profile with exactly the checks that declare it', () => {
    const queue = selftestQueue(checks, planProfiles(checks, ['p-fast', 'p-slow', 'p-beta', 'p-unused'], false));
    expect(queue.map((i) => [i.kind, i.label, i.checks.map((c) => c.id)])).toEqual([
      ['correct', 'correct-stack/alpha', ['A-1', 'A-2']],
      ['correct', 'correct-stack/beta', ['B-1']],
      ['profile', 'p-fast', ['A-1', 'A-2']],
      ['profile', 'p-slow', ['A-1']],
      ['profile', 'p-beta', ['B-1']],
    ]);
  });

  it('starts the longest known runs first within each group, the unknown ones after them in catalog order', () => {
    const seconds: Record<string, number> = { 'p-slow': 40, 'p-fast': 2, 'correct-stack/beta': 90 };
    const queue = selftestQueue(
      checks,
      planProfiles(checks, ['p-fast', 'p-beta', 'p-slow'], false),
      (label) => seconds[label],
    );
    expect(queue.map((i) => i.label)).toEqual([
      'correct-stack/beta',
      'correct-stack/alpha',
      'p-slow',
      'p-fast',
      'p-beta',
    ]);
  });

  it('never hands a free lane a CPU-bound run while another lane has one, unless only CPU-bound runs are left', () => {
    const mixed = [
      check('O-1', 'oci', ['p-oci-1'], true),
      check('O-2', 'oci', ['p-oci-2'], true),
      check('W-1', 'waits', ['p-wait']),
    ];
    const queue = selftestQueue(mixed, planProfiles(mixed, ['p-oci-1', 'p-oci-2', 'p-wait'], false));
    // a fresh clone knows no times: the CPU-bound runs go first within each group
    expect(queue.map((i) => i.label)).toEqual([
      'correct-stack/oci',
      'correct-stack/waits',
      'p-oci-1',
      'p-oci-2',
      'p-wait',
    ]);
    expect(takeNext(queue, 0)?.label).toBe('correct-stack/oci');
    expect(takeNext(queue, 1)?.label).toBe('correct-stack/waits');
    expect(takeNext(queue, 1)?.label).toBe('p-wait');
    expect(takeNext(queue, 1)?.label).toBe('p-oci-1');
    expect(takeNext(queue, 0)?.label).toBe('p-oci-2');
    expect(takeNext(queue, 0)).toBeUndefined();
  });

  it('runs two stacks on a machine with two cores, one on a single core, and what HC_SELFTEST_STACKS says', () => {
    expect(selftestStacks({}, 2)).toBe(2);
    expect(selftestStacks({}, 1)).toBe(1);
    expect(selftestStacks({ HC_SELFTEST_STACKS: '3' }, 2)).toBe(3);
    expect(() => selftestStacks({ HC_SELFTEST_STACKS: 'two' }, 2)).toThrow(/whole number from 1 to 8, got "two"/);
    expect(() => selftestStacks({ HC_SELFTEST_STACKS: '0' }, 2)).toThrow(/from 1 to 8/);
  });
});
