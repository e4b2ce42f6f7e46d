// Core's half of a retention run (goharbor/harbor src/controller/retention/controller.go TriggerRetentionExec,
// src/pkg/retention/launcher.go@v2.15.2): an execution record first (Running), then — after the answer, as
// Harbor's goroutine does — the repositories each enabled rule's repository selectors pick (selectors ANDed,
// matched on the name without the project), one task per repository carrying the rules that picked it, each
// handed to jobservice as a job on the Redis queue. No rules or no repositories: the execution is done with
// "no resources for retention".
import { randomBytes } from 'node:crypto';
import type { DoubleServices } from '../double-services.ts';
import { selects } from '../immutable/doublestar-selector.ts';
import { withoutProject } from '../immutable/immutable-status.ts';
import { finishExecution, insertExecution, insertTask, updateTask } from '../store/retention.ts';
import { requireSelector } from './retention-evaluation.ts';
import type { RetentionPolicy, RetentionRule } from './retention-policy.ts';

export const RETENTION_QUEUE = '{harbor_job_service_namespace}:jobs:RETENTION';

/** The job's parameters (launcher.go createJobs): the repository and the rules that apply to it. */
export interface RetentionJob {
  taskId: number;
  executionId: number;
  projectId: number;
  /** The project name (selector.Repository Namespace). */
  namespace: string;
  /** The repository name without the project. */
  repository: string;
  dryRun: boolean;
  algorithm: string;
  rules: RetentionRule[];
}

/** Trigger constants of the task framework (MANUAL) and of the retention scheduler callback (Schedule). */
export type RetentionTrigger = 'MANUAL' | 'Schedule';

export async function triggerRetentionExecution(
  services: DoubleServices,
  policy: RetentionPolicy,
  trigger: RetentionTrigger,
  dryRun: boolean,
  operator: string,
): Promise<number> {
  const executionId = await insertExecution(services.db, { policyId: policy.id, trigger, dryRun, operator });
  void launch(services, policy, executionId, dryRun).catch(async (error: unknown) => {
    await finishExecution(services.db, executionId, 'Error', `launcher: ${(error as Error).message}`).catch(
      () => undefined,
    );
  });
  return executionId;
}

/** The repositories of the project each enabled rule applies to (launcher.go Launch). */
export async function repositoriesByRule(
  services: DoubleServices,
  policy: RetentionPolicy,
): Promise<Map<string, RetentionRule[]>> {
  const result = await services.db.query<{ name: string }>(
    'SELECT name FROM repository WHERE project_id = $1 ORDER BY name',
    [policy.scope.ref],
  );
  const all = result.rows.map((r) => withoutProject(r.name));
  // retention-nested-repositories-skipped: `**` and `*` stop at "/" (path.Match instead of doublestar)
  const noGlobstar = services.faults.has('retention-nested-repositories-skipped');
  const byRepository = new Map<string, RetentionRule[]>();
  for (const rule of policy.rules) {
    if (rule.disabled) continue;
    let candidates = all;
    for (const s of rule.scope_selectors['repository'] ?? []) {
      requireSelector(s);
      candidates = candidates.filter((repository) =>
        selects(s, { repository, namespace: '', tags: [] }, true, { noGlobstar }),
      );
    }
    for (const repository of candidates) byRepository.set(repository, [...(byRepository.get(repository) ?? []), rule]);
  }
  return byRepository;
}

async function launch(
  services: DoubleServices,
  policy: RetentionPolicy,
  executionId: number,
  dryRun: boolean,
): Promise<void> {
  const project = await services.db.query<{ name: string }>('SELECT name FROM project WHERE project_id = $1', [
    policy.scope.ref,
  ]);
  const namespace = project.rows[0]?.name;
  const byRepository = policy.rules.length > 0 && namespace ? await repositoriesByRule(services, policy) : new Map();
  if (byRepository.size === 0) {
    await finishExecution(services.db, executionId, 'Success', 'no resources for retention');
    return;
  }
  for (const [repository, rules] of byRepository) {
    const taskId = await insertTask(services.db, executionId, repository);
    await updateTask(services.db, taskId, { status: 'Pending', jobId: randomBytes(12).toString('hex') });
    const job: RetentionJob = {
      taskId,
      executionId,
      projectId: policy.scope.ref,
      namespace: namespace!,
      repository,
      dryRun,
      algorithm: policy.algorithm,
      rules,
    };
    await services.redis.lpush(RETENTION_QUEUE, JSON.stringify(job));
  }
}
