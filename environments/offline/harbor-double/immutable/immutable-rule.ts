// An immutable tag rule as Harbor keeps it (goharbor/harbor src/pkg/immutable/model/rule.go@v2.15.x): the request
// body copied field by field into Metadata (lib.JSONCopy: unknown fields such as `params` are dropped), stored as
// Go's json.Marshal of that struct in tag_filter, and answered through the swagger model, whose optional fields
// are `omitempty` (an enabled rule of priority 0 has neither `disabled` nor `priority` in the list).

export interface ImmutableSelector {
  kind: string;
  decoration: string;
  pattern: string;
}

export interface ImmutableRuleMetadata {
  id: number;
  project_id: number;
  disabled: boolean;
  priority: number;
  action: string;
  template: string;
  tag_selectors: ImmutableSelector[] | null;
  scope_selectors: Record<string, ImmutableSelector[]> | null;
}

const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const int = (value: unknown): number => (typeof value === 'number' && Number.isInteger(value) ? value : 0);

function selector(value: unknown): ImmutableSelector {
  const s = (value ?? {}) as Record<string, unknown>;
  return { kind: str(s['kind']), decoration: str(s['decoration']), pattern: str(s['pattern']) };
}

/** The body of POST/PUT as JSONCopy leaves it in Metadata (project_id is set by the handler afterwards). */
export function metadataFromBody(body: unknown): ImmutableRuleMetadata {
  const b = (body ?? {}) as Record<string, unknown>;
  const tags = Array.isArray(b['tag_selectors']) ? b['tag_selectors'].map(selector) : null;
  let scopes: Record<string, ImmutableSelector[]> | null = null;
  const rawScopes = b['scope_selectors'];
  if (rawScopes && typeof rawScopes === 'object' && !Array.isArray(rawScopes)) {
    scopes = {};
    for (const [key, list] of Object.entries(rawScopes as Record<string, unknown>)) {
      scopes[key] = Array.isArray(list) ? list.map(selector) : [];
    }
  }
  return {
    id: int(b['id']),
    project_id: 0,
    disabled: b['disabled'] === true,
    priority: int(b['priority']),
    action: str(b['action']),
    template: str(b['template']),
    tag_selectors: tags,
    scope_selectors: scopes,
  };
}

/** json.Marshal(Metadata): struct field order, map keys sorted — the text the unique key compares. */
export function tagFilterJson(rule: ImmutableRuleMetadata): string {
  const scopes =
    rule.scope_selectors === null
      ? null
      : Object.fromEntries(
          Object.keys(rule.scope_selectors)
            .sort()
            .map((k) => [k, rule.scope_selectors![k]]),
        );
  return JSON.stringify({
    id: rule.id,
    project_id: rule.project_id,
    disabled: rule.disabled,
    priority: rule.priority,
    action: rule.action,
    template: rule.template,
    tag_selectors: rule.tag_selectors,
    scope_selectors: scopes,
  });
}

/** The swagger model (handler/model/immutable.go ToSwagger): project_id left out, empty values omitted. */
export function ruleModel(rule: ImmutableRuleMetadata): Record<string, unknown> {
  const model: Record<string, unknown> = {};
  if (rule.id !== 0) model['id'] = rule.id;
  if (rule.priority !== 0) model['priority'] = rule.priority;
  if (rule.disabled) model['disabled'] = true;
  if (rule.action !== '') model['action'] = rule.action;
  if (rule.template !== '') model['template'] = rule.template;
  if (rule.tag_selectors && rule.tag_selectors.length > 0) model['tag_selectors'] = rule.tag_selectors.map(omitEmpty);
  if (rule.scope_selectors && Object.keys(rule.scope_selectors).length > 0) {
    model['scope_selectors'] = Object.fromEntries(
      Object.entries(rule.scope_selectors).map(([k, list]) => [k, list.length > 0 ? list.map(omitEmpty) : null]),
    );
  }
  return model;
}

function omitEmpty(s: ImmutableSelector): Record<string, string> {
  return Object.fromEntries(Object.entries(s).filter(([, v]) => v !== ''));
}
