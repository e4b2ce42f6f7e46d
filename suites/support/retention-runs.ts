// Retention through Harbor's API, for any suite that needs a run (goharbor/harbor src/server/v2.0/handler/
// retention.go@v2.15.2): a project's policy as tests/apitests/python/library/retention.py sends it (POST /retentions,
// the id from Location), and a run (POST …/executions) polled until its tasks are final, each task read back with
// total, retained and its log.
import { pollUntil } from '../../lib/poll.ts';
import type { RetentionPolicyFile } from '../../policies/retention-policy.ts';
import type { CheckContext } from '../check.ts';
import { mapLimited } from './raw-http-probe.ts';

type RetentionRuleBody = RetentionPolicyFile['rules'][number];

export interface RetentionTask {
  id: number;
  repository: string;
  status: string;
  total: number;
  retained: number;
  /** The task's log as GET …/tasks/{id} answers it (text/plain). */
  log: string;
}

export interface RetentionRun {
  executionId: number;
  status: string;
  dryRun: boolean;
  tasks: RetentionTask[];
}

const FINAL = new Set(['Success', 'Error', 'Stopped']);

export function retentionPolicyBody(
  projectId: number,
  rules: readonly RetentionRuleBody[],
  cron = '',
): Record<string, unknown> {
  return {
    algorithm: 'or',
    rules,
    trigger: { kind: 'Schedule', settings: { cron }, references: {} },
    scope: { level: 'project', ref: projectId },
  };
}

/**
 * The retention policy most estates have, as Harbor's own API tests post it: keep the latest K pushed artifacts of
 * every repository of one project (`untagged` given: the tag selector's extras say so), no schedule.
 */
export function keepLatestPushedPolicy(
  projectId: number,
  latestPushedK: number,
  options: { untagged?: boolean } = {},
): Record<string, unknown> {
  return retentionPolicyBody(projectId, [
    {
      disabled: false,
      action: 'retain',
      template: 'latestPushedK',
      params: { latestPushedK },
      tag_selectors: [
        {
          kind: 'doublestar',
          decoration: 'matches',
          pattern: '**',
          ...(options.untagged !== undefined ? { extras: JSON.stringify({ untagged: options.untagged }) } : {}),
        },
      ],
      scope_selectors: { repository: [{ kind: 'doublestar', decoration: 'repoMatches', pattern: '**' }] },
    },
  ]);
}

/** POST /retentions for the project; the policy goes with the project when it is deleted. */
export async function createRetentionPolicy(
  ctx: CheckContext,
  project: { id: number; name: string },
  rules: readonly RetentionRuleBody[],
  cron = '',
): Promise<number> {
  const response = await ctx.step(`create retention policy for ${project.name}`, () =>
    ctx.api.request('POST', '/retentions', { body: retentionPolicyBody(project.id, rules, cron), expect: [201] }),
  );
  const location = response.headers['location'] ?? '';
  const id = Number(/\/retentions\/(\d+)$/.exec(location)?.[1]);
  if (!Number.isInteger(id)) throw new Error(`POST /retentions answered 201 with Location "${location}": no policy id`);
  return id;
}

/**
 * Runs the policy and waits until every expected task is final (Harbor refreshes the execution's own status
 * asynchronously, up to 30 s later: src/pkg/task/hook.go), or the execution is final (no tasks at all).
 */
export async function runRetention(
  ctx: CheckContext,
  policyId: number,
  dryRun: boolean,
  expectedTasks: number,
): Promise<RetentionRun> {
  const started = await ctx.api.request('POST', `/retentions/${policyId}/executions`, {
    body: { dry_run: dryRun },
    expect: [201],
  });
  const location = started.headers['location'] ?? '';
  const executionId = Number(/\/executions\/(\d+)$/.exec(location)?.[1]);
  if (!Number.isInteger(executionId))
    throw new Error(`POST /retentions/${policyId}/executions answered Location "${location}": no execution id`);
  const base = `/retentions/${policyId}/executions/${executionId}`;
  // Done when the expected tasks are final, or when the execution is final with fewer (a repository the
  // rules cover got no task: the check says so at once instead of waiting out the deadline).
  const state = await pollUntil(
    async () => {
      const [tasks, executions] = await Promise.all([
        ctx.api.listAll<Record<string, unknown>>(`${base}/tasks`),
        ctx.api.listAll<{ id: number; status: string }>(`/retentions/${policyId}/executions`),
      ]);
      return { status: executions.find((e) => e.id === executionId)?.status ?? '', tasks };
    },
    {
      timeoutMs: 60_000,
      intervalMs: 100,
      describe: `${dryRun ? 'dry run' : 'run'} ${executionId} of retention policy ${policyId} to finish its ${expectedTasks} task(s)`,
      accept: ({ status, tasks }) =>
        tasks.every((t) => FINAL.has(String(t['status']))) && (tasks.length >= expectedTasks || FINAL.has(status)),
      signal: ctx.signal,
    },
  );
  const tasks = await mapLimited(state.tasks, 4, async (task): Promise<RetentionTask> => {
    const id = Number(task['id']);
    const log = await ctx.api.request<string>('GET', `${base}/tasks/${id}`, {
      headers: { accept: 'text/plain' },
    });
    return {
      id,
      repository: String(task['repository'] ?? ''),
      status: String(task['status'] ?? ''),
      total: Number(task['total'] ?? 0),
      retained: Number(task['retained'] ?? 0),
      log: String(log.data ?? ''),
    };
  });
  return { executionId, status: state.status, dryRun, tasks };
}
