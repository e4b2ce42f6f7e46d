// A tag retention policy as Harbor keeps it (goharbor/harbor src/pkg/retention/policy/models.go,
// policy/rule/models.go@v2.15.2): the request body through the swagger model into policy.Metadata, stored as
// its JSON, and the checks of the create/update handler (src/server/v2.0/handler/retention.go@v2.15.2) in
// their order: at most 15 rules, no two identical rules, then scope and project. Templates and params are not
// validated here (an unknown template fails the job at run time, policy/builder.go), only the cron.
import { badRequest, conflict } from '../harbor-error.ts';

export interface RetentionSelector {
  kind: string;
  decoration: string;
  pattern: string;
  extras: string;
}

export interface RetentionRule {
  id: number;
  priority: number;
  disabled: boolean;
  action: string;
  template: string;
  params: Record<string, unknown>;
  tag_selectors: RetentionSelector[];
  scope_selectors: Record<string, RetentionSelector[]>;
}

export interface RetentionPolicy {
  id: number;
  algorithm: string;
  rules: RetentionRule[];
  trigger: { kind: string; settings: Record<string, unknown>; references: Record<string, unknown> };
  scope: { level: string; ref: number };
}

export const MAX_RULES = 15;

const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const int = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? Math.trunc(value) : 0);
const record = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

function selector(value: unknown): RetentionSelector {
  const s = record(value);
  return {
    kind: str(s['kind']),
    decoration: str(s['decoration']),
    pattern: str(s['pattern']),
    extras: str(s['extras']),
  };
}

function rule(value: unknown): RetentionRule {
  const r = record(value);
  const scopes: Record<string, RetentionSelector[]> = {};
  for (const [key, list] of Object.entries(record(r['scope_selectors'])))
    scopes[key] = Array.isArray(list) ? list.map(selector) : [];
  return {
    id: int(r['id']),
    priority: int(r['priority']),
    disabled: r['disabled'] === true,
    action: str(r['action']),
    template: str(r['template']),
    params: record(r['params']),
    tag_selectors: Array.isArray(r['tag_selectors']) ? r['tag_selectors'].map(selector) : [],
    scope_selectors: scopes,
  };
}

/** NewRetentionPolicyFromSwagger: the fields the models know, zero values for the rest. */
export function policyFromBody(body: unknown): RetentionPolicy {
  const b = record(body);
  const trigger = record(b['trigger']);
  const scope = record(b['scope']);
  return {
    id: int(b['id']),
    algorithm: str(b['algorithm']),
    rules: Array.isArray(b['rules']) ? b['rules'].map(rule) : [],
    trigger: {
      kind: str(trigger['kind']),
      settings: record(trigger['settings']),
      references: record(trigger['references']),
    },
    scope: { level: str(scope['level']), ref: int(scope['ref']) },
  };
}

/** The handler's checks before RBAC (15 rules, checkRuleConflict); rule ids become their index, as there. */
export function checkRules(policy: RetentionPolicy): void {
  if (policy.rules.length > MAX_RULES) throw badRequest(`bad request: only ${MAX_RULES} rules are allowed at most`);
  const seen = new Map<string, number>();
  policy.rules.forEach((r, n) => {
    const key = JSON.stringify({ ...r, id: 0 });
    const earlier = seen.get(key);
    if (earlier !== undefined) throw conflict(`resource conflict: rule ${n} is conflict with rule ${earlier}`);
    seen.set(key, n);
    r.id = n;
  });
}

/** The schedule's cron, when the trigger is a schedule with one ('' = manual only). */
export function scheduleCron(policy: RetentionPolicy): string {
  if (policy.trigger.kind !== 'Schedule') return '';
  return str(policy.trigger.settings['cron']);
}

/**
 * ValidateRetentionPolicy: a non-empty cron must be a 6-field cron (seconds first) as utils.ValidateCronString
 * parses it; the double checks the field count and the characters (it does not run the schedule on its own).
 */
export function validateCron(policy: RetentionPolicy): void {
  const cron = scheduleCron(policy);
  if (cron === '') return;
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 6 || !fields.every((f) => /^[0-9*?/,\-A-Za-z]+$/.test(f)))
    throw badRequest(
      `invalid cron string for scheduled tag retention: ${cron}, error: expected exactly 6 fields, found ${fields.length}: [${fields.join(' ')}]`,
    );
}
