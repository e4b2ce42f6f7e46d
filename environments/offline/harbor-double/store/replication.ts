// Rows of replication: policies, executions and tasks (goharbor/harbor src/pkg/replication/dao/model/policy.go,
// src/pkg/task/dao/{execution,task}.go@v2.15.2). Statuses are the raw job statuses (Pending, Running, Success,
// Error, Stopped); the API maps them.
import type { Queryable } from '../database.ts';
import type { ReplicationFilter } from '../replication/replication-filters.ts';

export interface PolicyTrigger {
  type: 'manual' | 'scheduled' | 'event_based';
  trigger_settings?: { cron?: string };
}

export interface PolicyRow {
  id: number;
  name: string;
  description: string;
  creator: string;
  src_registry_id: number;
  dest_registry_id: number;
  dest_namespace: string;
  dest_namespace_replace_count: number;
  filters: ReplicationFilter[];
  trigger: PolicyTrigger | null;
  replicate_deletion: boolean;
  override: boolean;
  enabled: boolean;
  speed_kb: number;
  copy_by_chunk: boolean;
  single_active_replication: boolean;
  creation_time: Date;
  update_time: Date;
}

export type PolicyFields = Omit<PolicyRow, 'id' | 'creation_time' | 'update_time'>;

const POLICY_COLUMNS = [
  'name',
  'description',
  'creator',
  'src_registry_id',
  'dest_registry_id',
  'dest_namespace',
  'dest_namespace_replace_count',
  'filters',
  'trigger',
  'replicate_deletion',
  'override',
  'enabled',
  'speed_kb',
  'copy_by_chunk',
  'single_active_replication',
] as const;

function policyValues(fields: PolicyFields): unknown[] {
  return POLICY_COLUMNS.map((c) =>
    c === 'filters' || c === 'trigger' ? JSON.stringify(fields[c] ?? null) : fields[c],
  );
}

export async function insertPolicy(db: Queryable, fields: PolicyFields): Promise<number> {
  const placeholders = POLICY_COLUMNS.map((_, i) => `$${i + 1}`).join(', ');
  const result = await db.query<{ id: number }>(
    `INSERT INTO replication_policy (${POLICY_COLUMNS.join(', ')}) VALUES (${placeholders}) RETURNING id`,
    policyValues(fields),
  );
  return result.rows[0]!.id;
}

export async function updatePolicy(db: Queryable, id: number, fields: PolicyFields): Promise<void> {
  const sets = POLICY_COLUMNS.map((c, i) => `${c} = $${i + 2}`).join(', ');
  await db.query(`UPDATE replication_policy SET ${sets}, update_time = now() WHERE id = $1`, [
    id,
    ...policyValues(fields),
  ]);
}

export async function findPolicy(db: Queryable, id: number): Promise<PolicyRow | undefined> {
  return (await db.query<PolicyRow>('SELECT * FROM replication_policy WHERE id = $1', [id])).rows[0];
}

export async function listPolicies(
  db: Queryable,
  query: { name?: { value: string; fuzzy: boolean }; offset: number; limit: number },
): Promise<{ total: number; rows: PolicyRow[] }> {
  const args: unknown[] = [];
  let where = '';
  if (query.name) {
    args.push(query.name.fuzzy ? `%${query.name.value.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : query.name.value);
    where = query.name.fuzzy ? 'WHERE name LIKE $1' : 'WHERE name = $1';
  }
  const total = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM replication_policy ${where}`, args))
    .rows[0]!.n;
  const rows = (
    await db.query<PolicyRow>(
      `SELECT * FROM replication_policy ${where} ORDER BY creation_time DESC, id DESC LIMIT $${args.length + 1} OFFSET $${args.length + 2}`,
      [...args, query.limit, query.offset],
    )
  ).rows;
  return { total, rows };
}

export async function allPolicies(db: Queryable): Promise<PolicyRow[]> {
  return (await db.query<PolicyRow>('SELECT * FROM replication_policy ORDER BY id')).rows;
}

export async function deletePolicy(db: Queryable, id: number): Promise<void> {
  await db.query(
    'DELETE FROM replication_task WHERE execution_id IN (SELECT id FROM replication_execution WHERE policy_id = $1)',
    [id],
  );
  await db.query('DELETE FROM replication_execution WHERE policy_id = $1', [id]);
  await db.query('DELETE FROM replication_policy WHERE id = $1', [id]);
}

// ---------------------------------------------------------------- executions and tasks

export type JobStatus = 'Pending' | 'Scheduled' | 'Running' | 'Stopped' | 'Error' | 'Success';
export type ExecutionTrigger = 'MANUAL' | 'SCHEDULE' | 'EVENT';

export interface ExecutionRow {
  id: number;
  policy_id: number;
  status: JobStatus;
  status_message: string;
  trigger: ExecutionTrigger;
  extra_attrs: Record<string, unknown>;
  start_time: Date;
  end_time: Date | null;
}

