// /api/v2.0/replication/policies and /replication/executions (goharbor/harbor src/server/v2.0/handler/replication.go,
// src/controller/replication/{policy,execution}.go@v2.15.2). Policies need system `replication-policy` access,
// executions `replication`. Statuses are shown mapped: executions Running→InProgress, Success→Succeed, Error→Failed,
// Stopped; tasks Scheduled/Running→InProgress, Success→Succeed, Error→Failed, Pending and Stopped as they are.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { DoubleServices } from '../double-services.ts';
import { badRequest, conflict, HarborError, notFound } from '../harbor-error.ts';
import { findEndpoint } from '../replication/registry-endpoints.ts';
import { policyFromBody, policyModel } from '../replication/replication-policy.ts';
import { startExecution, stopExecution } from '../replication/replication-flow.ts';
import { usernameOf } from '../security/security-context.ts';
import { UNIQUE_VIOLATION } from '../store/registries.ts';
import {
  deletePolicy,
  type ExecutionRow,
  type ExecutionTrigger,
  findExecution,
  findPolicy,
  insertPolicy,
  type JobStatus,
  listExecutions,
  listPolicies,
  type PolicyFields,
  type PolicyRow,
  taskCounts,
  tasksOfExecution,
  type TaskRow,
  updatePolicy,
} from '../store/replication.ts';
import { isoTime, paging, parseQ, requireSystemAccess, setListHeaders } from './api-support.ts';
import { registryModel } from './registry-routes.ts';
import { hasEndpointCaCertificates } from '../upgrade/emulated-versions.ts';

const EXECUTION_STATUS: Record<JobStatus, string> = {
  Running: 'InProgress',
  Pending: 'InProgress',
  Scheduled: 'InProgress',
  Success: 'Succeed',
  Stopped: 'Stopped',
  Error: 'Failed',
};
const TASK_STATUS: Record<JobStatus, string> = {
  Pending: 'Pending',
  Scheduled: 'InProgress',
  Running: 'InProgress',
  Success: 'Succeed',
  Error: 'Failed',
  Stopped: 'Stopped',
};
const TRIGGER_NAME: Record<ExecutionTrigger, string> = {
  MANUAL: 'manual',
  SCHEDULE: 'scheduled',
  EVENT: 'event_based',
};

function numericParam(request: FastifyRequest, name: string): number {
  const raw = (request.params as Record<string, string>)[name] ?? '';
  if (!/^\d+$/.test(raw)) throw badRequest(`invalid ${name}: ${raw}`);
  return Number(raw);
}

async function requirePolicy(services: DoubleServices, id: number): Promise<PolicyRow> {
  const policy = await findPolicy(services.db, id);
  if (!policy) throw notFound(`replication policy ${id} not found`);
  return policy;
}

async function requireExecution(services: DoubleServices, id: number): Promise<ExecutionRow> {
  const execution = await findExecution(services.db, id);
  if (!execution) throw notFound(`execution ${id} not found`);
  return execution;
}

async function model(services: DoubleServices, row: PolicyRow): Promise<Record<string, unknown>> {
  const src = await findEndpoint(services, row.src_registry_id);
  const dest = await findEndpoint(services, row.dest_registry_id);
  const withCa = hasEndpointCaCertificates(services.config.harborVersion);
  return policyModel(row, { src: src && registryModel(src, withCa), dest: dest && registryModel(dest, withCa) });
}

async function checkedPolicy(services: DoubleServices, request: FastifyRequest): Promise<PolicyFields> {
  const fields = policyFromBody((request.body ?? {}) as Record<string, unknown>, usernameOf(request.security));
  for (const id of [fields.src_registry_id, fields.dest_registry_id])
    if (!(await findEndpoint(services, id))) throw notFound(`registry ${id} not found`);
  // replication-deletion-flag-dropped: the policy is saved without "Delete remote resources when locally deleted".
  if (services.faults.has('replication-deletion-flag-dropped')) fields.replicate_deletion = false;
  return fields;
}

