// /api/v2.0/retentions (goharbor/harbor src/server/v2.0/handler/retention.go, src/controller/retention/
// controller.go@v2.15.2). Every call needs an authenticated caller (Prepare); then, per handler:
//   POST   15 rules at most (400), identical rules (409), tag-retention:create on the scope's project, scope
//          level project (400), the project exists (400 "invalid Project id"), none yet (400 "already has"),
//          the cron; 201 + Location, and the project's metadata retention_id = "<id>".
//   GET    {id}: a missing policy is a plain error → 500; tag-retention:read.
//   PUT    the same rule checks, tag-retention:update, retention_id must name this policy (404); 200.
//   DELETE a missing policy → 400 "bad request: no such Retention policy with id N"; removes retention_id.
//   POST   {id}/executions {"dry_run"}: tag-retention:update; 201 + Location; the run goes on after the answer.
//   GET    {id}/executions, {id}/executions/{eid}/tasks (tag-retention:list), …/tasks/{tid} the log (text/plain).
//   PATCH  {id}/executions/{eid} {"action":"stop"}.
// Models are go-swagger's: every field omitempty.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { DoubleServices } from '../double-services.ts';
import { badRequest, HarborError, notFound, unauthorized } from '../harbor-error.ts';
import { checkRules, policyFromBody, type RetentionPolicy, validateCron } from '../retention/retention-policy.ts';
import { retentionMetadata } from '../retention/retention-metadata.ts';
import { triggerRetentionExecution } from '../retention/retention-launcher.ts';
import { isAuthenticated, usernameOf } from '../security/security-context.ts';
import { findProject, upsertMetadata } from '../store/projects.ts';
import {
  deletePolicy,
  findExecution,
  findPolicy,
  findTask,
  insertPolicy,
  listExecutions,
  listTasks,
  stopExecution,
  updatePolicy,
  type RetentionExecutionRow,
  type RetentionTaskRow,
} from '../store/retention.ts';
import { paging, requireProjectAccess, setListHeaders } from './api-support.ts';

const ZERO_TIME = '0001-01-01T00:00:00Z';
const STATUS_CODE: Record<string, number> = { Pending: 0, Scheduled: 1, Running: 2, Stopped: 3, Error: 3, Success: 3 };

/** go-swagger's omitempty: false, 0, '', empty objects and arrays are left out. */
function omitEmpty(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === false || v === 0 || v === '' || v === null || v === undefined) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    if (typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0) continue;
    out[key] = v;
  }
  return out;
}

function policyModel(policy: RetentionPolicy): Record<string, unknown> {
  return omitEmpty({
    id: policy.id,
    algorithm: policy.algorithm,
    rules: policy.rules.map((r) =>
      omitEmpty({
        ...r,
        tag_selectors: r.tag_selectors.map((s) => omitEmpty({ ...s })),
        scope_selectors: Object.fromEntries(
          Object.entries(r.scope_selectors).map(([k, list]) => [k, list.map((s) => omitEmpty({ ...s }))]),
        ),
      }),
    ),
    trigger: omitEmpty({ ...policy.trigger }),
    scope: omitEmpty({ ...policy.scope }),
  });
}

const time = (d: Date | null) => (d ? d.toISOString() : ZERO_TIME);

function executionModel(e: RetentionExecutionRow): Record<string, unknown> {
  return omitEmpty({
    id: e.id,
    policy_id: e.policy_id,
    start_time: time(e.start_time),
    end_time: time(e.end_time),
    status: e.status,
    trigger: e.trigger,
    dry_run: e.dry_run,
  });
}

function taskModel(t: RetentionTaskRow): Record<string, unknown> {
  return omitEmpty({
    id: t.id,
    execution_id: t.execution_id,
    repository: t.repository,
    job_id: t.job_id,
    status: t.status,
    status_code: STATUS_CODE[t.status] ?? -1,
    status_revision: t.status_revision,
    start_time: time(t.start_time),
    end_time: time(t.end_time),
    total: t.total,
    retained: t.retained,
  });
}

function positiveId(raw: unknown, name: string): number {
  const id = Number(raw);
  if (!Number.isInteger(id) || id <= 0) throw badRequest(`invalid ${name}: ${String(raw)}`);
  return id;
}

