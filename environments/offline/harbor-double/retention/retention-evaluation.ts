// What one retention job decides for one repository, as Harbor's OR processor does (goharbor/harbor
// src/pkg/retention/policy/alg/or/processor.go, policy/builder.go, policy/action/performer.go@v2.15.2):
// every rule that has tag selectors filters the candidates through them one after the other (selectors ANDed),
// its template's evaluator keeps some of what is left, and the union over the rules (rules ORed) is retained.
// Every other candidate is deleted — unless one of its tags is immutable (logged IMMUTABLE, counted retained).
// A rule without tag selectors contributes nothing; when no rule has any, nothing is deleted at all.
// Pure: the caller hands in the candidates, the clock and the immutability matcher.
import { globMatches } from '../immutable/doublestar-selector.ts';
import type { RetentionRule, RetentionSelector } from './retention-policy.ts';

/** Go's zero time as Unix seconds: an artifact never pulled (time.Time{}.Unix()). */
export const GO_ZERO_UNIX = -62_135_596_800;

export interface RetentionCandidate {
  digest: string;
  tags: string[];
  /** Unix seconds: the newest of the artifact's and its tags' push times. */
  pushedTime: number;
  /** Unix seconds: the newest of the artifact's and its tags' pull times (GO_ZERO_UNIX when never pulled). */
  pulledTime: number;
  /** Unix seconds: the artifact's own push time. */
  creationTime: number;
}

export type RetentionMark = 'RETAIN' | 'DEL' | 'IMMUTABLE';

/** Defects of the fault profiles, switched on where Harbor's code makes the decision. */
export interface EvaluationDefects {
  /** retention-rules-anded: an artifact is kept only when every rule keeps it. */
  rulesAnded?: boolean;
  /** retention-untagged-extras-ignored: `extras` is never read; untagged artifacts get the decoration's default. */
  untaggedExtrasIgnored?: boolean;
  /** retention-pull-rules-use-push-time: latestPulledN and nDaysSinceLastPull compare push times. */
  pullRulesUsePushTime?: boolean;
  /** retention-deletes-immutable-tags: the performer never asks the immutability matcher. */
  immutabilityIgnored?: boolean;
}

export interface EvaluationInput {
  candidates: readonly RetentionCandidate[];
  rules: readonly RetentionRule[];
  /** Milliseconds since the epoch: the double's "now" (time.Now() of the evaluators). */
  now: number;
  isImmutable: (candidate: RetentionCandidate) => boolean;
  defects?: EvaluationDefects;
}

export class RetentionJobError extends Error {
  override name = 'RetentionJobError';
}

const DOUBLESTAR_DECORATIONS = ['matches', 'excludes', 'repoMatches', 'repoExcludes', 'nsMatches', 'nsExcludes'];

/** selectors/index Get: the selector must exist and support its decoration. */
export function requireSelector(s: RetentionSelector): void {
  if (s.kind === '' || s.decoration === '') throw new RetentionJobError('empty selector kind or decoration');
  if (s.kind !== 'doublestar') throw new RetentionJobError(`selector ${s.kind} is not registered`);
  if (!DOUBLESTAR_DECORATIONS.includes(s.decoration))
    throw new RetentionJobError(`decoration ${s.decoration} of selector ${s.kind} is not supported`);
}

/** doublestar.New: `untagged` defaults to true for matches and false for excludes; valid JSON extras decide. */
export function untaggedOf(s: RetentionSelector, ignoreExtras = false): boolean {
  let untagged = s.decoration !== 'excludes';
  if (s.extras !== '' && !ignoreExtras) {
    try {
      const parsed = JSON.parse(s.extras) as unknown;
      // json.Unmarshal into struct{Untagged bool}: an object (or null) sets the field, a missing key is false;
      // anything else (an array, a string, "untagged": "yes") is an error and the default stays.
      if (parsed === null) untagged = false;
      else if (typeof parsed === 'object' && !Array.isArray(parsed)) {
        const value = (parsed as Record<string, unknown>)['untagged'];
        if (value === undefined || value === null) untagged = false;
        else if (typeof value === 'boolean') untagged = value;
      }
    } catch {
      // invalid JSON: the default applies (what tests/apitests/python/library/retention.py sends)
    }
  }
  return untagged;
}