function uniqueName<T>(work: Promise<T>, name: string): Promise<T> {
  return work.catch((error: unknown) => {
    if ((error as { code?: string }).code === UNIQUE_VIOLATION)
      throw conflict(`replication policy ${name} already exists`);
    throw error;
  });
}

async function executionModel(services: DoubleServices, row: ExecutionRow): Promise<Record<string, unknown>> {
  const c = await taskCounts(services.db, row.id);
  return {
    id: row.id,
    policy_id: row.policy_id,
    status: EXECUTION_STATUS[row.status],
    status_text: row.status_message,
    trigger: TRIGGER_NAME[row.trigger],
    start_time: isoTime(row.start_time),
    end_time: row.end_time ? isoTime(row.end_time) : '0001-01-01T00:00:00.000Z',
    total: Object.values(c).reduce((a, b) => a + b, 0),
    failed: c.Error,
    succeed: c.Success,
    in_progress: c.Pending + c.Scheduled + c.Running,
    stopped: c.Stopped,
  };
}

function taskModel(task: TaskRow): Record<string, unknown> {
  return {
    id: task.id,
    execution_id: task.execution_id,
    status: TASK_STATUS[task.status],
    job_id: task.job_id,
    operation: task.operation,
    resource_type: task.resource_type,
    src_resource: task.src_resource,
    dst_resource: task.dst_resource,
    start_time: isoTime(task.start_time),
    end_time: task.end_time ? isoTime(task.end_time) : '0001-01-01T00:00:00.000Z',
  };
}

const STATUS_QUERY: Record<string, JobStatus> = {
  InProgress: 'Running',
  Succeed: 'Success',
  Stopped: 'Stopped',
  Failed: 'Error',
};

