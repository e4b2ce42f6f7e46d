// The `retention` section of the team's policy file: the tag retention rules the team runs, written as Harbor
// returns them from GET /api/v2.0/retentions/{id} (copy the `rules` array), the immutable tag rules that go
// with them, and the repository the check seeds to try them on (RET-006, suites/retention). Ages are days
// before the check runs; an artifact without `pulledDaysAgo` was never pulled.
import { z } from 'zod';

const selector = z
  .object({
    kind: z.literal('doublestar').default('doublestar'),
    decoration: z.string().min(1),
    pattern: z.string(),
    /** `{"untagged":true|false}` as Harbor stores it (a JSON string). */
    extras: z.string().optional(),
  })
  .strict();

const rule = z
  .object({
    id: z.number().int().optional(),
    priority: z.number().int().optional(),
    disabled: z.boolean().optional(),
    action: z.literal('retain').default('retain'),
    template: z.enum(['latestPushedK', 'latestPulledN', 'nDaysSinceLastPush', 'nDaysSinceLastPull', 'always']),
    params: z.record(z.string(), z.number().int().nonnegative()).default({}),
    tag_selectors: z.array(selector).min(1),
    scope_selectors: z.object({ repository: z.array(selector).min(1) }).strict(),
  })
  .strict();

const seededArtifact = z
  .object({
    /** Tags of the artifact; none: untagged. */
    tags: z.array(z.string().regex(/^[\w][\w.-]{0,127}$/)).default([]),
    pushedDaysAgo: z.number().nonnegative(),
    pulledDaysAgo: z.number().nonnegative().optional(),
  })
  .strict();

export const retentionPolicySchema = z
  .object({
    rules: z.array(rule).min(1).max(15),
    /** The team's immutable tag rules (repository and tag doublestar patterns), created beside the retention policy. */
    immutable: z
      .array(z.object({ repositories: z.array(z.string()).min(1), tags: z.array(z.string()).min(1) }).strict())
      .default([]),
    /** The seeded copy: these repositories (names without the project), each with these artifacts. */
    seed: z
      .object({
        repositories: z
          .array(z.string().regex(/^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/))
          .min(1),
        artifacts: z.array(seededArtifact).min(1).max(30),
      })
      .strict(),
  })
  .strict();

export type RetentionPolicyFile = z.infer<typeof retentionPolicySchema>;

const matchAll = (extras?: string) => ({
  kind: 'doublestar' as const,
  decoration: 'matches',
  pattern: '**',
  ...(extras ? { extras } : {}),
});

/**
 * A common shape of team rules: keep the last 2 pushes of every repository (untagged ones not counted), keep
 * release tags pulled within 30 days, release tags of v1.0 immutable — tried on a nested repository.
 */
export const defaultRetentionPolicy: RetentionPolicyFile = {
  rules: [
    {
      action: 'retain',
      template: 'latestPushedK',
      params: { latestPushedK: 2 },
      tag_selectors: [matchAll('{"untagged":false}')],
      scope_selectors: { repository: [{ kind: 'doublestar', decoration: 'repoMatches', pattern: '**' }] },
    },
    {
      action: 'retain',
      template: 'nDaysSinceLastPull',
      params: { nDaysSinceLastPull: 30 },
      tag_selectors: [{ kind: 'doublestar', decoration: 'matches', pattern: 'v*', extras: '{"untagged":false}' }],
      scope_selectors: { repository: [{ kind: 'doublestar', decoration: 'repoMatches', pattern: '**' }] },
    },
  ],
  immutable: [{ repositories: ['**'], tags: ['v1.0.*'] }],
  seed: {
    repositories: ['team/svc/api'],
    artifacts: [
      { tags: ['v1.0.0'], pushedDaysAgo: 90, pulledDaysAgo: 60 },
      { tags: ['v1.1.0'], pushedDaysAgo: 60, pulledDaysAgo: 10 },
      { tags: ['v1.2.0'], pushedDaysAgo: 30 },
      { tags: ['v2.0.0', 'stable'], pushedDaysAgo: 5, pulledDaysAgo: 1 },
      { tags: [], pushedDaysAgo: 2 },
      { tags: ['dev'], pushedDaysAgo: 1 },
    ],
  },
};
