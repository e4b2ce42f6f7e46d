// The REPLICATION event of a task's status change (goharbor/harbor src/controller/event/handler/init.go
// RegisterTaskStatusChangePostFunc, src/controller/event/metadata/replication.go, and the webhook handler
// src/controller/event/handler/webhook/artifact/replication.go constructReplicationPayload@v2.15.2): every status a
// replication job reports (Running, then Success or Error) is announced to the webhook policies of the local
// project — the destination namespace for a pull-based policy, the source namespace for a push-based one — with
// the policy, the remote registry and, once final, the task's artifact under successful_artifact / failed_artifact.
// Harbor's quirk is kept: the local side always carries the destination namespace and the remote side the source
// namespace, whichever way the policy copies.
import type { DoubleServices } from '../double-services.ts';
import { findProject } from '../store/projects.ts';
import { findExecution, findPolicy, findTask, type JobStatus } from '../store/replication.ts';
import { findEndpoint } from './registry-endpoints.ts';

const log = (line: string) => process.stdout.write(`harbor-double: ${line}\n`);
const unix = (date: Date) => Math.floor(date.getTime() / 1000);

/** getMetadataFromResource: "<namespace>/<rest>" of a task's source or destination resource. */
function splitResource(resource: string): [string, string] {
  const slash = resource.indexOf('/');
  return slash < 0 ? ['', resource] : [resource.slice(0, slash), resource.slice(slash + 1)];
}

/** Drops what Go's `omitempty` drops. */
function omitEmpty(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(value).filter(
      ([, v]) =>
        v !== undefined && v !== null && v !== '' && v !== 0 && v !== false && !(Array.isArray(v) && !v.length),
    ),
  );
}

async function announce(services: DoubleServices, taskId: number, status: JobStatus): Promise<void> {
  const task = await findTask(services.db, taskId);
  const execution = task && (await findExecution(services.db, task.execution_id));
  const policy = execution && (await findPolicy(services.db, execution.policy_id));
  if (!task || !execution || !policy) return;
  const remoteId = policy.dest_registry_id > 0 ? policy.dest_registry_id : policy.src_registry_id;
  const remote = await findEndpoint(services, remoteId);
  if (!remote) return;
  const [srcNamespace, srcNameAndTag] = splitResource(task.src_resource);
  const [destNamespace, destNameAndTag] = splitResource(task.dst_resource);
  const remoteResource = omitEmpty({
    registry_name: remote.name,
    registry_type: remote.type,
    endpoint: remote.url,
    namespace: srcNamespace,
  });
  const localResource = omitEmpty({
    registry_type: 'harbor',
    endpoint: services.config.extEndpoint,
    namespace: destNamespace,
  });
  const pullBased = policy.dest_registry_id === 0;
  // replication-webhook-lost-pull-mode: the project is looked up by the source namespace in both directions,
  // so a pull into a differently named project announces nothing (goharbor/harbor#17298, fixed by #17312)
  const projectName =
    pullBased && !services.faults.has('replication-webhook-lost-pull-mode') ? destNamespace : srcNamespace;
  const project = await findProject(services.db, projectName, true);
  if (!project) {
    log(`replication webhook of task ${task.id}: project ${projectName} not found`);
    return;
  }
  const references = String((task.job as { references?: string[] }).references?.join(',') ?? '').split(',');
  const artifact = {
    type: task.resource_type,
    status: task.status,
    name_tag: pullBased ? destNameAndTag : srcNameAndTag,
    references,
  };
  const operator = execution.extra_attrs['operator'];
  await services.events.publish({
    type: 'REPLICATION',
    operator: typeof operator === 'string' ? operator : '',
    occurAt: new Date(),
    projectId: project.project_id,
    eventData: {
      replication: omitEmpty({
        harbor_hostname: new URL(services.config.extEndpoint).hostname,
        job_status: status,
        description: policy.description,
        artifact_type: task.resource_type,
        authentication_type: remote.credential?.type,
        override_mode: policy.override,
        trigger_type: execution.trigger,
        policy_creator: policy.creator,
        execution_timestamp: unix(execution.start_time),
        src_resource: pullBased ? remoteResource : localResource,
        dest_resource: pullBased ? localResource : remoteResource,
        successful_artifact: status === 'Success' ? [artifact] : undefined,
        failed_artifact: status === 'Error' ? [artifact] : undefined,
        execution_id: execution.id,
        task_id: task.id,
      }),
    },
  });
}

/** Announces the status a replication task just reported; a failure to announce never fails the task. */
export async function announceReplicationStatus(
  services: DoubleServices,
  taskId: number,
  status: JobStatus,
): Promise<void> {
  await announce(services, taskId, status).catch((error: unknown) =>
    log(`replication webhook of task ${taskId}: ${(error as Error).message}`),
  );
}