/** One tag selector over the candidates (selector.go Select for matches/excludes). */
export function selectByTags(
  s: RetentionSelector,
  candidates: readonly RetentionCandidate[],
  ignoreExtras = false,
): RetentionCandidate[] {
  const untagged = untaggedOf(s, ignoreExtras);
  return candidates.filter((c) => {
    if (s.decoration === 'matches') return c.tags.length > 0 ? c.tags.some((t) => globMatches(s.pattern, t)) : untagged;
    if (s.decoration === 'excludes')
      return c.tags.length > 0 ? c.tags.some((t) => !globMatches(s.pattern, t)) : !untagged;
    // repository and namespace decorations look at fields a tag candidate leaves empty: nothing is selected
    return false;
  });
}

/** utils.ParseJSONInt: only a JSON number counts (truncated); anything else, or a negative one, gives the default. */
function intParam(params: Record<string, unknown>, name: string, fallback: number): number {
  const value = params[name];
  return typeof value === 'number' && Number.isFinite(value) && Math.trunc(value) >= 0 ? Math.trunc(value) : fallback;
}

type Evaluator = (candidates: RetentionCandidate[]) => RetentionCandidate[];

const REQUIRED_PARAM: Record<string, boolean> = {
  latestPushedK: true,
  latestPulledN: true,
  latestActiveK: true,
  lastXDays: true,
  nDaysSinceLastPush: true,
  nDaysSinceLastPull: true,
  always: false,
};

/** rule/index Get and the template's evaluator (rule/<template>/evaluator.go). */
export function evaluatorFor(rule: RetentionRule, now: number, defects: EvaluationDefects = {}): Evaluator {
  const template = rule.template;
  if (template === '') throw new RetentionJobError('empty rule template ID');
  if (!(template in REQUIRED_PARAM)) throw new RetentionJobError(`rule evaluator ${template} is not registered`);
  if (REQUIRED_PARAM[template] && !(template in rule.params))
    throw new RetentionJobError(`missing required parameter ${template} for rule ${template}`);
  const nowSeconds = Math.floor(now / 1000);
  const pullTime = (c: RetentionCandidate) => (defects.pullRulesUsePushTime ? c.pushedTime : c.pulledTime);
  const latest =
    (key: (c: RetentionCandidate) => number, k: number): Evaluator =>
    (cs) =>
      [...cs].sort((a, b) => key(b) - key(a)).slice(0, k);
  const since =
    (key: (c: RetentionCandidate) => number, days: number): Evaluator =>
    (cs) =>
      cs.filter((c) => key(c) >= nowSeconds - days * 86_400);
  switch (template) {
    case 'latestPushedK':
      return latest((c) => c.pushedTime, intParam(rule.params, template, 10));
    case 'latestPulledN':
      return latest(pullTime, intParam(rule.params, template, 10));
    case 'latestActiveK':
      return latest((c) => Math.max(c.pushedTime, c.pulledTime), intParam(rule.params, template, 10));
    case 'nDaysSinceLastPush':
      return since((c) => c.pushedTime, intParam(rule.params, template, 30));
    case 'nDaysSinceLastPull':
      return since(pullTime, intParam(rule.params, template, 30));
    case 'lastXDays': {
      const days = intParam(rule.params, template, 10);
      return (cs) => cs.filter((c) => c.pushedTime > nowSeconds - days * 86_400);
    }
    default:
      return (cs) => [...cs];
  }
}

/** The retention of every candidate; throws RetentionJobError where Harbor's job fails (nothing deleted then). */
export function evaluateRetention(input: EvaluationInput): Map<string, RetentionMark> {
  const defects = input.defects ?? {};
  const kept: Array<Set<string>> = [];
  for (const rule of input.rules) {
    if (rule.action !== 'retain') throw new RetentionJobError(`no performer registered for action ${rule.action}`);
    const evaluate = evaluatorFor(rule, input.now, defects);
    for (const s of rule.tag_selectors) requireSelector(s);
    if (rule.tag_selectors.length === 0) continue; // or/processor.go New: a rule without selectors is dropped
    let selected = [...input.candidates];
    for (const s of rule.tag_selectors) selected = selectByTags(s, selected, defects.untaggedExtrasIgnored);
    kept.push(new Set(evaluate(selected).map((c) => c.digest)));
  }
  const marks = new Map<string, RetentionMark>();
  const retained = (digest: string) =>
    defects.rulesAnded ? kept.every((set) => set.has(digest)) : kept.some((set) => set.has(digest));
  for (const c of input.candidates) {
    if (kept.length === 0 || retained(c.digest)) marks.set(c.digest, 'RETAIN');
    else if (!defects.immutabilityIgnored && input.isImmutable(c)) marks.set(c.digest, 'IMMUTABLE');
    else marks.set(c.digest, 'DEL');
  }
  return marks;
}
