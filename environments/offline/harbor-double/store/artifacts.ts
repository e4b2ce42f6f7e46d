// Repositories, artifacts and tags as Harbor records them on manifest PUT. Tags live only here (as in
// Harbor since v2.15, a manifest pushed by tag reaches the registry by digest).
import type { Queryable } from '../database.ts';
import { listedArtifactCondition } from './accessories.ts';

export interface RepositoryRow {
  repository_id: number;
  project_id: number;
  name: string;
  description: string;
  pull_count: number;
  creation_time: Date;
  update_time: Date;
  artifact_count: number;
}

export interface ArtifactRow {
  id: number;
  project_id: number;
  repository_id: number;
  repository_name: string;
  digest: string;
  type: string;
  media_type: string;
  manifest_media_type: string;
  artifact_type: string;
  size: number;
  extra_attrs: Record<string, unknown>;
  annotations: Record<string, string> | null;
  push_time: Date;
  pull_time: Date | null;
}

export interface TagRow {
  id: number;
  repository_id: number;
  artifact_id: number;
  name: string;
  push_time: Date;
  pull_time: Date | null;
}

export interface ReferenceRow {
  parent_id: number;
  child_digest: string;
  platform: Record<string, unknown> | null;
}

const selectRepository = `
  SELECT r.*, (SELECT count(*) FROM artifact a WHERE a.repository_id = r.repository_id AND ${listedArtifactCondition('a')})::int AS artifact_count
  FROM repository r`;

export async function findRepository(db: Queryable, fullName: string): Promise<RepositoryRow | undefined> {
  const result = await db.query<RepositoryRow>(`${selectRepository} WHERE r.name = $1`, [fullName]);
  return result.rows[0];
}

export async function ensureRepository(db: Queryable, projectId: number, fullName: string): Promise<number> {
  const result = await db.query<{ repository_id: number }>(
    `INSERT INTO repository (project_id, name) VALUES ($1, $2)
     ON CONFLICT (name) DO UPDATE SET update_time = now() RETURNING repository_id`,
    [projectId, fullName],
  );
  return result.rows[0]!.repository_id;
}

