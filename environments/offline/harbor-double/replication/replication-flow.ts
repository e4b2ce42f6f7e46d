// Executions and tasks of replication (goharbor/harbor src/controller/replication/{execution.go,flow/copy.go,
// flow/deletion.go,flow/stage.go}, src/pkg/task@v2.15.2): an execution starts `Running`; the flow (in the
// background, so the POST answers before any task exists) fetches the source resources (or takes the event's),
// filters them, names their destinations, prepares the destination (a Harbor target: its projects) and creates one
// task per repository, each a job on the Redis queue REPLICATION. No resource → `Success` with "no resources need to
// be replicated"; a flow error → `Error` with the error as status text. A job that fails is retried by "jobservice"
// up to MaxFails=3 runs (src/jobservice/job/impl/replication/replication.go); the execution's status is derived from
// its tasks when one ends (Harbor refreshes it asynchronously, every execution_status_refresh_interval_seconds).
import type { Redis } from 'ioredis';
import type { DoubleServices } from '../double-services.ts';
import {
  findExecution,
  findPolicy,
  findTask,
  finishExecution,
  insertExecution,
  insertTask,
  type ExecutionTrigger,
  type JobStatus,
  listExecutions,
  type PolicyRow,
  taskCounts,
  tasksOfExecution,
  updateTask,
} from '../store/replication.ts';
import { ArtifactTransfer, type TransferLog } from './artifact-transfer.ts';
import { announceReplicationStatus } from './replication-notification.ts';
import { destinationRepository } from './destination-name.ts';
import { harborApiCall } from './harbor-api-client.ts';
import { clientFor, localRegistry, requireEndpoint, type RegistryEndpoint } from './registry-endpoints.ts';
import { filterArtifacts, repositoryMatches } from './replication-filters.ts';
import {
  localResources,
  localSource,
  referencesOf,
  remoteResources,
  remoteSource,
  resourceName,
  type ReplicationResource,
} from './replication-resources.ts';

export const REPLICATION_QUEUE = '{harbor_job_service_namespace}:jobs:REPLICATION';
const MAX_FAILS = 3;

export interface ReplicationJob {
  taskId: number;
}

/** What a task carries (the job parameters: source and destination resource). */
interface TaskPayload {
  policyId: number;
  srcRegistryId: number;
  destRegistryId: number;
  srcRepository: string;
  dstRepository: string;
  references: string[];
  override: boolean;
  operation: 'copy' | 'deletion';
}

export async function enqueueReplication(redis: Redis, job: ReplicationJob): Promise<void> {
  await redis.lpush(REPLICATION_QUEUE, JSON.stringify(job));
}

const stamp = (level: string, line: string) =>
  `${new Date().toISOString().replace(/\.\d+Z$/, 'Z')} [${level}] [/controller/replication/transfer/image/transfer.go]: ${line}\n`;

function collectingLog(): TransferLog & { text(): string } {
  let text = '';
  return {
    info: (line) => void (text += stamp('INFO', line)),
    warn: (line) => void (text += stamp('WARNING', line)),
    error: (line) => void (text += stamp('ERROR', line)),
    text: () => text,
  };
}

function endpointClient(services: DoubleServices, endpoint: RegistryEndpoint) {
  return clientFor(endpoint.id === 0 ? localRegistry(services) : endpoint);
}

/** The harbor adapter's PrepareForPush: the destination projects that do not exist yet are created (409 is fine). */
async function prepareHarborDestination(endpoint: RegistryEndpoint, repositories: string[]): Promise<void> {
  for (const project of new Set(repositories.map((r) => r.split('/')[0]!))) {
    const existing = await harborApiCall(endpoint, 'GET', `/api/v2.0/projects?name=${encodeURIComponent(project)}`);
    const found =
      existing.statusCode === 200 &&
      (JSON.parse(existing.text) as Array<{ name: string }>).some((p) => p.name === project);
    if (found) continue;
    const created = await harborApiCall(endpoint, 'POST', '/api/v2.0/projects', {
      project_name: project,
      metadata: { public: 'false' },
    });
    if (created.statusCode !== 201 && created.statusCode !== 409)
      throw new Error(
        `failed to do the prepare work for pushing/uploading resources: http status code: ${created.statusCode}, body: ${created.text}`,
      );
  }
}

