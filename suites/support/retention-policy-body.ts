// The retention policy most estates have, as Harbor's own API tests post it
// (goharbor/harbor tests/apitests/python/library/retention.py@v2.15.2): keep the latest K pushed artifacts of every
// repository of one project, no schedule.
export function keepLatestPushedPolicy(
  projectId: number,
  latestPushedK: number,
  options: { untagged?: boolean } = {},
): Record<string, unknown> {
  return {
    algorithm: 'or',
    rules: [
      {
        disabled: false,
        action: 'retain',
        template: 'latestPushedK',
        params: { latestPushedK },
        tag_selectors: [
          {
            kind: 'doublestar',
            decoration: 'matches',
            pattern: '**',
            ...(options.untagged !== undefined ? { extras: JSON.stringify({ untagged: options.untagged }) } : {}),
          },
        ],
        scope_selectors: { repository: [{ kind: 'doublestar', decoration: 'repoMatches', pattern: '**' }] },
      },
    ],
    trigger: { kind: 'Schedule', settings: { cron: '' }, references: {} },
    scope: { level: 'project', ref: projectId },
  };
}
