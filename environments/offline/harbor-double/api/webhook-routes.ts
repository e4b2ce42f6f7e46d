// Webhook policies of a project, their executions, tasks and task logs, and the supported event types
// (goharbor/harbor src/server/v2.0/handler/webhook.go, src/server/v2.0/handler/model/webhook_policy.go@v2.15.2;
// api/v2.0/swagger.yaml /projects/{project_name_or_id}/webhook/…). Validation answers 400 with Harbor's raw
// messages: event types first, then targets (webhook/target-address.ts); an omitted `payload_format` of an http
// target is stored as Default; an omitted `enabled` is false (and a disabled policy never fires).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { DoubleServices } from '../double-services.ts';
import { WEBHOOK_EVENT_TYPES } from '../events/harbor-event.ts';
import { HarborError, notFound } from '../harbor-error.ts';
import type { ProjectRow } from '../store/projects.ts';
import {
  findWebhookExecution,
  findWebhookTask,
  lastTriggers,
  listWebhookExecutions,
  listWebhookTasks,
  type WebhookExecutionRow,
  type WebhookTaskRow,
} from '../store/webhook-executions.ts';
import {
  deleteWebhookPolicy,
  findWebhookPolicy,
  insertWebhookPolicy,
  listWebhookPolicies,
  updateWebhookPolicy,
  webhookPolicyNamed,
  type WebhookPolicyFields,
  type WebhookPolicyRow,
  type WebhookTarget,
} from '../store/webhook-policies.ts';
import { unfixed } from '../faults/previous-patch.ts';
import { literalTargetRefusal } from '../webhook/public-address.ts';
import { normaliseTargetAddress } from '../webhook/target-address.ts';
import { isoTime, paging, projectForAccess, setListHeaders } from './api-support.ts';

const NOTIFY_TYPES = ['http', 'slack'];
const PAYLOAD_FORMATS = ['Default', 'CloudEvents'];
const rawBadRequest = (message: string) => new HarborError('BAD_REQUEST', message);

function policyModel(row: WebhookPolicyRow): Record<string, unknown> {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    project_id: row.project_id,
    targets: row.targets.map((t) => ({
      type: t.type,
      address: t.address,
      ...(t.auth_header ? { auth_header: t.auth_header } : {}),
      skip_cert_verify: t.skip_cert_verify,
      ...(t.payload_format ? { payload_format: t.payload_format } : {}),
    })),
    event_types: row.event_types,
    creator: row.creator,
    creation_time: isoTime(row.creation_time),
    update_time: isoTime(row.update_time),
    enabled: row.enabled,
  };
}

/**
 * validateEventTypes then validateTargets (webhook.go@v2.15.2); v2.15.3 also refuses non-public targets unless the
 * project allows them (webhook/public-address.ts, GHSA-2phj-cp9f-qq6w).
 */
function policyFields(services: DoubleServices, project: ProjectRow, body: unknown): WebhookPolicyFields {
  const guarded =
    !unfixed(services.faults, 'GHSA-2phj-cp9f-qq6w') && project.metadata['webhook_allow_private_ip'] !== 'true';
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const name = typeof b['name'] === 'string' ? b['name'] : '';
  const eventTypes = Array.isArray(b['event_types']) ? b['event_types'].map(String) : [];
  if (eventTypes.length === 0) throw rawBadRequest('empty event type');
  for (const type of eventTypes)
    if (!(WEBHOOK_EVENT_TYPES as readonly string[]).includes(type))
      throw rawBadRequest(`unsupported event type ${type}`);
  const rawTargets = Array.isArray(b['targets']) ? (b['targets'] as Array<Record<string, unknown>>) : [];
  if (rawTargets.length === 0) throw rawBadRequest(`empty notification target with policy ${name}`);
  const targets: WebhookTarget[] = rawTargets.map((t) => {
    const type = typeof t['type'] === 'string' ? t['type'] : '';
    const given = typeof t['address'] === 'string' ? t['address'] : '';
    let address = given;
    // webhook-target-unvalidated: the address is stored and called as given (no scheme check, no reduction).
    if (!services.faults.has('webhook-target-unvalidated')) {
      const parsed = normaliseTargetAddress(given);
      if (!parsed.ok) throw rawBadRequest(parsed.message);
      address = parsed.address;
      const refusal = guarded ? literalTargetRefusal(address) : undefined;
      if (refusal) throw rawBadRequest(refusal);
    }
    if (!NOTIFY_TYPES.includes(type)) throw rawBadRequest(`unsupported target type ${type} with policy ${name}`);
    const format = typeof t['payload_format'] === 'string' ? t['payload_format'] : '';
    if (format !== '' && type === 'slack') throw rawBadRequest('set payload format is not allowed for slack');
    if (format !== '' && !PAYLOAD_FORMATS.includes(format))
      throw rawBadRequest(`unsupported payload format type: ${format}`);
    const authHeader = typeof t['auth_header'] === 'string' ? t['auth_header'] : '';
    return {
      type,
      address,
      ...(authHeader ? { auth_header: authHeader } : {}),
      skip_cert_verify: t['skip_cert_verify'] === true,
      ...(format !== '' ? { payload_format: format } : type === 'http' ? { payload_format: 'Default' } : {}),
    };
  });
  return {
    name,
    description: typeof b['description'] === 'string' ? b['description'] : '',
    targets,
    event_types: eventTypes,
    creator: typeof b['creator'] === 'string' ? b['creator'] : '',
    enabled: b['enabled'] === true,
  };
}