export async function listRepositories(
  db: Queryable,
  projectId: number,
  nameFilter: string | undefined,
  page: number,
  pageSize: number,
): Promise<{ total: number; rows: RepositoryRow[] }> {
  const params: unknown[] = [projectId];
  let where = 'r.project_id = $1';
  if (nameFilter !== undefined) {
    params.push(`%${nameFilter}%`);
    where += ` AND r.name LIKE $${params.length}`;
  }
  const total = await db.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM repository r WHERE ${where}`,
    params,
  );
  const rows = await db.query<RepositoryRow>(
    `${selectRepository} WHERE ${where} ORDER BY r.creation_time DESC, r.repository_id DESC LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`,
    params,
  );
  return { total: total.rows[0]?.count ?? 0, rows: rows.rows };
}

/** All repository names with at least one artifact, sorted (for /v2/_catalog). */
export async function catalogNames(db: Queryable): Promise<string[]> {
  const result = await db.query<{ name: string }>(
    'SELECT r.name FROM repository r WHERE EXISTS (SELECT 1 FROM artifact a WHERE a.repository_id = r.repository_id) ORDER BY r.name',
  );
  return result.rows.map((r) => r.name);
}

export async function deleteRepository(db: Queryable, repositoryId: number): Promise<void> {
  await db.query('DELETE FROM repository WHERE repository_id = $1', [repositoryId]);
}

export async function upsertArtifact(
  db: Queryable,
  input: Omit<ArtifactRow, 'id' | 'push_time' | 'pull_time'>,
): Promise<{ id: number; created: boolean }> {
  const result = await db.query<{ id: number; created: boolean }>(
    `INSERT INTO artifact (project_id, repository_id, repository_name, digest, type, media_type, manifest_media_type, artifact_type, size, extra_attrs, annotations)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11::jsonb)
     ON CONFLICT (repository_id, digest) DO UPDATE SET push_time = now()
     RETURNING id, (xmax = 0) AS created`,
    [
      input.project_id,
      input.repository_id,
      input.repository_name,
      input.digest,
      input.type,
      input.media_type,
      input.manifest_media_type,
      input.artifact_type,
      input.size,
      JSON.stringify(input.extra_attrs),
      input.annotations === null ? null : JSON.stringify(input.annotations),
    ],
  );
  return result.rows[0]!;
}

export async function addReferences(
  db: Queryable,
  parentId: number,
  children: Array<{ digest: string; platform: unknown }>,
): Promise<void> {
  for (const child of children) {
    await db.query(
      'INSERT INTO artifact_reference (parent_id, child_digest, platform) VALUES ($1, $2, $3::jsonb) ON CONFLICT DO NOTHING',
      [parentId, child.digest, child.platform === undefined ? null : JSON.stringify(child.platform)],
    );
  }
}

export async function listReferences(db: Queryable, parentId: number): Promise<ReferenceRow[]> {
  const result = await db.query<ReferenceRow>(
    'SELECT * FROM artifact_reference WHERE parent_id = $1 ORDER BY child_digest',
    [parentId],
  );
  return result.rows;
}

/** Moves (or creates) a tag onto an artifact; a tag names one artifact per repository. */
export async function setTag(db: Queryable, repositoryId: number, artifactId: number, tag: string): Promise<void> {
  await db.query(
    `INSERT INTO tag (repository_id, artifact_id, name) VALUES ($1, $2, $3)
     ON CONFLICT (repository_id, name) DO UPDATE SET artifact_id = EXCLUDED.artifact_id, push_time = now()`,
    [repositoryId, artifactId, tag],
  );
}

export async function findArtifactByDigest(
  db: Queryable,
  repositoryName: string,
  digest: string,
): Promise<ArtifactRow | undefined> {
  const result = await db.query<ArtifactRow>('SELECT * FROM artifact WHERE repository_name = $1 AND digest = $2', [
    repositoryName,
    digest,
  ]);
  return result.rows[0];
}

export async function findArtifactByTag(
  db: Queryable,
  repositoryName: string,
  tag: string,
): Promise<ArtifactRow | undefined> {
  const result = await db.query<ArtifactRow>(
    'SELECT a.* FROM artifact a JOIN tag t ON t.artifact_id = a.id WHERE a.repository_name = $1 AND t.name = $2',
    [repositoryName, tag],
  );
  return result.rows[0];
}

export function isDigest(reference: string): boolean {
  return /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/.test(reference) && reference.includes(':');
}

export async function findArtifact(
  db: Queryable,
  repositoryName: string,
  reference: string,
): Promise<ArtifactRow | undefined> {
  return isDigest(reference)
    ? findArtifactByDigest(db, repositoryName, reference)
    : findArtifactByTag(db, repositoryName, reference);
}

export async function listArtifacts(
  db: Queryable,
  repositoryId: number,
  page: number,
  pageSize: number,
): Promise<{ total: number; rows: ArtifactRow[] }> {
  // Accessories and untagged index children are not listed (Harbor's artifact DAO filters).
  const listed = `a.repository_id = $1 AND ${listedArtifactCondition('a')}`;
  const total = await db.query<{ count: number }>(`SELECT count(*)::int AS count FROM artifact a WHERE ${listed}`, [
    repositoryId,
  ]);
  const rows = await db.query<ArtifactRow>(
    `SELECT a.* FROM artifact a WHERE ${listed} ORDER BY push_time DESC, id DESC LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`,
    [repositoryId],
  );
  return { total: total.rows[0]?.count ?? 0, rows: rows.rows };
}

export async function tagsOf(db: Queryable, artifactId: number): Promise<TagRow[]> {
  const result = await db.query<TagRow>('SELECT * FROM tag WHERE artifact_id = $1 ORDER BY push_time DESC, id DESC', [
    artifactId,
  ]);
  return result.rows;
}

export async function tagNames(db: Queryable, repositoryName: string): Promise<string[]> {
  const result = await db.query<{ name: string }>(
    'SELECT t.name FROM tag t JOIN repository r ON r.repository_id = t.repository_id WHERE r.name = $1 ORDER BY t.name',
    [repositoryName],
  );
  return result.rows.map((r) => r.name);
}

export async function deleteTag(db: Queryable, artifactId: number, tag: string): Promise<boolean> {
  const result = await db.query('DELETE FROM tag WHERE artifact_id = $1 AND name = $2', [artifactId, tag]);
  return (result.rowCount ?? 0) > 0;
}

export async function deleteArtifact(db: Queryable, artifactId: number): Promise<void> {
  await db.query('DELETE FROM artifact WHERE id = $1', [artifactId]);
}

export async function markPulled(db: Queryable, artifact: ArtifactRow, tag: string | undefined): Promise<void> {
  await db.query('UPDATE artifact SET pull_time = now() WHERE id = $1', [artifact.id]);
  await db.query('UPDATE repository SET pull_count = pull_count + 1 WHERE repository_id = $1', [
    artifact.repository_id,
  ]);
  if (tag !== undefined)
    await db.query('UPDATE tag SET pull_time = now() WHERE artifact_id = $1 AND name = $2', [artifact.id, tag]);
}

/** Digests of every artifact in a repository (to delete them from the registry). */
export async function artifactsOfRepository(db: Queryable, repositoryId: number): Promise<ArtifactRow[]> {
  const result = await db.query<ArtifactRow>('SELECT * FROM artifact WHERE repository_id = $1', [repositoryId]);
  return result.rows;
}

/** Whether another artifact (an index) in the same repository references this digest. */
export async function isReferencedByOther(db: Queryable, repositoryId: number, digest: string): Promise<boolean> {
  const result = await db.query(
    `SELECT 1 FROM artifact_reference ref JOIN artifact a ON a.id = ref.parent_id WHERE a.repository_id = $1 AND ref.child_digest = $2 LIMIT 1`,
    [repositoryId, digest],
  );
  return (result.rowCount ?? 0) > 0;
}
