// /api/v2.0/projects/{project_name_or_id}/immutabletagrules[/{immutable_rule_id}] (goharbor/harbor
// src/server/v2.0/handler/immutable.go, src/controller/immutable/controller.go@v2.15.x).
//   POST   immutable-tag:create → 201 + Location; an identical rule (same JSON) → 409 "immutable rule already exists".
//   GET    immutable-tag:list → the project's rules in id order, X-Total-Count and Link.
//   PUT    the path id must equal the body's id (400, checked before anything else); immutable-tag:update; a rule
//          of another project → 404 "project id <pid> does not match"; a PUT that changes `disabled` sets only
//          the flag, any other PUT rewrites the rule and leaves the flag.
//   DELETE immutable-tag:delete, the same rule check, 200.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { DoubleServices } from '../double-services.ts';
import { badRequest, conflict, notFound } from '../harbor-error.ts';
import { metadataFromBody, ruleModel } from '../immutable/immutable-rule.ts';
import type { ProjectRow } from '../store/projects.ts';
import {
  deleteRule,
  findRule,
  insertRule,
  rulesOfProject,
  setRuleDisabled,
  updateRuleFilter,
  type StoredRule,
} from '../store/immutable-rules.ts';
import { paging, projectForAccess, setListHeaders } from './api-support.ts';

interface RuleParams {
  project: string;
  id?: string;
}

const byName = (request: FastifyRequest) => String(request.headers['x-is-resource-name']).toLowerCase() === 'true';

function ruleId(raw: string | undefined): number {
  const id = Number(raw);
  if (!Number.isInteger(id) || id <= 0) throw badRequest(`invalid immutable_rule_id: ${raw ?? ''}`);
  return id;
}

/** requireRuleAccess: the rule exists and belongs to the project in the path. */
async function ruleOfProject(services: DoubleServices, project: ProjectRow, id: number): Promise<StoredRule> {
  const stored = await findRule(services.db, id);
  if (!stored) throw notFound(`immutable rule ${id} not found`);
  if (stored.rule.project_id !== project.project_id)
    throw notFound(`resource not found: project id ${project.project_id} does not match`);
  return stored;
}

export function registerImmutableRuleRoutes(app: FastifyInstance, services: DoubleServices): void {
  const base = '/api/v2.0/projects/:project/immutabletagrules';
  const project = (request: FastifyRequest, action: string) =>
    projectForAccess(
      services,
      request.security,
      (request.params as RuleParams).project,
      'immutable-tag',
      action,
      byName(request),
    );

  app.get(base, async (request, reply) => {
    const p = await project(request, 'list');
    const page = paging(request.query as Record<string, unknown>);
    const { total, rules } = await rulesOfProject(services.db, p.project_id, page);
    setListHeaders(request, reply, total, page);
    return rules.map((s) => ruleModel(s.rule));
  });

  app.post(base, async (request, reply) => {
    const p = await project(request, 'create');
    const rule = { ...metadataFromBody(request.body), project_id: p.project_id };
    const id = await insertRule(services.db, rule);
    if (id === undefined) throw conflict('immutable rule already exists');
    reply
      .status(201)
      .header('Location', `${request.url.split('?')[0]!.replace(/\/$/, '')}/${id}`)
      .send();
  });

  app.put(`${base}/:id`, async (request, reply) => {
    const params = request.params as RuleParams;
    const body = metadataFromBody(request.body);
    if (Number(params.id) !== body.id)
      throw badRequest("bad request: the immutable_rule_id doesn't match the id in the payload body of ImmutableRule");
    const p = await project(request, 'update');
    const rule = { ...body, project_id: p.project_id };
    // immutable-rule-project-unchecked (GHSA-8c6p-v837-77f6): any rule id is updated through any project's path.
    const stored = services.faults.has('immutable-rule-project-unchecked')
      ? await findRule(services.db, rule.id)
      : await ruleOfProject(services, p, rule.id);
    if (!stored) throw notFound(`immutable rule ${rule.id} not found`);
    if (stored.rule.disabled !== rule.disabled) await setRuleDisabled(services.db, rule.id, rule.disabled);
    else await updateRuleFilter(services.db, rule);
    reply.status(200).send();
  });

  app.delete(`${base}/:id`, async (request, reply) => {
    const id = ruleId((request.params as RuleParams).id);
    const p = await project(request, 'delete');
    await ruleOfProject(services, p, id);
    if (!(await deleteRule(services.db, id))) throw notFound(`immutable rule ${id} not found`);
    reply.status(200).send();
  });
}
