import { describe, expect, it } from 'vitest';
import { defaultRetentionPolicy } from '../../policies/retention-policy.ts';
import { expectedRetention, type SeededArtifact, seededTimes, selectsUntagged } from './expected-retention.ts';

const now = Date.UTC(2026, 11, 1);
const seed = (label: string, tags: string[], pushed: number, pulled?: number): SeededArtifact => ({
  label,
  tags,
  ...seededTimes(now, pushed, pulled),
});

describe('expectedRetention', () => {
  const artifacts = defaultRetentionPolicy.seed.artifacts.map((a, i) =>
    seed(a.tags.join(',') || `(untagged ${i})`, a.tags, a.pushedDaysAgo, a.pulledDaysAgo),
  );
  it("applies the default policy's two rules (ORed) and its immutable rule", () => {
    const { rules, immutable } = defaultRetentionPolicy;
    const marks = expectedRetention('team/svc/api', artifacts, rules, immutable, now)!;
    expect(Object.fromEntries([...marks].map(([a, m]) => [a.label, m]))).toEqual({
      'v1.0.0': 'IMMUTABLE',
      'v1.1.0': 'RETAIN',
      'v1.2.0': 'DEL',
      'v2.0.0,stable': 'RETAIN',
      '(untagged 4)': 'DEL',
      dev: 'RETAIN',
    });
  });
  it('leaves repositories no rule covers alone', () => {
    const rule = { ...defaultRetentionPolicy.rules[0]! };
    rule.scope_selectors = { repository: [{ kind: 'doublestar', decoration: 'repoMatches', pattern: 'team/*' }] };
    expect(expectedRetention('team/svc/api', artifacts, [rule], [], now)).toBeUndefined();
    expect(expectedRetention('team/svc', artifacts, [rule], [], now)).toBeDefined();
  });
});

describe('selectsUntagged', () => {
  const s = (decoration: string, extras?: string) => ({
    kind: 'doublestar' as const,
    decoration,
    pattern: '**',
    ...(extras === undefined ? {} : { extras }),
  });
  it('follows doublestar.New', () => {
    expect(selectsUntagged(s('matches'))).toBe(true);
    expect(selectsUntagged(s('excludes'))).toBe(true);
    expect(selectsUntagged(s('matches', '{"untagged":false}'))).toBe(false);
    expect(selectsUntagged(s('excludes', '{"untagged":true}'))).toBe(false);
    expect(selectsUntagged(s('matches', '["untagged":True]'))).toBe(true);
  });
});
