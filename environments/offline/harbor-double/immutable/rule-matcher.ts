// Whether a tag is immutable: goharbor/harbor src/pkg/immutable/match/rule/match.go@v2.15.2 over the project's
// rules, in id order. A disabled rule is skipped; a rule needs a repository scope selector and a tag selector
// that both select the candidate (the tag selector with extras {"untagged": false}, so an untagged artifact is
// never immutable); the first rule that matches decides. A selector of another kind than doublestar makes
// match.go fail, and a failed match leaves the tag mutable (tag controller populateImmutableStatus).
//
// v2.15.2 reads only the FIRST repository selector and the FIRST tag selector of a rule: GHSA-27f2-qg57-2gwg,
// fixed in v2.15.3 (the release the double models), where every selector protects — a repository any of the
// rule's repository selectors selects and a tag any of its tag selectors selects. (The fix itself was not in
// the source read, goharbor/harbor main up to 2026-08-21: "every selector" is the advisory's wording.)
import { type Candidate, type MatchOptions, selects } from './doublestar-selector.ts';
import type { ImmutableRuleMetadata, ImmutableSelector } from './immutable-rule.ts';

export interface MatcherOptions extends MatchOptions {
  /** The v2.15.2 matcher: only the first selector of each kind counts (GHSA-27f2-qg57-2gwg unfixed). */
  firstSelectorOnly?: boolean;
}

function anySelects(
  selectors: readonly ImmutableSelector[],
  candidate: Candidate,
  untagged: boolean,
  options: MatcherOptions,
): boolean {
  const used = options.firstSelectorOnly ? selectors.slice(0, 1) : selectors;
  return used.some((s) => {
    if (s.kind !== 'doublestar') throw new Error(`selector ${s.kind} is not registered`);
    return selects(s, candidate, untagged, options);
  });
}

export function ruleMatches(rule: ImmutableRuleMetadata, candidate: Candidate, options: MatcherOptions = {}): boolean {
  if (rule.disabled) return false;
  const repositories = rule.scope_selectors?.['repository'] ?? [];
  const tags = rule.tag_selectors ?? [];
  if (repositories.length === 0 || tags.length === 0) return false;
  // The repository selector is built with no extras: a candidate is judged by its repository alone.
  return anySelects(repositories, candidate, true, options) && anySelects(tags, candidate, false, options);
}

export function isImmutable(
  rules: readonly ImmutableRuleMetadata[],
  candidate: Candidate,
  options: MatcherOptions = {},
): boolean {
  try {
    return [...rules].sort((a, b) => a.id - b.id).some((rule) => ruleMatches(rule, candidate, options));
  } catch {
    return false;
  }
}