export interface TaskRow {
  id: number;
  execution_id: number;
  job_id: string;
  status: JobStatus;
  run_count: number;
  operation: string;
  resource_type: string;
  src_resource: string;
  dst_resource: string;
  job: Record<string, unknown>;
  log: string;
  start_time: Date;
  end_time: Date | null;
  update_time: Date;
}

export async function insertExecution(
  db: Queryable,
  policyId: number,
  trigger: ExecutionTrigger,
  operator = '',
): Promise<number> {
  const result = await db.query<{ id: number }>(
    "INSERT INTO replication_execution (policy_id, status, trigger, extra_attrs) VALUES ($1, 'Running', $2, $3::jsonb) RETURNING id",
    [policyId, trigger, JSON.stringify(operator ? { operator } : {})],
  );
  return result.rows[0]!.id;
}

export async function findExecution(db: Queryable, id: number): Promise<ExecutionRow | undefined> {
  return (await db.query<ExecutionRow>('SELECT * FROM replication_execution WHERE id = $1', [id])).rows[0];
}

export async function finishExecution(db: Queryable, id: number, status: JobStatus, message: string): Promise<void> {
  await db.query(
    'UPDATE replication_execution SET status = $2, status_message = $3, end_time = clock_timestamp() WHERE id = $1',
    [id, status, message],
  );
}

export async function listExecutions(
  db: Queryable,
  query: { policyId?: number; status?: JobStatus; trigger?: ExecutionTrigger; offset: number; limit: number },
): Promise<{ total: number; rows: ExecutionRow[] }> {
  const clauses: string[] = [];
  const args: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    args.push(value);
    clauses.push(sql.replace('?', `$${args.length}`));
  };
  if (query.policyId !== undefined) add('policy_id = ?', query.policyId);
  if (query.status) add('status = ?', query.status);
  if (query.trigger) add('trigger = ?', query.trigger);
  const where = clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '';
  const total = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM replication_execution ${where}`, args))
    .rows[0]!.n;
  const rows = (
    await db.query<ExecutionRow>(
      `SELECT * FROM replication_execution ${where} ORDER BY start_time DESC, id DESC LIMIT $${args.length + 1} OFFSET $${args.length + 2}`,
      [...args, query.limit, query.offset],
    )
  ).rows;
  return { total, rows };
}

export async function insertTask(
  db: Queryable,
  task: Pick<TaskRow, 'execution_id' | 'operation' | 'resource_type' | 'src_resource' | 'dst_resource' | 'job'>,
): Promise<number> {
  const result = await db.query<{ id: number }>(
    `INSERT INTO replication_task (execution_id, status, operation, resource_type, src_resource, dst_resource, job, job_id)
     VALUES ($1, 'Pending', $2, $3, $4, $5, $6, md5(random()::text)) RETURNING id`,
    [
      task.execution_id,
      task.operation,
      task.resource_type,
      task.src_resource,
      task.dst_resource,
      JSON.stringify(task.job),
    ],
  );
  return result.rows[0]!.id;
}

export async function findTask(db: Queryable, id: number): Promise<TaskRow | undefined> {
  return (await db.query<TaskRow>('SELECT * FROM replication_task WHERE id = $1', [id])).rows[0];
}

export async function tasksOfExecution(
  db: Queryable,
  executionId: number,
  filter: { status?: JobStatus[]; resourceType?: string } = {},
): Promise<TaskRow[]> {
  const args: unknown[] = [executionId];
  let where = 'execution_id = $1';
  if (filter.status) {
    args.push(filter.status);
    where += ` AND status = ANY($${args.length})`;
  }
  if (filter.resourceType) {
    args.push(filter.resourceType);
    where += ` AND resource_type = $${args.length}`;
  }
  return (
    await db.query<TaskRow>(`SELECT * FROM replication_task WHERE ${where} ORDER BY start_time DESC, id DESC`, args)
  ).rows;
}

export async function updateTask(
  db: Queryable,
  id: number,
  change: { status: JobStatus; log?: string; runCount?: number; final?: boolean },
): Promise<void> {
  await db.query(
    `UPDATE replication_task SET status = $2, log = log || $3, run_count = run_count + $4,
       end_time = CASE WHEN $5 THEN clock_timestamp() ELSE end_time END, update_time = clock_timestamp() WHERE id = $1`,
    [id, change.status, change.log ?? '', change.runCount ?? 0, change.final === true],
  );
}

/** Tasks by raw status of one execution. */
export async function taskCounts(db: Queryable, executionId: number): Promise<Record<JobStatus, number>> {
  const counts: Record<JobStatus, number> = { Pending: 0, Scheduled: 0, Running: 0, Stopped: 0, Error: 0, Success: 0 };
  const rows = await db.query<{ status: JobStatus; n: number }>(
    'SELECT status, count(*)::int AS n FROM replication_task WHERE execution_id = $1 GROUP BY status',
    [executionId],
  );
  for (const row of rows.rows) counts[row.status] = row.n;
  return counts;
}
