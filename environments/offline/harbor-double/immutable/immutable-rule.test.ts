import { describe, expect, it } from 'vitest';
import { metadataFromBody, ruleModel, tagFilterJson } from './immutable-rule.ts';

const body = {
  action: 'immutable',
  template: 'immutable_template',
  priority: 0,
  disabled: false,
  params: { ignored: true },
  scope_selectors: { repository: [{ kind: 'doublestar', decoration: 'repoMatches', pattern: '**' }] },
  tag_selectors: [{ kind: 'doublestar', decoration: 'matches', pattern: 'v2.*' }],
};

describe('immutable rule model', () => {
  it('stores the rule as json.Marshal(Metadata) does: struct order, no unknown fields', () => {
    const rule = { ...metadataFromBody(body), project_id: 7 };
    expect(tagFilterJson(rule)).toBe(
      '{"id":0,"project_id":7,"disabled":false,"priority":0,"action":"immutable","template":"immutable_template",' +
        '"tag_selectors":[{"kind":"doublestar","decoration":"matches","pattern":"v2.*"}],' +
        '"scope_selectors":{"repository":[{"kind":"doublestar","decoration":"repoMatches","pattern":"**"}]}}',
    );
  });

  it('answers the swagger model: zero values and project_id omitted', () => {
    const model = ruleModel({ ...metadataFromBody(body), id: 3, project_id: 7 });
    expect(model).toEqual({
      id: 3,
      action: 'immutable',
      template: 'immutable_template',
      scope_selectors: body.scope_selectors,
      tag_selectors: body.tag_selectors,
    });
    expect(ruleModel({ ...metadataFromBody({ ...body, disabled: true, priority: 2 }), id: 3 })).toMatchObject({
      disabled: true,
      priority: 2,
    });
  });
});
