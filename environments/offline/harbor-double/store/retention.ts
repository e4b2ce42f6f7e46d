// Retention policies, executions and tasks in PostgreSQL (migration 30).
import type { Queryable } from '../database.ts';
import type { RetentionPolicy } from '../retention/retention-policy.ts';

export interface RetentionExecutionRow {
  id: number;
  policy_id: number;
  status: string;
  status_message: string;
  trigger: string;
  dry_run: boolean;
  operator: string;
  start_time: Date;
  end_time: Date | null;
}

export interface RetentionTaskRow {
  id: number;
  execution_id: number;
  repository: string;
  job_id: string;
  status: string;
  status_revision: number;
  total: number;
  retained: number;
  log: string;
  start_time: Date;
  end_time: Date | null;
}

export async function insertPolicy(db: Queryable, policy: RetentionPolicy): Promise<number> {
  const result = await db.query<{ id: number }>(
    'INSERT INTO retention_policy (scope_level, scope_reference, trigger_kind, data) VALUES ($1, $2, $3, $4::jsonb) RETURNING id',
    [policy.scope.level, policy.scope.ref, policy.trigger.kind, JSON.stringify({ ...policy, id: 0 })],
  );
  return result.rows[0]!.id;
}

export async function updatePolicy(db: Queryable, policy: RetentionPolicy): Promise<void> {
  await db.query(
    'UPDATE retention_policy SET scope_level = $2, trigger_kind = $3, data = $4::jsonb, update_time = now() WHERE id = $1',
    [policy.id, policy.scope.level, policy.trigger.kind, JSON.stringify({ ...policy, id: 0 })],
  );
}

export async function findPolicy(db: Queryable, id: number): Promise<RetentionPolicy | undefined> {
  const result = await db.query<{ data: RetentionPolicy }>('SELECT data FROM retention_policy WHERE id = $1', [id]);
  const row = result.rows[0];
  return row ? { ...row.data, id } : undefined;
}

/** Every stored policy, for the scheduler. */
export async function allPolicies(db: Queryable): Promise<RetentionPolicy[]> {
  const result = await db.query<{ id: number; data: RetentionPolicy }>(
    'SELECT id, data FROM retention_policy ORDER BY id',
  );
  return result.rows.map((row) => ({ ...row.data, id: row.id }));
}

export async function deletePolicy(db: Queryable, id: number): Promise<void> {
  await db.query('DELETE FROM retention_policy WHERE id = $1', [id]);
}

export async function insertExecution(
  db: Queryable,
  input: { policyId: number; trigger: string; dryRun: boolean; operator: string },
): Promise<number> {
  const result = await db.query<{ id: number }>(
    'INSERT INTO retention_execution (policy_id, trigger, dry_run, operator) VALUES ($1, $2, $3, $4) RETURNING id',
    [input.policyId, input.trigger, input.dryRun, input.operator],
  );
  return result.rows[0]!.id;
}

export async function findExecution(db: Queryable, id: number): Promise<RetentionExecutionRow | undefined> {
  const result = await db.query<RetentionExecutionRow>('SELECT * FROM retention_execution WHERE id = $1', [id]);
  return result.rows[0];
}

export async function listExecutions(
  db: Queryable,
  policyId: number,
  page: { page: number; pageSize: number },
): Promise<{ total: number; rows: RetentionExecutionRow[] }> {
  const total = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM retention_execution WHERE policy_id = $1',
    [policyId],
  );
  const rows = await db.query<RetentionExecutionRow>(
    `SELECT * FROM retention_execution WHERE policy_id = $1 ORDER BY start_time DESC, id DESC LIMIT ${page.pageSize} OFFSET ${(page.page - 1) * page.pageSize}`,
    [policyId],
  );
  return { total: total.rows[0]?.n ?? 0, rows: rows.rows };
}

