// Audit entries (Harbor v2.13+ audit_log_ext model, goharbor/harbor src/pkg/auditext/model/model.go@v2.15.x).
import type { Queryable } from '../database.ts';

export interface AuditEntry {
  projectId: number;
  username: string;
  resource: string;
  resourceType: string;
  operation: string;
  operationDescription?: string;
  operationResult?: boolean;
}

export interface AuditRow {
  id: number;
  project_id: number;
  username: string;
  resource: string;
  resource_type: string;
  operation: string;
  operation_description: string;
  operation_result: boolean;
  op_time: Date;
}

export async function recordAudit(db: Queryable, entry: AuditEntry): Promise<void> {
  await db.query(
    `INSERT INTO audit_log_ext (project_id, username, resource, resource_type, operation, operation_description, operation_result)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      entry.projectId,
      entry.username,
      entry.resource,
      entry.resourceType,
      entry.operation,
      entry.operationDescription ?? '',
      entry.operationResult ?? true,
    ],
  );
}

export interface AuditQuery {
  projectId?: number;
  /** Only these projects (Harbor's OrList for callers without system audit-log:list; [] selects nothing). */
  projectIds?: number[];
  /** Harbor's q filters: exact or ~fuzzy on these columns. */
  filters: Array<{ column: 'username' | 'resource' | 'resource_type' | 'operation'; value: string; fuzzy: boolean }>;
  page: number;
  pageSize: number;
  ascending: boolean;
}

export async function listAudit(db: Queryable, query: AuditQuery): Promise<{ total: number; rows: AuditRow[] }> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (query.projectId !== undefined) {
    params.push(query.projectId);
    where.push(`project_id = $${params.length}`);
  }
  if (query.projectIds !== undefined) {
    params.push(query.projectIds.length > 0 ? query.projectIds : [-1]);
    where.push(`project_id = ANY($${params.length}::int[])`);
  }
  for (const filter of query.filters) {
    params.push(filter.fuzzy ? `%${filter.value}%` : filter.value);
    where.push(`${filter.column} ${filter.fuzzy ? 'LIKE' : '='} $${params.length}`);
  }
  const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = await db.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM audit_log_ext ${whereSql}`,
    params,
  );
  const rows = await db.query<AuditRow>(
    `SELECT * FROM audit_log_ext ${whereSql} ORDER BY op_time ${query.ascending ? 'ASC' : 'DESC'}, id ${query.ascending ? 'ASC' : 'DESC'}
     LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}`,
    params,
  );
  return { total: total.rows[0]?.count ?? 0, rows: rows.rows };
}