function metrics(tasks: readonly WebhookTaskRow[]): Record<string, number> {
  const count = (status: string) => tasks.filter((t) => t.status === status).length;
  return {
    task_count: tasks.length,
    success_task_count: count('Success'),
    error_task_count: count('Error'),
    pending_task_count: count('Pending'),
    running_task_count: count('Running'),
    scheduled_task_count: count('Scheduled'),
    stopped_task_count: count('Stopped'),
  };
}

function executionModel(row: WebhookExecutionRow, tasks: readonly WebhookTaskRow[]): Record<string, unknown> {
  return {
    id: row.id,
    vendor_type: row.vendor_type,
    vendor_id: row.policy_id,
    status: row.status,
    ...(row.status_message ? { status_message: row.status_message } : {}),
    metrics: metrics(tasks),
    trigger: row.trigger,
    extra_attrs: row.extra_attrs,
    start_time: isoTime(row.start_time),
    ...(row.end_time ? { end_time: isoTime(row.end_time) } : {}),
  };
}

function taskModel(row: WebhookTaskRow): Record<string, unknown> {
  return {
    id: row.id,
    execution_id: row.execution_id,
    status: row.status,
    ...(row.status_message ? { status_message: row.status_message } : {}),
    run_count: row.run_count,
    extra_attrs: row.extra_attrs,
    creation_time: isoTime(row.creation_time),
    update_time: isoTime(row.update_time),
    ...(row.start_time ? { start_time: isoTime(row.start_time) } : {}),
    ...(row.end_time ? { end_time: isoTime(row.end_time) } : {}),
  };
}

const byName = (request: FastifyRequest) =>
  String(request.headers['x-is-resource-name'] ?? '').toLowerCase() === 'true';

