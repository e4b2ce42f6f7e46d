import { describe, expect, it } from 'vitest';
import { checkRules, policyFromBody, validateCron } from './retention-policy.ts';

const rule = (k: number) => ({
  action: 'retain',
  template: 'latestPushedK',
  params: { latestPushedK: k },
  tag_selectors: [{ kind: 'doublestar', decoration: 'matches', pattern: '**' }],
  scope_selectors: { repository: [{ kind: 'doublestar', decoration: 'repoMatches', pattern: '**' }] },
});
const body = (rules: unknown[], cron = '') => ({
  algorithm: 'or',
  rules,
  trigger: { kind: 'Schedule', settings: { cron } },
  scope: { level: 'project', ref: 3 },
});

describe('retention policy checks (handler/retention.go order)', () => {
  it('refuses more than 15 rules before looking for conflicts', () => {
    const rules = Array.from({ length: 16 }, () => rule(1));
    expect(() => checkRules(policyFromBody(body(rules)))).toThrow('bad request: only 15 rules are allowed at most');
  });
  it('names the first identical pair as a conflict and numbers the rules by index', () => {
    expect(() => checkRules(policyFromBody(body([rule(1), rule(2), rule(1)])))).toThrow(
      'resource conflict: rule 2 is conflict with rule 0',
    );
    const policy = policyFromBody(body([rule(1), rule(2)]));
    checkRules(policy);
    expect(policy.rules.map((r) => r.id)).toEqual([0, 1]);
  });
  it('accepts an empty cron (manual only) and a 6-field one, refuses a 5-field one', () => {
    expect(() => validateCron(policyFromBody(body([], '')))).not.toThrow();
    expect(() => validateCron(policyFromBody(body([], '0 0 0 * * *')))).not.toThrow();
    expect(() => validateCron(policyFromBody(body([], '0 0 * * *')))).toThrow(
      /invalid cron string for scheduled tag retention/,
    );
  });
});
