// Rows of the `registry` table (registry endpoints of replication and proxy cache), as Harbor's DAO keeps them
// (goharbor/harbor src/pkg/reg/dao/dao.go@v2.15.2). access_secret is stored encrypted; the endpoint service
// (replication/registry-endpoints.ts) decrypts it.
import type { Queryable } from '../database.ts';

export interface RegistryRow {
  id: number;
  name: string;
  url: string;
  credential_type: string;
  access_key: string;
  access_secret: string;
  type: string;
  insecure: boolean;
  /** NULL since the v2.15.0 schema step (migration 60) when the endpoint has no CA of its own. */
  ca_certificate: string | null;
  description: string;
  status: string;
  creation_time: Date;
  update_time: Date;
}

export type RegistryFields = Omit<RegistryRow, 'id' | 'creation_time' | 'update_time'>;

/** Postgres' unique-violation code: the DAO turns it into Harbor's 409. */
export const UNIQUE_VIOLATION = '23505';

const COLUMNS = [
  'name',
  'url',
  'credential_type',
  'access_key',
  'access_secret',
  'type',
  'insecure',
  'ca_certificate',
  'description',
  'status',
] as const satisfies readonly (keyof RegistryFields)[];

const values = (fields: RegistryFields): unknown[] => COLUMNS.map((c) => fields[c]);

export async function insertRegistryRow(db: Queryable, fields: RegistryFields): Promise<number> {
  const result = await db.query<{ id: number }>(
    `INSERT INTO registry (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`,
    values(fields),
  );
  return result.rows[0]!.id;
}

export async function updateRegistryRow(db: Queryable, id: number, fields: RegistryFields): Promise<void> {
  await db.query(
    `UPDATE registry SET ${COLUMNS.map((c, i) => `${c} = $${i + 2}`).join(', ')}, update_time = now() WHERE id = $1`,
    [id, ...values(fields)],
  );
}

/** The health checker writes only the status (Harbor's Update(ctx, registry, "Status")). */
export async function updateRegistryStatus(db: Queryable, id: number, status: string): Promise<void> {
  await db.query('UPDATE registry SET status = $2, update_time = now() WHERE id = $1', [id, status]);
}

export async function findRegistryRow(db: Queryable, id: number): Promise<RegistryRow | undefined> {
  return (await db.query<RegistryRow>('SELECT * FROM registry WHERE id = $1', [id])).rows[0];
}

export interface RegistryQuery {
  /** Exact name (q=name=x) or, fuzzy, a substring (q=name=~x and the legacy ?name=). */
  name?: { value: string; fuzzy: boolean };
  type?: string;
  offset: number;
  limit: number;
}

function where(query: Omit<RegistryQuery, 'offset' | 'limit'>): { sql: string; args: unknown[] } {
  const clauses: string[] = [];
  const args: unknown[] = [];
  if (query.name) {
    args.push(query.name.fuzzy ? `%${query.name.value.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : query.name.value);
    clauses.push(query.name.fuzzy ? `name LIKE $${args.length}` : `name = $${args.length}`);
  }
  if (query.type) {
    args.push(query.type);
    clauses.push(`type = $${args.length}`);
  }
  return { sql: clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '', args };
}

export async function listRegistryRows(
  db: Queryable,
  query: RegistryQuery,
): Promise<{ total: number; rows: RegistryRow[] }> {
  const { sql, args } = where(query);
  const total = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM registry ${sql}`, args)).rows[0]!.n;
  const rows = (
    await db.query<RegistryRow>(
      `SELECT * FROM registry ${sql} ORDER BY id LIMIT $${args.length + 1} OFFSET $${args.length + 2}`,
      [...args, query.limit, query.offset],
    )
  ).rows;
  return { total, rows };
}

export async function allRegistryRows(db: Queryable): Promise<RegistryRow[]> {
  return (await db.query<RegistryRow>('SELECT * FROM registry ORDER BY id')).rows;
}

export async function deleteRegistryRow(db: Queryable, id: number): Promise<boolean> {
  return ((await db.query('DELETE FROM registry WHERE id = $1', [id])).rowCount ?? 0) > 0;
}

/** Proxy-cache projects pointing at the endpoint (project.registry_id). */
export async function countProxyCacheProjects(db: Queryable, registryId: number): Promise<number> {
  return (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM project WHERE registry_id = $1', [registryId]))
    .rows[0]!.n;
}