export function registerWebhookRoutes(app: FastifyInstance, services: DoubleServices): void {
  const prefix = '/api/v2.0/projects/:project/webhook';
  const project = (request: FastifyRequest, action: string): Promise<ProjectRow> =>
    projectForAccess(
      services,
      request.security,
      (request.params as { project: string }).project,
      'notification-policy',
      action,
      byName(request),
    );
  const policyIn = async (p: ProjectRow, id: string): Promise<WebhookPolicyRow> => {
    const policy = await findWebhookPolicy(services.db, Number(id));
    if (!policy) throw notFound(`notification policy ${id} not found`);
    if (policy.project_id !== p.project_id)
      throw notFound(`project id:${p.project_id}, webhook policy id: ${id} not found`);
    return policy;
  };
  const executionIn = async (policy: WebhookPolicyRow, id: string): Promise<WebhookExecutionRow> => {
    const execution = await findWebhookExecution(services.db, Number(id));
    if (!execution || execution.policy_id !== policy.id)
      throw notFound(`execution ${id} not found in policy ${policy.id}`);
    return execution;
  };

  app.get(`${prefix}/policies`, async (request, reply) => {
    const p = await project(request, 'list');
    const page = paging(request.query as Record<string, unknown>);
    const all = await listWebhookPolicies(services.db, p.project_id);
    setListHeaders(request, reply, all.length, page);
    return all.slice((page.page - 1) * page.pageSize, page.page * page.pageSize).map(policyModel);
  });

  app.post(`${prefix}/policies`, async (request, reply) => {
    const p = await project(request, 'create');
    const fields = policyFields(services, p, request.body);
    if (await webhookPolicyNamed(services.db, p.project_id, fields.name))
      throw new HarborError('CONFLICT', `notification policy named ${fields.name} already exists`);
    const id = await insertWebhookPolicy(services.db, p.project_id, fields);
    reply
      .header('Location', `${request.url.split('?')[0]!.replace(/\/$/, '')}/${id}`)
      .status(201)
      .send();
  });

  app.get(`${prefix}/policies/:id`, async (request) => {
    const p = await project(request, 'read');
    return policyModel(await policyIn(p, (request.params as { id: string }).id));
  });

  app.put(`${prefix}/policies/:id`, async (request, reply) => {
    const p = await project(request, 'update');
    const policy = await policyIn(p, (request.params as { id: string }).id);
    await updateWebhookPolicy(services.db, policy.id, policyFields(services, p, request.body));
    reply.status(200).send();
  });

  app.delete(`${prefix}/policies/:id`, async (request, reply) => {
    const p = await project(request, 'delete');
    await deleteWebhookPolicy(services.db, (await policyIn(p, (request.params as { id: string }).id)).id);
    reply.status(200).send();
  });

  app.get(`${prefix}/policies/:id/executions`, async (request, reply) => {
    const p = await project(request, 'read');
    const policy = await policyIn(p, (request.params as { id: string }).id);
    const page = paging(request.query as Record<string, unknown>);
    const all = await listWebhookExecutions(services.db, policy.id);
    setListHeaders(request, reply, all.length, page);
    const shown = all.slice((page.page - 1) * page.pageSize, page.page * page.pageSize);
    return Promise.all(shown.map(async (e) => executionModel(e, await listWebhookTasks(services.db, e.id))));
  });

  app.get(`${prefix}/policies/:id/executions/:execution/tasks`, async (request, reply) => {
    const params = request.params as { id: string; execution: string };
    const policy = await policyIn(await project(request, 'read'), params.id);
    const execution = await executionIn(policy, params.execution);
    const page = paging(request.query as Record<string, unknown>);
    const all = await listWebhookTasks(services.db, execution.id);
    setListHeaders(request, reply, all.length, page);
    return all.slice((page.page - 1) * page.pageSize, page.page * page.pageSize).map(taskModel);
  });

  app.get(`${prefix}/policies/:id/executions/:execution/tasks/:task/log`, async (request, reply) => {
    const params = request.params as { id: string; execution: string; task: string };
    const policy = await policyIn(await project(request, 'read'), params.id);
    const execution = await executionIn(policy, params.execution);
    const task = await findWebhookTask(services.db, Number(params.task));
    if (!task || task.execution_id !== execution.id)
      throw notFound(`task ${params.task} not found in execution ${execution.id}`);
    reply.header('content-type', 'text/plain').send(task.log);
  });

  app.get(`${prefix}/lasttrigger`, async (request) => {
    const p = await project(request, 'read');
    const rows: Array<Record<string, unknown>> = [];
    for (const policy of await listWebhookPolicies(services.db, p.project_id)) {
      const last = await lastTriggers(services.db, policy.id);
      for (const eventType of policy.event_types) {
        const at = last.get(eventType);
        rows.push({
          policy_name: policy.name,
          event_type: eventType,
          enabled: policy.enabled,
          creation_time: isoTime(policy.creation_time),
          ...(at ? { last_trigger_time: isoTime(at) } : {}),
        });
      }
    }
    return rows;
  });

  app.get(`${prefix}/events`, async (request) => {
    await project(request, 'read');
    return {
      event_type: [...WEBHOOK_EVENT_TYPES],
      notify_type: NOTIFY_TYPES,
      payload_formats: [{ notify_type: 'http', formats: PAYLOAD_FORMATS }],
    };
  });
}