async function runFlow(
  services: DoubleServices,
  executionId: number,
  policy: PolicyRow,
  given: ReplicationResource[] | undefined,
  operation: 'copy' | 'deletion',
): Promise<void> {
  const matchAccessoriesByOwnTags = services.faults.has('replication-accessories-skipped-by-tag-filter');
  const src = await requireEndpoint(services, policy.src_registry_id);
  const dest = await requireEndpoint(services, policy.dest_registry_id);
  let resources: ReplicationResource[];
  if (given) {
    resources = given
      .filter((r) => repositoryMatches(policy.filters, r.repository))
      .map((r) => ({ ...r, artifacts: filterArtifacts(policy.filters, r.artifacts, { matchAccessoriesByOwnTags }) }))
      .filter((r) => r.artifacts.length > 0);
  } else if (src.id === 0) {
    resources = await localResources(services, policy.filters, { matchAccessoriesByOwnTags });
  } else {
    const client = endpointClient(services, src);
    try {
      resources = await remoteResources(client, policy.filters);
    } finally {
      await client.close();
    }
  }
  if (resources.length === 0) {
    await finishExecution(services.db, executionId, 'Success', 'no resources need to be replicated');
    return;
  }
  const rule = dest.type === 'harbor' ? 'at-least-two' : 'any';
  const flattenOneLevelLess = services.faults.has('replication-dest-namespace-replace-count-off-by-one');
  const named = resources.map((resource) => ({
    resource,
    destination: destinationRepository(
      resource.repository,
      policy.dest_namespace,
      policy.dest_namespace_replace_count,
      rule,
      { flattenOneLevelLess },
    ),
  }));
  if (dest.type === 'harbor' && operation === 'copy')
    await prepareHarborDestination(
      dest.id === 0 ? localRegistry(services) : dest,
      named.map((n) => n.destination),
    );
  for (const { resource, destination } of named) {
    const payload: TaskPayload = {
      policyId: policy.id,
      srcRegistryId: src.id,
      destRegistryId: dest.id,
      srcRepository: resource.repository,
      dstRepository: destination,
      references: referencesOf(resource),
      override: policy.override,
      operation,
    };
    const taskId = await insertTask(services.db, {
      execution_id: executionId,
      operation,
      resource_type: resource.type,
      src_resource: resourceName(resource.repository, resource),
      dst_resource: resourceName(destination, resource),
      job: payload as unknown as Record<string, unknown>,
    });
    await enqueueReplication(services.redis, { taskId });
  }
}

/** Starts an execution (replication.Ctl.Start); the flow continues in the background. */
export async function startExecution(
  services: DoubleServices,
  policy: PolicyRow,
  trigger: ExecutionTrigger,
  given?: ReplicationResource[],
  operation: 'copy' | 'deletion' = 'copy',
  /** Who started it (operator.FromContext): the API caller, the pusher of an event; kept in extra_attrs. */
  operator = '',
): Promise<number> {
  if (policy.single_active_replication) {
    const running = await listExecutions(services.db, { policyId: policy.id, status: 'Running', offset: 0, limit: 1 });
    if (running.total > 0) {
      const id = await insertExecution(services.db, policy.id, trigger, operator);
      await finishExecution(services.db, id, 'Error', 'Execution skipped: active replication still in progress.');
      return id;
    }
  }
  const executionId = await insertExecution(services.db, policy.id, trigger, operator);
  void runFlow(services, executionId, policy, given, operation).catch(async (error: unknown) => {
    // replication-partial-copy-reported-success: the failed preparation is swallowed like a failed copy.
    const swallowed = services.faults.has('replication-partial-copy-reported-success');
    await finishExecution(
      services.db,
      executionId,
      swallowed ? 'Success' : 'Error',
      swallowed ? 'no resources need to be replicated' : (error as Error).message,
    ).catch(() => undefined);
  });
  return executionId;
}

