// GET /retentions/metadatas: the five templates the UI offers and the selector kinds (goharbor/harbor
// src/server/v2.0/handler/retention.go rentenitionMetadataPayload@v2.15.2).
const count = [{ type: 'int', unit: 'COUNT', required: true }];
const days = [{ type: 'int', unit: 'DAYS', required: true }];

export const retentionMetadata = {
  templates: [
    {
      rule_template: 'latestPushedK',
      display_text: 'the most recently pushed # artifacts',
      action: 'retain',
      params: count,
    },
    {
      rule_template: 'latestPulledN',
      display_text: 'the most recently pulled # artifacts',
      action: 'retain',
      params: count,
    },
    {
      rule_template: 'nDaysSinceLastPush',
      display_text: 'pushed within the last # days',
      action: 'retain',
      params: days,
    },
    {
      rule_template: 'nDaysSinceLastPull',
      display_text: 'pulled within the last # days',
      action: 'retain',
      params: days,
    },
    { rule_template: 'always', display_text: 'always', action: 'retain' },
  ],
  scope_selectors: [{ display_text: 'Repositories', kind: 'doublestar', decorations: ['repoMatches', 'repoExcludes'] }],
  tag_selectors: [{ display_text: 'Tags', kind: 'doublestar', decorations: ['matches', 'excludes'] }],
};