export function registerRetentionRoutes(app: FastifyInstance, services: DoubleServices): void {
  const base = '/api/v2.0/retentions';

  app.addHook('onRequest', async (request) => {
    if (request.url.split('?')[0]!.startsWith(base) && !isAuthenticated(request.security)) throw unauthorized();
  });

  const requireAccess = async (request: FastifyRequest, policy: RetentionPolicy, action: string) =>
    requireProjectAccess(
      services,
      request.security,
      await findProject(services.db, policy.scope.ref),
      'tag-retention',
      action,
    );

  /** manager.GetPolicy: wrapped as 400 by most handlers; GET answers it unwrapped (500). */
  const policyOf = async (raw: unknown, wrapped = true): Promise<RetentionPolicy> => {
    const id = positiveId(raw, 'id');
    const policy = await findPolicy(services.db, id);
    if (policy) return policy;
    if (!wrapped) throw new Error(`no such Retention policy with id ${id}`);
    throw badRequest(`bad request: no such Retention policy with id ${id}`);
  };

  /** requirePolicyAccess: the project's retention_id must name this policy. */
  const requirePolicyOfProject = async (policy: RetentionPolicy) => {
    const project = await findProject(services.db, policy.scope.ref);
    if (project?.metadata['retention_id'] !== String(policy.id))
      throw notFound(`resource not found: the retention policy id ${policy.id} does not match`);
  };

  const notInProject = (policy: RetentionPolicy, eid: number) =>
    new HarborError('NOT_FOUND', `project: ${policy.scope.ref}, execution id ${eid} not found`);

  const executionOf = async (policy: RetentionPolicy, raw: unknown): Promise<RetentionExecutionRow> => {
    const eid = positiveId(raw, 'eid');
    const execution = await findExecution(services.db, eid);
    if (!execution || execution.policy_id !== policy.id) throw notInProject(policy, eid);
    return execution;
  };

  app.get(`${base}/metadatas`, async () => retentionMetadata);

  app.post(base, async (request, reply) => {
    const policy = policyFromBody(request.body);
    checkRules(policy);
    await requireAccess(request, policy, 'create');
    if (policy.scope.level !== 'project') throw badRequest(`bad request: scope ${policy.scope.level} is not support`);
    const project = policy.scope.ref > 0 ? await findProject(services.db, policy.scope.ref) : undefined;
    if (!project) throw badRequest(`bad request: invalid Project id ${policy.scope.ref}`);
    const old = project.metadata['retention_id'];
    if (old !== undefined)
      throw badRequest(`bad request: project ${project.project_id} already has retention policy ${old}`);
    validateCron(policy);
    const id = await insertPolicy(services.db, policy);
    await upsertMetadata(services.db, project.project_id, { retention_id: String(id) });
    reply
      .status(201)
      .header('Location', `${request.url.split('?')[0]!.replace(/\/$/, '')}/${id}`)
      .send();
  });

  app.get(`${base}/:id`, async (request) => {
    const policy = await policyOf((request.params as { id: string }).id, false);
    await requireAccess(request, policy, 'read');
    return policyModel(policy);
  });

  app.put(`${base}/:id`, async (request) => {
    const id = positiveId((request.params as { id: string }).id, 'id');
    const policy = { ...policyFromBody(request.body), id };
    checkRules(policy);
    await requireAccess(request, policy, 'update');
    await requirePolicyOfProject(policy);
    validateCron(policy);
    if (!(await findPolicy(services.db, id))) throw new Error(`no such Retention policy with id ${id}`);
    await updatePolicy(services.db, policy);
    return '';
  });

  app.delete(`${base}/:id`, async (request) => {
    const policy = await policyOf((request.params as { id: string }).id);
    await requireAccess(request, policy, 'delete');
    await deletePolicy(services.db, policy.id);
    await services.db.query("DELETE FROM project_metadata WHERE project_id = $1 AND name = 'retention_id'", [
      policy.scope.ref,
    ]);
    return '';
  });

  app.post(`${base}/:id/executions`, async (request, reply) => {
    const policy = await policyOf((request.params as { id: string }).id);
    await requireAccess(request, policy, 'update');
    const dryRun = (request.body as { dry_run?: unknown } | undefined)?.dry_run === true;
    const eid = await triggerRetentionExecution(services, policy, 'MANUAL', dryRun, usernameOf(request.security));
    reply
      .status(201)
      .header('Location', `${request.url.split('?')[0]!.replace(/\/$/, '')}/${eid}`)
      .send();
  });

  app.get(`${base}/:id/executions`, async (request, reply) => {
    const page = paging(request.query as Record<string, unknown>);
    const policy = await policyOf((request.params as { id: string }).id);
    await requireAccess(request, policy, 'list');
    const { total, rows } = await listExecutions(services.db, policy.id, page);
    setListHeaders(request, reply, total, page);
    return rows.map(executionModel);
  });

  app.patch(`${base}/:id/executions/:eid`, async (request) => {
    const params = request.params as { id: string; eid: string };
    if ((request.body as { action?: unknown } | undefined)?.action !== 'stop')
      throw badRequest("bad request: action should be 'stop'");
    const policy = await policyOf(params.id);
    await requireAccess(request, policy, 'update');
    await requirePolicyOfProject(policy);
    const execution = await executionOf(policy, params.eid);
    await stopExecution(services.db, execution.id);
    return '';
  });

  app.get(`${base}/:id/executions/:eid/tasks`, async (request, reply) => {
    const params = request.params as { id: string; eid: string };
    const page = paging(request.query as Record<string, unknown>);
    const policy = await policyOf(params.id);
    await requireAccess(request, policy, 'list');
    await requirePolicyOfProject(policy);
    const execution = await executionOf(policy, params.eid);
    const { total, rows } = await listTasks(services.db, execution.id, page);
    setListHeaders(request, reply, total, page);
    return rows.map(taskModel);
  });

  app.get(`${base}/:id/executions/:eid/tasks/:tid`, async (request, reply) => {
    const params = request.params as { id: string; eid: string; tid: string };
    const policy = await policyOf(params.id);
    await requireAccess(request, policy, 'read');
    await requirePolicyOfProject(policy);
    const execution = await executionOf(policy, params.eid);
    const task = await findTask(services.db, positiveId(params.tid, 'tid'));
    if (!task || task.execution_id !== execution.id) throw notInProject(policy, execution.id);
    reply.type('text/plain').send(task.log);
  });
}
