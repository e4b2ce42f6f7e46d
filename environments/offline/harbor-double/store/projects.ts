// Projects and their metadata (string values, Harbor's pro_meta keys).
import type { Queryable } from '../database.ts';
import type { ProjectFacts } from '../rbac/evaluator.ts';

export interface ProjectRow {
  project_id: number;
  name: string;
  owner_id: number;
  owner_name: string;
  registry_id: number;
  creation_time: Date;
  update_time: Date;
  metadata: Record<string, string>;
  repo_count: number;
}

const selectProject = `
  SELECT p.project_id, p.name, p.owner_id, u.username AS owner_name, p.registry_id, p.creation_time, p.update_time,
         COALESCE((SELECT jsonb_object_agg(m.name, m.value) FROM project_metadata m WHERE m.project_id = p.project_id), '{}'::jsonb) AS metadata,
         (SELECT count(*) FROM repository r WHERE r.project_id = p.project_id)::int AS repo_count
  FROM project p JOIN harbor_user u ON u.user_id = p.owner_id`;

/** Accepts a numeric id or a name, like Harbor's project_name_or_id (X-Is-Resource-Name forces a name). */
export async function findProject(
  db: Queryable,
  nameOrId: string | number,
  forceName = false,
): Promise<ProjectRow | undefined> {
  const byId = !forceName && (typeof nameOrId === 'number' || /^[0-9]+$/.test(nameOrId));
  const result = await db.query<ProjectRow>(`${selectProject} WHERE ${byId ? 'p.project_id = $1' : 'p.name = $1'}`, [
    byId ? Number(nameOrId) : String(nameOrId),
  ]);
  return result.rows[0];
}

export function isTrue(value: string | undefined): boolean {
  return value !== undefined && (value.toLowerCase() === 'true' || value === '1');
}

export function projectFacts(row: ProjectRow): ProjectFacts {
  return {
    projectId: row.project_id,
    name: row.name,
    public: isTrue(row.metadata['public']),
    creationTime: row.creation_time,
  };
}

export async function insertProject(
  db: Queryable,
  input: {
    name: string;
    ownerId: number;
    metadata: Record<string, string>;
    memberUserId: number | undefined;
    /** The registry endpoint of a proxy-cache project (0: a normal project). */
    registryId?: number;
  },
): Promise<number> {
  const created = await db.query<{ project_id: number }>(
    'INSERT INTO project (name, owner_id, registry_id) VALUES ($1, $2, $3) RETURNING project_id',
    [input.name, input.ownerId, input.registryId ?? 0],
  );
  const projectId = created.rows[0]!.project_id;
  await upsertMetadata(db, projectId, input.metadata);
  if (input.memberUserId !== undefined) {
    await db.query('INSERT INTO project_member (project_id, user_id, role) VALUES ($1, $2, 1) ON CONFLICT DO NOTHING', [
      projectId,
      input.memberUserId,
    ]);
  }
  return projectId;
}

export async function upsertMetadata(
  db: Queryable,
  projectId: number,
  metadata: Record<string, string>,
): Promise<void> {
  for (const [name, value] of Object.entries(metadata)) {
    await db.query(
      'INSERT INTO project_metadata (project_id, name, value) VALUES ($1, $2, $3) ON CONFLICT (project_id, name) DO UPDATE SET value = EXCLUDED.value',
      [projectId, name, value],
    );
  }
  await db.query('UPDATE project SET update_time = now() WHERE project_id = $1', [projectId]);
}

export async function deleteProject(db: Queryable, projectId: number): Promise<void> {
  await db.query('DELETE FROM robot WHERE project_id = $1', [projectId]);
  await db.query('DELETE FROM project WHERE project_id = $1', [projectId]);
}

export interface ProjectListFilter {
  name?: string;
  /** Only public (true) or only private (false). */
  public?: boolean;
  owner?: string;
  /** Restrict to these ids, plus public ones when includePublic (undefined = no restriction). */
  visibleIds?: number[];
  includePublic: boolean;
  /** Robots with namespace '*' / sysadmins see everything. */
  all: boolean;
  /** Project names a robot may see. */
  visibleNames?: string[];
}

export async function listProjects(
  db: Queryable,
  filter: ProjectListFilter,
  page: number,
  pageSize: number,
  sortSql: string,
): Promise<{ total: number; rows: ProjectRow[] }> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const isPublicSql = `EXISTS (SELECT 1 FROM project_metadata m WHERE m.project_id = p.project_id AND m.name = 'public' AND lower(m.value) IN ('true', '1'))`;
  if (filter.name !== undefined)
    where.push(`p.name LIKE ${add(`%${filter.name.replace(/[%_\\]/g, (c) => `\\${c}`)}%`)}`);
  if (filter.owner !== undefined) where.push(`u.username = ${add(filter.owner)}`);
  if (filter.public === true) where.push(isPublicSql);
  if (filter.public === false) where.push(`NOT ${isPublicSql}`);
  if (!filter.all) {
    const visible: string[] = [];
    if (filter.includePublic) visible.push(isPublicSql);
    if (filter.visibleIds && filter.visibleIds.length > 0)
      visible.push(`p.project_id = ANY(${add(filter.visibleIds)}::int[])`);
    if (filter.visibleNames && filter.visibleNames.length > 0)
      visible.push(`p.name = ANY(${add(filter.visibleNames)}::text[])`);
    where.push(visible.length > 0 ? `(${visible.join(' OR ')})` : 'false');
  }
  const whereSql = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const total = await db.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM project p JOIN harbor_user u ON u.user_id = p.owner_id ${whereSql}`,
    params,
  );
  const rows = await db.query<ProjectRow>(
    `${selectProject} ${whereSql} ORDER BY ${sortSql} LIMIT ${add(pageSize)} OFFSET ${add((page - 1) * pageSize)}`,
    params,
  );
  return { total: total.rows[0]?.count ?? 0, rows: rows.rows };
}

export async function memberProjectIds(db: Queryable, userId: number): Promise<number[]> {
  const result = await db.query<{ project_id: number }>('SELECT project_id FROM project_member WHERE user_id = $1', [
    userId,
  ]);
  return result.rows.map((r) => r.project_id);
}

/**
 * The public `library` project Harbor's installer ships: project 1, owned by admin (user 1), admin its
 * project admin, metadata public=true — inserted once by goharbor/harbor
 * make/migrations/postgresql/0001_initial_schema.up.sql@v2.15.x, so a deleted library stays deleted.
 * Seen on the real v2.15.2 binaries: GET /projects?name=library → project_id 1, metadata {"public":"true"}.
 */
export async function createLibraryProject(db: Queryable): Promise<void> {
  const created = await db.query(
    "INSERT INTO project (project_id, name, owner_id) VALUES (1, 'library', 1) ON CONFLICT DO NOTHING",
  );
  if (created.rowCount !== 1) return;
  await upsertMetadata(db, 1, { public: 'true' });
  await db.query('INSERT INTO project_member (project_id, user_id, role) VALUES (1, 1, 1) ON CONFLICT DO NOTHING');
  await db.query(
    `SELECT setval(pg_get_serial_sequence('project', 'project_id'), GREATEST((SELECT max(project_id) FROM project), 1))`,
  );
}