/** The execution's status from its tasks (src/pkg/task/dao/execution.go refreshStatus). */
export async function refreshExecution(services: DoubleServices, executionId: number): Promise<void> {
  const execution = await findExecution(services.db, executionId);
  if (!execution || execution.end_time) return;
  const c = await taskCounts(services.db, executionId);
  const total = Object.values(c).reduce((a, b) => a + b, 0);
  if (total === 0) return;
  if (c.Pending + c.Running + c.Scheduled > 0) return;
  const status: JobStatus = c.Error > 0 ? 'Error' : c.Stopped > 0 ? 'Stopped' : 'Success';
  await finishExecution(services.db, executionId, status, '');
}

/** The replication job, as jobservice runs it: one task, retried up to MaxFails runs. */
export async function runReplicationTask(services: DoubleServices, job: ReplicationJob): Promise<void> {
  const task = await findTask(services.db, job.taskId);
  if (!task || task.status === 'Stopped' || task.status === 'Success' || task.status === 'Error') return;
  const payload = task.job as unknown as TaskPayload;
  await updateTask(services.db, task.id, { status: 'Running', runCount: 1 });
  await announceReplicationStatus(services, task.id, 'Running');
  const log = collectingLog();
  let failure: Error | undefined;
  try {
    const policy = await findPolicy(services.db, payload.policyId);
    if (!policy) throw new Error(`replication policy ${payload.policyId} not found`);
    const src = await requireEndpoint(services, payload.srcRegistryId);
    const dest = await requireEndpoint(services, payload.destRegistryId);
    log.info(`client for source registry [type: ${src.type}, URL: ${src.url}, insecure: ${src.insecure}] created`);
    log.info(
      `client for destination registry [type: ${dest.type}, URL: ${dest.url}, insecure: ${dest.insecure}] created`,
    );
    const srcClient = src.id === 0 ? undefined : endpointClient(services, src);
    const dstClient = endpointClient(services, dest);
    try {
      const transfer = new ArtifactTransfer(
        srcClient ? remoteSource(srcClient) : localSource(services),
        dstClient,
        log,
        services.faults,
      );
      if (payload.operation === 'deletion') await transfer.delete(payload.dstRepository, payload.references);
      else
        await transfer.copy(
          payload.srcRepository,
          payload.references,
          payload.dstRepository,
          payload.references,
          payload.override,
        );
    } finally {
      await srcClient?.close();
      await dstClient.close();
    }
  } catch (error) {
    failure = error as Error;
    log.error(failure.message);
  }
  const current = await findTask(services.db, task.id);
  if (current?.status === 'Stopped') return;
  if (!failure) {
    await updateTask(services.db, task.id, { status: 'Success', log: log.text(), final: true });
    await announceReplicationStatus(services, task.id, 'Success');
  } else if ((current?.run_count ?? MAX_FAILS) < MAX_FAILS) {
    await updateTask(services.db, task.id, {
      status: 'Pending',
      log: log.text() + stamp('INFO', `the job failed (run ${current?.run_count}), jobservice retries it`),
    });
    await enqueueReplication(services.redis, { taskId: task.id });
    return;
  } else {
    await updateTask(services.db, task.id, { status: 'Error', log: log.text(), final: true });
    await announceReplicationStatus(services, task.id, 'Error');
  }
  await refreshExecution(services, task.execution_id);
}

/** PUT /replication/executions/{id}: unfinished tasks are stopped, then the execution's status follows. */
export async function stopExecution(services: DoubleServices, executionId: number): Promise<void> {
  for (const task of await tasksOfExecution(services.db, executionId, { status: ['Pending', 'Running', 'Scheduled'] }))
    await updateTask(services.db, task.id, { status: 'Stopped', final: true });
  const execution = await findExecution(services.db, executionId);
  if (execution && !execution.end_time) {
    const c = await taskCounts(services.db, executionId);
    if (Object.values(c).reduce((a, b) => a + b, 0) === 0)
      await finishExecution(services.db, executionId, 'Stopped', '');
    else await refreshExecution(services, executionId);
  }
}
