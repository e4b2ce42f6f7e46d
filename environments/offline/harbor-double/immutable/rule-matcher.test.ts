import { describe, expect, it } from 'vitest';
import type { ImmutableRuleMetadata, ImmutableSelector } from './immutable-rule.ts';
import { isImmutable } from './rule-matcher.ts';

const sel = (decoration: string, pattern: string): ImmutableSelector => ({ kind: 'doublestar', decoration, pattern });
const rule = (
  repositories: ImmutableSelector[],
  tags: ImmutableSelector[],
  extra: Partial<ImmutableRuleMetadata> = {},
): ImmutableRuleMetadata => ({
  id: 1,
  project_id: 1,
  disabled: false,
  priority: 0,
  action: 'immutable',
  template: 'immutable_template',
  tag_selectors: tags,
  scope_selectors: { repository: repositories },
  ...extra,
});
const candidate = (repository: string, tag?: string) => ({ repository, namespace: '', tags: tag ? [tag] : [] });

describe('immutable rule matcher (match.go)', () => {
  it('matches the repository without its project and the tag with doublestar globs', () => {
    const rules = [rule([sel('repoMatches', '**')], [sel('matches', 'v*')])];
    expect(isImmutable(rules, candidate('app', 'v1'))).toBe(true);
    expect(isImmutable(rules, candidate('a/b/c', 'v1.2'))).toBe(true);
    expect(isImmutable(rules, candidate('app', 'latest'))).toBe(false);
    expect(isImmutable(rules, candidate('app'))).toBe(false); // untagged never
  });

  it('`*` stays within a path segment, `**` crosses them; excludes decorations invert', () => {
    expect(
      isImmutable([rule([sel('repoMatches', 'team/*')], [sel('matches', '**')])], candidate('team/a/b', 'x')),
    ).toBe(false);
    expect(
      isImmutable([rule([sel('repoMatches', 'team/**')], [sel('matches', '**')])], candidate('team/a/b', 'x')),
    ).toBe(true);
    const excluding = [rule([sel('repoExcludes', 'tmp/**')], [sel('excludes', 'dev-*')])];
    expect(isImmutable(excluding, candidate('app', 'v1'))).toBe(true);
    expect(isImmutable(excluding, candidate('app', 'dev-1'))).toBe(false);
    expect(isImmutable(excluding, candidate('tmp/x', 'v1'))).toBe(false);
    expect(isImmutable([rule([sel('repoMatches', '{a,b}')], [sel('matches', '')])], candidate('b', 'anything'))).toBe(
      true,
    );
  });

  it('skips disabled rules and rules without selectors; a non-doublestar selector fails the match', () => {
    expect(
      isImmutable([rule([sel('repoMatches', '**')], [sel('matches', '**')], { disabled: true })], candidate('a', 't')),
    ).toBe(false);
    expect(isImmutable([rule([], [sel('matches', '**')])], candidate('a', 't'))).toBe(false);
    const broken = rule([{ kind: 'regex', decoration: 'repoMatches', pattern: '.*' }], [sel('matches', '**')]);
    expect(
      isImmutable([broken, rule([sel('repoMatches', '**')], [sel('matches', '**')], { id: 2 })], candidate('a', 't')),
    ).toBe(false);
  });

  it('every selector protects (v2.15.3); v2.15.2 reads only the first (GHSA-27f2-qg57-2gwg)', () => {
    const rules = [
      rule([sel('repoMatches', 'web'), sel('repoMatches', 'api/**')], [sel('matches', 'rel-*'), sel('matches', 'v*')]),
    ];
    expect(isImmutable(rules, candidate('api/x', 'v2'))).toBe(true);
    expect(isImmutable(rules, candidate('api/x', 'v2'), { firstSelectorOnly: true })).toBe(false);
    expect(isImmutable(rules, candidate('web', 'rel-1'), { firstSelectorOnly: true })).toBe(true);
  });

  it('without globstar (path.Match) nested repositories are not matched by `**`', () => {
    const rules = [rule([sel('repoMatches', '**')], [sel('matches', '**')])];
    expect(isImmutable(rules, candidate('a/b/c', 'v1'), { noGlobstar: true })).toBe(false);
    expect(isImmutable(rules, candidate('a', 'v1'), { noGlobstar: true })).toBe(true);
  });
});
