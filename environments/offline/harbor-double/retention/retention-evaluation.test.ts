import { describe, expect, it } from 'vitest';
import { evaluateRetention, GO_ZERO_UNIX, type RetentionCandidate, untaggedOf } from './retention-evaluation.ts';
import type { RetentionRule } from './retention-policy.ts';

const DAY = 86_400;
const now = Date.UTC(2026, 11, 1);
const t = (daysAgo: number) => Math.floor(now / 1000) - daysAgo * DAY;
const c = (digest: string, tags: string[], pushedDaysAgo: number, pulledDaysAgo?: number): RetentionCandidate => ({
  digest,
  tags,
  pushedTime: t(pushedDaysAgo),
  pulledTime: pulledDaysAgo === undefined ? GO_ZERO_UNIX : t(pulledDaysAgo),
  creationTime: t(pushedDaysAgo),
});
const rule = (template: string, params: Record<string, unknown>, tagPattern = '**', extras = ''): RetentionRule => ({
  id: 0,
  priority: 0,
  disabled: false,
  action: 'retain',
  template,
  params,
  tag_selectors: [{ kind: 'doublestar', decoration: 'matches', pattern: tagPattern, extras }],
  scope_selectors: { repository: [{ kind: 'doublestar', decoration: 'repoMatches', pattern: '**', extras: '' }] },
});
const candidates = [c('a', ['v1'], 10, 1), c('b', ['v2'], 5), c('c', ['latest'], 1, 20), c('u', [], 2)];
const run = (rules: RetentionRule[], extra: Partial<Parameters<typeof evaluateRetention>[0]> = {}) =>
  Object.fromEntries(evaluateRetention({ candidates, rules, now, isImmutable: () => false, ...extra }));

describe('evaluateRetention', () => {
  it('keeps the k most recently pushed, untagged ones included by default', () => {
    expect(run([rule('latestPushedK', { latestPushedK: 2 })])).toEqual({
      a: 'DEL',
      b: 'DEL',
      c: 'RETAIN',
      u: 'RETAIN',
    });
  });
  it('compares pull times for the pull templates; never pulled is never recent', () => {
    expect(run([rule('nDaysSinceLastPull', { nDaysSinceLastPull: 7 })])).toEqual({
      a: 'RETAIN',
      b: 'DEL',
      c: 'DEL',
      u: 'DEL',
    });
    expect(run([rule('latestPulledN', { latestPulledN: 1 })])).toMatchObject({ a: 'RETAIN', c: 'DEL' });
  });
  it('ORs the rules and ANDs the selectors of one rule', () => {
    const v = rule('always', {}, 'v*', '{"untagged": false}');
    const latest = rule('always', {}, 'latest', '{"untagged": false}');
    expect(run([v, latest])).toEqual({ a: 'RETAIN', b: 'RETAIN', c: 'RETAIN', u: 'DEL' });
    expect(run([v, latest], { defects: { rulesAnded: true } })).toEqual({ a: 'DEL', b: 'DEL', c: 'DEL', u: 'DEL' });
    const both = {
      ...v,
      tag_selectors: [...v.tag_selectors, { kind: 'doublestar', decoration: 'excludes', pattern: 'v2', extras: '' }],
    };
    expect(run([both])).toEqual({ a: 'RETAIN', b: 'DEL', c: 'DEL', u: 'DEL' });
  });
  it('marks immutable non-retained candidates IMMUTABLE', () => {
    const marks = run([rule('latestPushedK', { latestPushedK: 1 })], { isImmutable: (x) => x.digest === 'a' });
    expect(marks).toMatchObject({ a: 'IMMUTABLE', b: 'DEL', c: 'RETAIN' });
  });
  it('deletes nothing when no rule has a tag selector', () => {
    expect(run([{ ...rule('always', {}), tag_selectors: [] }])).toEqual({
      a: 'RETAIN',
      b: 'RETAIN',
      c: 'RETAIN',
      u: 'RETAIN',
    });
  });
  it('fails the job on an unknown template or a missing parameter', () => {
    expect(() => run([rule('keepEverything', {})])).toThrow('rule evaluator keepEverything is not registered');
    expect(() => run([rule('latestPushedK', {})])).toThrow('missing required parameter latestPushedK');
  });
});

describe('untaggedOf (doublestar.New)', () => {
  const s = (decoration: string, extras: string) => ({ kind: 'doublestar', decoration, pattern: '**', extras });
  it('defaults to true for matches, false for excludes, and reads valid JSON only', () => {
    expect(untaggedOf(s('matches', ''))).toBe(true);
    expect(untaggedOf(s('excludes', ''))).toBe(false);
    expect(untaggedOf(s('matches', '{"untagged":false}'))).toBe(false);
    expect(untaggedOf(s('matches', '{}'))).toBe(false);
    expect(untaggedOf(s('matches', '["untagged":True]'))).toBe(true);
    expect(untaggedOf(s('matches', '{"untagged":"no"}'))).toBe(true);
    expect(untaggedOf(s('matches', '{"untagged":false}'), true)).toBe(true);
  });
});