/** Marks an execution final (no tasks, a failed launch, or stopped). */
export async function finishExecution(db: Queryable, id: number, status: string, message: string): Promise<void> {
  await db.query(
    'UPDATE retention_execution SET status = $2, status_message = $3, end_time = clock_timestamp() WHERE id = $1',
    [id, status, message],
  );
}

/**
 * The execution's status from its tasks (goharbor/harbor src/pkg/task/dao/execution.go refreshStatus@v2.15.x):
 * any unfinished task → Running; else any Error → Error; else any Stopped → Stopped; else Success.
 */
export async function refreshExecutionStatus(db: Queryable, id: number): Promise<void> {
  await db.query(
    `UPDATE retention_execution e SET
       status = s.status,
       end_time = CASE WHEN s.status = 'Running' THEN NULL ELSE clock_timestamp() END
     FROM (SELECT CASE
             WHEN bool_or(status IN ('Pending', 'Scheduled', 'Running')) THEN 'Running'
             WHEN bool_or(status = 'Error') THEN 'Error'
             WHEN bool_or(status = 'Stopped') THEN 'Stopped'
             ELSE 'Success' END AS status
           FROM retention_task WHERE execution_id = $1) s
     WHERE e.id = $1 AND e.status NOT IN ('Stopped') AND EXISTS (SELECT 1 FROM retention_task WHERE execution_id = $1)`,
    [id],
  );
}

export async function insertTask(db: Queryable, executionId: number, repository: string): Promise<number> {
  const result = await db.query<{ id: number }>(
    'INSERT INTO retention_task (execution_id, repository) VALUES ($1, $2) RETURNING id',
    [executionId, repository],
  );
  return result.rows[0]!.id;
}

export async function findTask(db: Queryable, id: number): Promise<RetentionTaskRow | undefined> {
  const result = await db.query<RetentionTaskRow>('SELECT * FROM retention_task WHERE id = $1', [id]);
  return result.rows[0];
}

export async function listTasks(
  db: Queryable,
  executionId: number,
  page: { page: number; pageSize: number },
): Promise<{ total: number; rows: RetentionTaskRow[] }> {
  const total = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM retention_task WHERE execution_id = $1', [
    executionId,
  ]);
  const rows = await db.query<RetentionTaskRow>(
    `SELECT * FROM retention_task WHERE execution_id = $1 ORDER BY start_time DESC, id DESC LIMIT ${page.pageSize} OFFSET ${(page.page - 1) * page.pageSize}`,
    [executionId],
  );
  return { total: total.rows[0]?.n ?? 0, rows: rows.rows };
}

/** A task's status change; the revision counts every change (jobservice's status_revision). */
export async function updateTask(
  db: Queryable,
  id: number,
  change: { status: string; jobId?: string; total?: number; retained?: number; log?: string; final?: boolean },
): Promise<void> {
  await db.query(
    `UPDATE retention_task SET status = $2, status_revision = status_revision + 1,
       job_id = COALESCE($3, job_id), total = COALESCE($4, total), retained = COALESCE($5, retained),
       log = COALESCE($6, log),
       start_time = CASE WHEN $2 = 'Running' THEN clock_timestamp() ELSE start_time END,
       end_time = CASE WHEN $7 THEN clock_timestamp() ELSE end_time END
     WHERE id = $1`,
    [
      id,
      change.status,
      change.jobId ?? null,
      change.total ?? null,
      change.retained ?? null,
      change.log ?? null,
      change.final === true,
    ],
  );
}

/** Stops the unfinished tasks of an execution (the stop action). */
export async function stopExecution(db: Queryable, id: number): Promise<void> {
  await db.query(
    `UPDATE retention_task SET status = 'Stopped', status_revision = status_revision + 1, end_time = clock_timestamp()
     WHERE execution_id = $1 AND status IN ('Pending', 'Scheduled', 'Running')`,
    [id],
  );
  await finishExecution(db, id, 'Stopped', '');
}