export function registerReplicationRoutes(app: FastifyInstance, services: DoubleServices): void {
  app.post('/api/v2.0/replication/policies', async (request, reply) => {
    await requireSystemAccess(services, request.security, 'replication-policy', 'create');
    const fields = await checkedPolicy(services, request);
    const id = await uniqueName(insertPolicy(services.db, fields), fields.name);
    return reply
      .status(201)
      .header('Location', `${request.url.split('?')[0]!.replace(/\/+$/, '')}/${id}`)
      .send();
  });

  app.get('/api/v2.0/replication/policies', async (request, reply) => {
    await requireSystemAccess(services, request.security, 'replication-policy', 'list');
    const query = request.query as Record<string, unknown>;
    const page = paging(query);
    const legacy = typeof query['name'] === 'string' ? { value: query['name'], fuzzy: true } : undefined;
    const name = legacy ?? parseQ(query['q']).get('name');
    const { total, rows } = await listPolicies(services.db, {
      ...(name ? { name } : {}),
      offset: (page.page - 1) * page.pageSize,
      limit: page.pageSize,
    });
    setListHeaders(request, reply, total, page);
    return Promise.all(rows.map((row) => model(services, row)));
  });

  app.get('/api/v2.0/replication/policies/:id', async (request) => {
    await requireSystemAccess(services, request.security, 'replication-policy', 'read');
    return model(services, await requirePolicy(services, numericParam(request, 'id')));
  });

  app.put('/api/v2.0/replication/policies/:id', async (request) => {
    await requireSystemAccess(services, request.security, 'replication-policy', 'update');
    const id = numericParam(request, 'id');
    const existing = await requirePolicy(services, id);
    const fields = await checkedPolicy(services, request);
    await uniqueName(updatePolicy(services.db, id, { ...fields, creator: existing.creator }), fields.name);
    return {};
  });

  app.delete('/api/v2.0/replication/policies/:id', async (request) => {
    await requireSystemAccess(services, request.security, 'replication-policy', 'delete');
    const id = numericParam(request, 'id');
    await requirePolicy(services, id);
    const running = await listExecutions(services.db, { policyId: id, status: 'Running', offset: 0, limit: 1 });
    if (running.rows[0])
      throw new HarborError(
        'PRECONDITION',
        `the execution ${running.rows[0].id} has tasks that aren't in final status, stop the tasks first`,
      );
    await deletePolicy(services.db, id);
    return {};
  });

  app.post('/api/v2.0/replication/executions', async (request, reply) => {
    await requireSystemAccess(services, request.security, 'replication', 'create');
    const body = (request.body ?? {}) as { policy_id?: unknown };
    const policyId = typeof body.policy_id === 'number' ? body.policy_id : 0;
    const policy = await requirePolicy(services, policyId);
    if (!policy.enabled) throw new HarborError('PRECONDITION', `the policy ${policyId} is disabled`);
    const trigger = (request.query as Record<string, string>)['trigger'] === 'scheduled' ? 'SCHEDULE' : 'MANUAL';
    const id = await startExecution(services, policy, trigger, undefined, 'copy', usernameOf(request.security));
    return reply
      .status(201)
      .header('Location', `${request.url.split('?')[0]!.replace(/\/+$/, '')}/${id}`)
      .send();
  });

  app.get('/api/v2.0/replication/executions', async (request, reply) => {
    await requireSystemAccess(services, request.security, 'replication', 'list');
    const query = request.query as Record<string, string | undefined>;
    const page = paging(query);
    const trigger = Object.entries(TRIGGER_NAME).find(([, v]) => v === query['trigger'])?.[0] as
      | ExecutionTrigger
      | undefined;
    const status = query['status'] !== undefined ? (STATUS_QUERY[query['status']] ?? query['status']) : undefined;
    const { total, rows } = await listExecutions(services.db, {
      ...(query['policy_id'] !== undefined ? { policyId: Number(query['policy_id']) } : {}),
      ...(status ? { status: status as JobStatus } : {}),
      ...(trigger ? { trigger } : {}),
      offset: (page.page - 1) * page.pageSize,
      limit: page.pageSize,
    });
    setListHeaders(request, reply, total, page);
    return Promise.all(rows.map((row) => executionModel(services, row)));
  });

  app.get('/api/v2.0/replication/executions/:id', async (request) => {
    await requireSystemAccess(services, request.security, 'replication', 'read');
    return executionModel(services, await requireExecution(services, numericParam(request, 'id')));
  });

  app.put('/api/v2.0/replication/executions/:id', async (request) => {
    await requireSystemAccess(services, request.security, 'replication', 'create');
    const execution = await requireExecution(services, numericParam(request, 'id'));
    await stopExecution(services, execution.id);
    return {};
  });

  app.get('/api/v2.0/replication/executions/:id/tasks', async (request, reply) => {
    await requireSystemAccess(services, request.security, 'replication', 'read');
    const execution = await requireExecution(services, numericParam(request, 'id'));
    const query = request.query as Record<string, string | undefined>;
    const page = paging(query);
    const wanted = query['status'];
    const statuses = wanted
      ? (Object.entries(TASK_STATUS)
          .filter(([, v]) => v === wanted)
          .map(([k]) => k) as JobStatus[])
      : undefined;
    const tasks = await tasksOfExecution(services.db, execution.id, {
      ...(statuses ? { status: statuses } : {}),
      ...(query['resource_type'] ? { resourceType: query['resource_type'] } : {}),
    });
    setListHeaders(request, reply, tasks.length, page);
    return tasks.slice((page.page - 1) * page.pageSize, page.page * page.pageSize).map(taskModel);
  });

  app.get('/api/v2.0/replication/executions/:id/tasks/:taskId/log', async (request, reply) => {
    await requireSystemAccess(services, request.security, 'replication', 'read');
    const execution = await requireExecution(services, numericParam(request, 'id'));
    const taskId = numericParam(request, 'taskId');
    const task = (await tasksOfExecution(services.db, execution.id)).find((t) => t.id === taskId);
    if (!task) throw notFound(`execution ${execution.id} contains no task with ID ${taskId}`);
    return reply.header('content-type', 'text/plain').send(task.log);
  });
}
