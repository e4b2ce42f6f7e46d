// Tag retention as Harbor v2.15 runs it, on run-id projects seeded with artifacts of known push and pull times:
// each check creates one policy, dry-runs it, runs it, and judges the task logs, the listings afterwards and a
// complete pull of every survivor against the harness's own reading of Harbor's rules (expected-retention.ts).
// Times are set with the target's test clock; without one (real Harbor) only the wait-free scenarios run
// (RET-005 and RET-007, where no time decides) and the others are skipped with the reason.
import { describe } from 'vitest';
import { retentionMetadataProblems, retentionPolicyApiProblems } from './policy-api.ts';
import { defineCheck } from '../check.ts';
import type { CheckDefinition } from '../check-definition.ts';
import { catalog } from './catalog.ts';
import type { RetentionRuleBody, RetentionSelectorBody } from './expected-retention.ts';
import { runRetentionScenario, type SeedSpec } from './retention-scenario.ts';

const tags = (pattern: string, extras?: string, decoration = 'matches'): RetentionSelectorBody => ({
  kind: 'doublestar',
  decoration,
  pattern,
  ...(extras === undefined ? {} : { extras }),
});

const rule = (
  template: RetentionRuleBody['template'],
  param: number | undefined,
  tagSelectors: RetentionSelectorBody[],
  repositories = '**',
): RetentionRuleBody => ({
  action: 'retain',
  template,
  params: param === undefined ? {} : { [template]: param },
  tag_selectors: tagSelectors,
  scope_selectors: { repository: [{ kind: 'doublestar', decoration: 'repoMatches', pattern: repositories }] },
});

/** One repository's history: releases pushed long ago, one still pulled, a recent release, an untagged push, a dev build. */
const history: SeedSpec[] = [
  { tags: ['v1.0.0'], pushedDaysAgo: 90, pulledDaysAgo: 1 },
  { tags: ['v1.1.0'], pushedDaysAgo: 60, pulledDaysAgo: 10 },
  { tags: ['v1.2.0'], pushedDaysAgo: 30 },
  { tags: ['v2.0.0', 'stable'], pushedDaysAgo: 5, pulledDaysAgo: 20 },
  { tags: [], pushedDaysAgo: 2 },
  { tags: ['dev'], pushedDaysAgo: 1 },
];
const v10Immutable = [{ repositories: ['**'], tags: ['v1.0.*'] }];

/** One template on the repository's history, release v1.0.x immutable. */
const templateCheck = (
  check: CheckDefinition,
  template: RetentionRuleBody['template'],
  param: number,
  selector: RetentionSelectorBody,
) =>
  defineCheck(check, (ctx) =>
    runRetentionScenario(ctx, {
      repositories: ['app'],
      artifacts: history,
      rules: [rule(template, param, [selector])],
      immutable: v10Immutable,
      needsClock: true,
    }),
  );

describe('retention', () => {
  templateCheck(catalog.latestPushed, 'latestPushedK', 2, tags('**', '{"untagged":false}'));
  templateCheck(catalog.latestPulled, 'latestPulledN', 2, tags('**'));
  templateCheck(catalog.pushedWithin, 'nDaysSinceLastPush', 15, tags('**'));
  templateCheck(catalog.pulledWithin, 'nDaysSinceLastPull', 15, tags('**'));

  defineCheck(catalog.alwaysAndSelectors, (ctx) =>
    runRetentionScenario(ctx, {
      repositories: ['app'],
      artifacts: history,
      rules: [
        // releases except v1.1.x (two selectors, both must select), untagged ones not counted
        rule('always', undefined, [tags('v*', '{"untagged":false}'), tags('v1.1.*', undefined, 'excludes')]),
        // plus whatever is tagged stable; `{}` leaves untagged ones out as well
        rule('always', undefined, [tags('stable', '{}')]),
      ],
      immutable: [],
      needsClock: false,
    }),
  );

  defineCheck(catalog.teamPolicy, async (ctx) => {
    const team = ctx.policy.retention;
    await runRetentionScenario(ctx, {
      repositories: team.seed.repositories,
      artifacts: team.seed.artifacts,
      rules: team.rules,
      immutable: team.immutable,
      needsClock: team.rules.some((r) => r.template !== 'always'),
      cron: '0 0 0 * * *',
      afterPolicy: async (ws, policyId) => [
        ...(await retentionMetadataProblems(ctx)),
        ...(await retentionPolicyApiProblems(ctx, ws, policyId, team.rules, '0 0 0 * * *')),
      ],
    });
  });

  defineCheck(catalog.nestedImmutable, (ctx) =>
    runRetentionScenario(ctx, {
      repositories: ['team/a/b/c'],
      artifacts: [
        { tags: ['v1.0.0'], pushedDaysAgo: 40 },
        { tags: ['v1.1.0'], pushedDaysAgo: 30 },
        { tags: ['latest'], pushedDaysAgo: 3 },
        { tags: ['dev'], pushedDaysAgo: 2 },
        { tags: [], pushedDaysAgo: 1 },
      ],
      rules: [rule('always', undefined, [tags('latest', '{"untagged":false}')], 'team/**')],
      immutable: [{ repositories: ['team/**'], tags: ['v1.*'] }],
      needsClock: false,
    }),
  );
});
