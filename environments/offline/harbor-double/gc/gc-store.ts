// Garbage-collection executions (Harbor keeps them as executions of vendor type GARBAGE_COLLECTION with one task
// and the task's job log: goharbor/harbor src/controller/gc/controller.go, src/server/v2.0/handler/gc.go@v2.15.2).
import type { Queryable } from '../database.ts';

export type GcStatus = 'Pending' | 'Running' | 'Success' | 'Error' | 'Stopped';

export interface GcParameters {
  delete_untagged: boolean;
  delete_tag: boolean;
  dry_run: boolean;
  workers: number;
  time_window: number;
}

export interface GcResults {
  freed_space: number;
  purged_blobs: number;
  purged_manifests: number;
}

export interface GcExecutionRow {
  id: number;
  job_kind: 'MANUAL' | 'SCHEDULE';
  job_status: GcStatus;
  parameters: GcParameters;
  results: GcResults | null;
  log: string;
  stop_requested: boolean;
  creation_time: Date;
  update_time: Date;
}

export async function createGcExecution(
  db: Queryable,
  kind: GcExecutionRow['job_kind'],
  parameters: GcParameters,
): Promise<number> {
  const result = await db.query<{ id: number }>(
    `INSERT INTO gc_execution (job_kind, job_status, parameters) VALUES ($1, 'Pending', $2::jsonb) RETURNING id`,
    [kind, JSON.stringify(parameters)],
  );
  return result.rows[0]!.id;
}

export async function findGcExecution(db: Queryable, id: number): Promise<GcExecutionRow | undefined> {
  return (await db.query<GcExecutionRow>('SELECT * FROM gc_execution WHERE id = $1', [id])).rows[0];
}

export async function listGcExecutions(
  db: Queryable,
  page: number,
  pageSize: number,
): Promise<{ total: number; rows: GcExecutionRow[] }> {
  const total = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM gc_execution');
  const rows = await db.query<GcExecutionRow>(
    `SELECT * FROM gc_execution ORDER BY creation_time DESC, id DESC LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`,
  );
  return { total: total.rows[0]?.n ?? 0, rows: rows.rows };
}

export async function setGcStatus(db: Queryable, id: number, status: GcStatus): Promise<void> {
  await db.query('UPDATE gc_execution SET job_status = $2, update_time = now() WHERE id = $1', [id, status]);
}

export async function saveGcResults(db: Queryable, id: number, results: GcResults): Promise<void> {
  await db.query('UPDATE gc_execution SET results = $2::jsonb, update_time = now() WHERE id = $1', [
    id,
    JSON.stringify(results),
  ]);
}

export async function appendGcLog(db: Queryable, id: number, lines: string): Promise<void> {
  await db.query('UPDATE gc_execution SET log = log || $2 WHERE id = $1', [id, lines]);
}

export async function requestGcStop(db: Queryable, id: number): Promise<void> {
  await db.query('UPDATE gc_execution SET stop_requested = true WHERE id = $1', [id]);
}

export async function gcStopRequested(db: Queryable, id: number): Promise<boolean> {
  const result = await db.query<{ stop_requested: boolean }>('SELECT stop_requested FROM gc_execution WHERE id = $1', [
    id,
  ]);
  return result.rows[0]?.stop_requested ?? false;
}

/** Harbor runs one GC at a time (MaxCurrency 1): the unfinished execution, if any. */
export async function unfinishedGcExecution(db: Queryable): Promise<GcExecutionRow | undefined> {
  return (
    await db.query<GcExecutionRow>(
      "SELECT * FROM gc_execution WHERE job_status IN ('Pending', 'Running') ORDER BY id LIMIT 1",
    )
  ).rows[0];
}
