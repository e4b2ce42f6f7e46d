// Executions and tasks of webhook deliveries (goharbor/harbor src/pkg/task/dao/{execution,task}.go@v2.15.x): one
// execution per policy, target and event (vendor_type WEBHOOK, trigger EVENT, extra_attrs {event_type, payload}),
// one task in it per delivery job; the execution's status is derived from its tasks (dao/execution.go).
import type { Queryable } from '../database.ts';

export interface WebhookExecutionRow {
  id: number;
  policy_id: number;
  vendor_type: string;
  status: string;
  status_message: string;
  trigger: string;
  extra_attrs: Record<string, unknown>;
  start_time: Date;
  end_time: Date | null;
}

export interface WebhookTaskRow {
  id: number;
  execution_id: number;
  status: string;
  status_message: string;
  run_count: number;
  extra_attrs: Record<string, unknown>;
  log: string;
  creation_time: Date;
  start_time: Date | null;
  update_time: Date;
  end_time: Date | null;
}

export async function createWebhookExecution(
  db: Queryable,
  policyId: number,
  extraAttrs: Record<string, unknown>,
): Promise<{ executionId: number; taskId: number }> {
  const execution = await db.query<{ id: number }>(
    'INSERT INTO webhook_execution (policy_id, extra_attrs) VALUES ($1, $2::jsonb) RETURNING id',
    [policyId, JSON.stringify(extraAttrs)],
  );
  const executionId = execution.rows[0]!.id;
  const task = await db.query<{ id: number }>('INSERT INTO webhook_task (execution_id) VALUES ($1) RETURNING id', [
    executionId,
  ]);
  return { executionId, taskId: task.rows[0]!.id };
}

const FINAL = new Set(['Success', 'Error', 'Stopped']);

/** Records one attempt's outcome on the task (and its log lines), then the execution's derived status. */
export async function updateWebhookTask(
  db: Queryable,
  taskId: number,
  update: { status: string; statusMessage?: string; attempt?: boolean; log?: string },
): Promise<void> {
  const final = FINAL.has(update.status);
  const rows = await db.query<{ execution_id: number }>(
    `UPDATE webhook_task SET status = $2, status_message = COALESCE($3, status_message),
       run_count = run_count + $4, log = log || $5, update_time = now(),
       start_time = COALESCE(start_time, CASE WHEN $4 = 1 THEN now() END),
       end_time = CASE WHEN $6 THEN now() ELSE NULL END
     WHERE id = $1 RETURNING execution_id`,
    [taskId, update.status, update.statusMessage ?? null, update.attempt ? 1 : 0, update.log ?? '', final],
  );
  const executionId = rows.rows[0]?.execution_id;
  if (executionId === undefined) return;
  await db.query(
    `UPDATE webhook_execution e SET status = s.status, end_time = CASE WHEN s.status = 'Running' THEN NULL ELSE now() END
     FROM (SELECT CASE
             WHEN bool_or(status IN ('Pending', 'Running', 'Scheduled')) THEN 'Running'
             WHEN bool_or(status = 'Error') THEN 'Error'
             WHEN bool_or(status = 'Stopped') THEN 'Stopped'
             ELSE 'Success' END AS status
           FROM webhook_task WHERE execution_id = $1) s
     WHERE e.id = $1`,
    [executionId],
  );
}

export async function listWebhookExecutions(db: Queryable, policyId: number): Promise<WebhookExecutionRow[]> {
  return (
    await db.query<WebhookExecutionRow>(
      'SELECT * FROM webhook_execution WHERE policy_id = $1 ORDER BY start_time DESC, id DESC',
      [policyId],
    )
  ).rows;
}

export async function findWebhookExecution(db: Queryable, id: number): Promise<WebhookExecutionRow | undefined> {
  return (await db.query<WebhookExecutionRow>('SELECT * FROM webhook_execution WHERE id = $1', [id])).rows[0];
}

export async function listWebhookTasks(db: Queryable, executionId: number): Promise<WebhookTaskRow[]> {
  return (
    await db.query<WebhookTaskRow>(
      'SELECT * FROM webhook_task WHERE execution_id = $1 ORDER BY start_time DESC NULLS FIRST, id DESC',
      [executionId],
    )
  ).rows;
}

export async function findWebhookTask(db: Queryable, id: number): Promise<WebhookTaskRow | undefined> {
  return (await db.query<WebhookTaskRow>('SELECT * FROM webhook_task WHERE id = $1', [id])).rows[0];
}

/** The newest execution start per policy and event type (GET …/webhook/lasttrigger). */
export async function lastTriggers(db: Queryable, policyId: number): Promise<Map<string, Date>> {
  const rows = await db.query<{ event_type: string; last: Date }>(
    `SELECT extra_attrs->>'event_type' AS event_type, max(start_time) AS last FROM webhook_execution
     WHERE policy_id = $1 GROUP BY 1`,
    [policyId],
  );
  return new Map(rows.rows.map((r) => [r.event_type, r.last]));
}
