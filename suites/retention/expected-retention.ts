// What Harbor v2.15 keeps, worked out by the harness from the rules and the seeded times, to compare with what
// Harbor reports and does. Harbor's semantics, each from its source (goharbor/harbor …@v2.15.2):
// - a rule applies to a repository when every one of its repository selectors selects the name without the
//   project (src/pkg/retention/launcher.go); disabled rules are skipped;
// - in a repository, a rule filters the artifacts through each tag selector in turn (ANDed), then its template
//   keeps some of them; what any rule keeps is retained (rules ORed: policy/alg/or/processor.go);
// - a tag selector `matches` selects an artifact when one of its tags matches, `excludes` when one does not;
//   an untagged artifact is selected as `extras` {"untagged": …} says — true for matches and false for
//   excludes when absent or not valid JSON, false for `{}` (src/lib/selector/selectors/doublestar/selector.go);
// - templates (policy/rule/*): latestPushedK / latestPulledN keep the K most recently pushed / pulled,
//   nDaysSinceLastPush / nDaysSinceLastPull those pushed / pulled within N days (never pulled: never), always all;
// - the rest is deleted, except artifacts with an immutable tag: kept and logged IMMUTABLE (action/performer.go).
import { minimatch } from 'minimatch';
import type { RetentionPolicyFile } from '../../policies/retention-policy.ts';

export type RetentionRuleBody = RetentionPolicyFile['rules'][number];
export type RetentionSelectorBody = RetentionRuleBody['tag_selectors'][number];
export type ImmutableRuleSpec = RetentionPolicyFile['immutable'][number];
export type Retention = 'RETAIN' | 'DEL' | 'IMMUTABLE';

export interface SeededArtifact {
  /** Names the artifact in tables: its tags, or `(untagged n)`. */
  label: string;
  tags: string[];
  /** When it was last pushed and pulled (ms since the epoch; pulledAt undefined: never). */
  pushedAt: number;
  pulledAt?: number;
}

const DAY_MS = 86_400_000;

/** bmatcuk/doublestar's Match: `*` stays within a path segment, `**` crosses them, an empty pattern matches all. */
export function doublestarMatch(pattern: string, value: string): boolean {
  if (pattern === '') return true;
  return minimatch(value, pattern, { dot: true, nonegate: true, nocomment: true, noext: true });
}

/** doublestar.New's `untagged` flag: true for matches and false for excludes unless valid JSON extras say. */
export function untaggedFlag(selector: RetentionSelectorBody): boolean {
  const fallback = selector.decoration !== 'excludes';
  if (selector.extras === undefined || selector.extras === '') return fallback;
  let parsed: unknown;
  try {
    parsed = JSON.parse(selector.extras);
  } catch {
    return fallback;
  }
  // Go's json.Unmarshal into struct{Untagged bool}: null and objects succeed (a missing key is false),
  // anything else fails and the default stays
  if (parsed === null) return false;
  if (typeof parsed !== 'object' || Array.isArray(parsed)) return fallback;
  const value = (parsed as { untagged?: unknown }).untagged;
  if (value === undefined || value === null) return false;
  return typeof value === 'boolean' ? value : fallback;
}

/** Whether an untagged artifact passes this selector: `matches` selects it when the flag is set, `excludes` when not. */
export function selectsUntagged(selector: RetentionSelectorBody): boolean {
  const flag = untaggedFlag(selector);
  return selector.decoration === 'excludes' ? !flag : flag;
}

function tagSelectorKeeps(selector: RetentionSelectorBody, artifact: SeededArtifact): boolean {
  if (artifact.tags.length === 0) return selectsUntagged(selector);
  const matching = artifact.tags.map((tag) => doublestarMatch(selector.pattern, tag));
  if (selector.decoration === 'matches') return matching.includes(true);
  if (selector.decoration === 'excludes') return matching.includes(false);
  return false;
}

/** Whether the rule's repository selectors all pick the repository (name without the project). */
export function ruleCoversRepository(rule: RetentionRuleBody, repository: string): boolean {
  if (rule.disabled) return false;
  return rule.scope_selectors.repository.every((s) => {
    const matched = doublestarMatch(s.pattern, repository);
    if (s.decoration === 'repoMatches') return matched;
    if (s.decoration === 'repoExcludes') return !matched;
    return false;
  });
}

function templateKeeps(rule: RetentionRuleBody, artifacts: SeededArtifact[], now: number): SeededArtifact[] {
  const param = (fallback: number) => rule.params[rule.template] ?? fallback;
  const newest = (time: (a: SeededArtifact) => number, k: number) =>
    [...artifacts].sort((x, y) => time(y) - time(x)).slice(0, k);
  const within = (time: (a: SeededArtifact) => number | undefined, days: number) =>
    artifacts.filter((a) => {
      const at = time(a);
      return at !== undefined && Math.floor(at / 1000) >= Math.floor(now / 1000) - days * 86_400;
    });
  switch (rule.template) {
    case 'latestPushedK':
      return newest((a) => a.pushedAt, param(10));
    case 'latestPulledN':
      return newest((a) => a.pulledAt ?? Number.NEGATIVE_INFINITY, param(10));
    case 'nDaysSinceLastPush':
      return within((a) => a.pushedAt, param(30));
    case 'nDaysSinceLastPull':
      return within((a) => a.pulledAt, param(30));
    case 'always':
      return artifacts;
  }
}

export function isImmutableArtifact(
  immutable: readonly ImmutableRuleSpec[],
  repository: string,
  artifact: SeededArtifact,
): boolean {
  return immutable.some(
    (rule) =>
      rule.repositories.some((p) => doublestarMatch(p, repository)) &&
      artifact.tags.some((tag) => rule.tags.some((p) => doublestarMatch(p, tag))),
  );
}

/**
 * The retention of each artifact of one repository, or undefined when no enabled rule covers it (Harbor
 * creates no task for it and leaves it alone).
 */
export function expectedRetention(
  repository: string,
  artifacts: readonly SeededArtifact[],
  rules: readonly RetentionRuleBody[],
  immutable: readonly ImmutableRuleSpec[],
  now: number,
): Map<SeededArtifact, Retention> | undefined {
  const applying = rules.filter((rule) => ruleCoversRepository(rule, repository));
  if (applying.length === 0) return undefined;
  const kept = new Set<SeededArtifact>();
  for (const rule of applying) {
    const selected = artifacts.filter((a) => rule.tag_selectors.every((s) => tagSelectorKeeps(s, a)));
    for (const a of templateKeeps(rule, selected, now)) kept.add(a);
  }
  return new Map(
    artifacts.map((a) => [
      a,
      kept.has(a) ? 'RETAIN' : isImmutableArtifact(immutable, repository, a) ? 'IMMUTABLE' : 'DEL',
    ]),
  );
}

/** Ages in days before `now` as the times the test clock sets. */
export function seededTimes(now: number, pushedDaysAgo: number, pulledDaysAgo?: number) {
  return {
    pushedAt: now - pushedDaysAgo * DAY_MS,
    ...(pulledDaysAgo === undefined ? {} : { pulledAt: now - pulledDaysAgo * DAY_MS }),
  };
}
