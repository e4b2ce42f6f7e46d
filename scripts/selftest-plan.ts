// The mutation self-test as data: which checks run against which fault profile, and what the verdicts
// prove. Pure, so the rules are unit tested without a stack.
//   - the correct stack runs every selected check: none may fail (a false alarm);
//   - each profile runs the checks that declare it in their catalog `caughtBy` (all of them with --full);
//   - a check *catches* a profile when its verdict there differs from the expected one: `failed` for an
//     ordinary check, anything but `warn` for a check whose expected verdict is `warn` (expectWarn);
//   - the score is the share of declared (profile, check) pairs that were caught, counting every check that
//     declares no profile as a miss: 100 % means every check was seen to fail where it says it would.
import type { Verdict } from '../reports/check-result.ts';
import type { CheckDefinition } from '../suites/check-definition.ts';

export interface ProfilePlan {
  profile: string;
  /** Check ids that declare this profile. */
  declared: string[];
  /** Check ids run against it (declared ones, or every selected check with --full). */
  run: string[];
}

export function planProfiles(
  checks: readonly CheckDefinition[],
  profiles: readonly string[],
  full: boolean,
): ProfilePlan[] {
  // Without --full a profile that no selected check declares (its suites were not asked for) proves nothing
  // here: it is left out rather than shown as a miss.
  return profiles
    .map((profile) => {
      const declared = checks.filter((c) => (c.caughtBy as readonly string[]).includes(profile)).map((c) => c.id);
      return { profile, declared, run: full ? checks.map((c) => c.id) : declared };
    })
    .filter((plan) => full || plan.declared.length > 0);
}

/** Whether a verdict under a fault profile shows the check noticed the defect. */
export function catches(check: Pick<CheckDefinition, 'expectWarn'>, verdict: Verdict | undefined): boolean {
  if (verdict === undefined) return false;
  return check.expectWarn ? verdict !== 'warn' && verdict !== 'skipped' : verdict === 'failed';
}

export interface SelftestProfileResult {
  name: string;
  /** What the profile models: the real Harbor defect or misconfiguration. */
  models: string;
  /** Checks that declare this profile (catalog `caughtBy`). */
  declared: string[];
  /** Checks whose verdict here shows they caught it. */
  caught_by: string[];
  /** Declared checks that did not catch it, with their verdict: these fail the self-test. */
  missed: string[];
  /** With --full: checks that caught it without declaring it (worth adding to their caughtBy). */
  undeclared_catches: string[];
  /** Seconds the profile's checks took. */
  seconds: number;
}

export interface ProfileRun {
  profile: string;
  models: string;
  verdicts: ReadonlyMap<string, Verdict>;
  seconds: number;
}

export function profileResult(
  checks: readonly CheckDefinition[],
  plan: ProfilePlan,
  run: ProfileRun,
): SelftestProfileResult {
  const byId = new Map(checks.map((c) => [c.id, c]));
  const caught = plan.run.filter((id) => catches(byId.get(id)!, run.verdicts.get(id)));
  return {
    name: plan.profile,
    models: run.models,
    declared: plan.declared,
    caught_by: caught,
    missed: plan.declared
      .filter((id) => !caught.includes(id))
      .map((id) => `${id} (${run.verdicts.get(id) ?? 'not run'})`),
    undeclared_catches: caught.filter((id) => !plan.declared.includes(id)),
    seconds: run.seconds,
  };
}

/** Checks that declare no profile at all: nothing shows they can fail. */
export function checksWithoutProfile(checks: readonly CheckDefinition[]): string[] {
  return checks.filter((c) => c.caughtBy.length === 0).map((c) => c.id);
}

/** Percentage of declared (profile, check) pairs caught; checks without a profile count as misses. */
export function selftestScore(results: readonly SelftestProfileResult[], withoutProfile: readonly string[]): number {
  const declared = results.reduce((n, r) => n + r.declared.length, 0) + withoutProfile.length;
  const caught = results.reduce((n, r) => n + r.declared.filter((id) => r.caught_by.includes(id)).length, 0);
  return declared === 0 ? 100 : Math.floor((caught / declared) * 1000) / 10;
}

/** The correct stack's verdicts that are not the expected ones: failed (a false alarm) or warn/pass swapped. */
export function correctStackProblems(
  checks: readonly CheckDefinition[],
  verdicts: ReadonlyMap<string, Verdict>,
): { falseAlarms: string[]; unexpected: string[] } {
  const falseAlarms: string[] = [];
  const unexpected: string[] = [];
  for (const check of checks) {
    const verdict = verdicts.get(check.id);
    if (verdict === 'failed') falseAlarms.push(check.id);
    else if (verdict === 'passed' && check.expectWarn) unexpected.push(`${check.id}: passed, expected warn`);
    else if (verdict === 'warn' && !check.expectWarn) unexpected.push(`${check.id}: warn, expected passed`);
  }
  return { falseAlarms, unexpected };
}
