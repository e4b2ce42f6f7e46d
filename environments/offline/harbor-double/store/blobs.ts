// Blobs as Harbor's core records them (goharbor/harbor src/pkg/blob/dao/dao.go, src/pkg/blob/models@v2.15.2):
// one row per digest (manifests are blobs too), which projects hold it (project_blob: what the quota counts and
// what keeps it from GC) and which artifacts reference it (artifact_blob, by artifact digest). The status and its
// version are the non-blocking GC's handshake with concurrent pushes: GC marks `delete`, then `deleting`; a push
// touching the blob puts it back to `none`, and the version check makes GC skip a blob touched in between.
import type { Queryable } from '../database.ts';

export type BlobStatus = 'none' | 'delete' | 'deleting' | 'deletefailed';

export interface BlobRow {
  id: number;
  digest: string;
  content_type: string;
  size: number;
  status: BlobStatus;
  version: number;
  update_time: Date;
}

/** The statuses a blob may move from into each status (models.StatusMap). */
const FROM: Record<BlobStatus, BlobStatus[]> = {
  none: ['none', 'delete', 'deletefailed'],
  delete: ['none', 'delete', 'deletefailed'],
  deleting: ['delete'],
  deletefailed: ['deleting'],
};

const MANIFEST_TYPES = new Set([
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v1+prettyjws',
]);
const FOREIGN_LAYER_TYPES = new Set([
  'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
  'application/vnd.oci.image.layer.nondistributable.v1.tar',
  'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
]);

export const isManifestBlob = (blob: Pick<BlobRow, 'content_type'>): boolean => MANIFEST_TYPES.has(blob.content_type);
export const isForeignLayer = (blob: Pick<BlobRow, 'content_type'>): boolean =>
  FOREIGN_LAYER_TYPES.has(blob.content_type);

const blobColumns =
  'b.id, b.digest, b.content_type, b.size::float8 AS size, b.status, b.version::int AS version, b.update_time';

/**
 * Creates the blob or updates what a later, better-informed caller knows (size, content type), and touches it
 * (blobController.Touch: a blob GC has marked `delete` is back to `none`; one being deleted is left to GC).
 */
export async function ensureBlob(
  db: Queryable,
  blob: { digest: string; size: number; contentType?: string },
): Promise<BlobRow> {
  const result = await db.query<BlobRow>(
    `INSERT INTO blob AS b (digest, size, content_type) VALUES ($1, $2, $3)
     ON CONFLICT (digest) DO UPDATE SET
       size = CASE WHEN EXCLUDED.size > 0 THEN EXCLUDED.size ELSE b.size END,
       content_type = CASE WHEN EXCLUDED.content_type <> '' AND EXCLUDED.content_type <> 'application/octet-stream'
                           THEN EXCLUDED.content_type ELSE b.content_type END,
       status = CASE WHEN b.status IN ('none', 'delete') THEN 'none' ELSE b.status END,
       version = CASE WHEN b.status IN ('none', 'delete') THEN b.version + 1 ELSE b.version END,
       update_time = CASE WHEN b.status IN ('none', 'delete') THEN now() ELSE b.update_time END
     RETURNING ${blobColumns}`,
    [blob.digest, blob.size, blob.contentType ?? 'application/octet-stream'],
  );
  return result.rows[0]!;
}

export async function findBlob(db: Queryable, digest: string): Promise<BlobRow | undefined> {
  const result = await db.query<BlobRow>(`SELECT ${blobColumns} FROM blob b WHERE b.digest = $1`, [digest]);
  return result.rows[0];
}

/** blobController.Touch: a push or HEAD that needs the blob puts it back to `none` with a fresh update_time. */
export async function touchBlob(db: Queryable, digest: string): Promise<void> {
  await db.query(
    `UPDATE blob SET status = 'none', version = version + 1, update_time = now()
     WHERE digest = $1 AND status IN ('none', 'delete')`,
    [digest],
  );
}

/** UpdateBlobStatus: moves the blob when its status and version are still what the caller saw; false otherwise. */
export async function updateBlobStatus(db: Queryable, blob: BlobRow, status: BlobStatus): Promise<BlobRow | undefined> {
  const versionCheck = status === 'delete' ? 'version >= $3' : 'version = $3';
  const result = await db.query<{ version: number; update_time: Date }>(
    `UPDATE blob SET version = version + 1, update_time = now(), status = $1
     WHERE id = $2 AND ${versionCheck} AND status = ANY($4::text[]) RETURNING version::int AS version, update_time`,
    [status, blob.id, blob.version, FROM[status]],
  );
  const row = result.rows[0];
  return row ? { ...blob, status, version: row.version, update_time: row.update_time } : undefined;
}

export async function associateWithProject(db: Queryable, projectId: number, blobIds: number[]): Promise<void> {
  if (blobIds.length === 0) return;
  await db.query(`INSERT INTO project_blob (project_id, blob_id) SELECT $1, unnest($2::int[]) ON CONFLICT DO NOTHING`, [
    projectId,
    blobIds,
  ]);
}

export async function associateWithArtifact(
  db: Queryable,
  artifactDigest: string,
  blobDigests: string[],
): Promise<void> {
  await db.query(
    `INSERT INTO artifact_blob (digest_af, digest_blob) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING`,
    [artifactDigest, blobDigests],
  );
}

/** blobController.Exist(…, IsAssociatedWithProject): the project already holds the blob. */
export async function projectHasBlob(db: Queryable, projectId: number, digest: string): Promise<boolean> {
  const result = await db.query(
    'SELECT 1 FROM project_blob pb JOIN blob b ON b.id = pb.blob_id WHERE pb.project_id = $1 AND b.digest = $2',
    [projectId, digest],
  );
  return (result.rowCount ?? 0) > 0;
}

/** The digests among `digests` the project does not hold yet (FindMissingAssociationsForProject). */
export async function missingFromProject(db: Queryable, projectId: number, digests: string[]): Promise<Set<string>> {
  const result = await db.query<{ digest: string }>(
    'SELECT b.digest FROM project_blob pb JOIN blob b ON b.id = pb.blob_id WHERE pb.project_id = $1 AND b.digest = ANY($2::text[])',
    [projectId, digests],
  );
  const held = new Set(result.rows.map((r) => r.digest));
  return new Set(digests.filter((d) => !held.has(d)));
}

/** The blobs an artifact digest references, its own manifest included (blobMgr.GetByArt). */
export async function blobsOfArtifact(db: Queryable, artifactDigest: string): Promise<BlobRow[]> {
  const result = await db.query<BlobRow>(
    `SELECT ${blobColumns} FROM artifact_blob ab JOIN blob b ON b.digest = ab.digest_blob WHERE ab.digest_af = $1`,
    [artifactDigest],
  );
  return result.rows;
}

/**
 * CleanupAssociationsForProject: of `blobs`, the ones no artifact of the project references any more leave the
 * project (FindBlobsShouldUnassociatedWithProject). `dryRun` only says which.
 */
export async function cleanupProjectAssociations(
  db: Queryable,
  projectId: number,
  blobs: BlobRow[],
  options: { dryRun?: boolean; ignoreOtherArtifacts?: boolean } = {},
): Promise<BlobRow[]> {
  if (blobs.length === 0) return [];
  const referenced = options.ignoreOtherArtifacts
    ? new Set<string>()
    : new Set(
        (
          await db.query<{ digest_blob: string }>(
            `SELECT ab.digest_blob FROM artifact a JOIN artifact_blob ab ON ab.digest_af = a.digest
             WHERE a.project_id = $1 AND ab.digest_blob = ANY($2::text[])`,
            [projectId, blobs.map((b) => b.digest)],
          )
        ).rows.map((r) => r.digest_blob),
      );
  const leaving = blobs.filter((b) => !referenced.has(b.digest));
  if (!options.dryRun && leaving.length > 0) {
    await db.query('DELETE FROM project_blob WHERE project_id = $1 AND blob_id = ANY($2::int[])', [
      projectId,
      leaving.map((b) => b.id),
    ]);
  }
  return leaving;
}

/** A project's blobs last updated before `cutoffHours` ago, in id order (GC's markOrSweepUntaggedBlobs). */
export async function projectBlobsOlderThan(db: Queryable, projectId: number, hours: number): Promise<BlobRow[]> {
  const result = await db.query<BlobRow>(
    `SELECT ${blobColumns} FROM project_blob pb JOIN blob b ON b.id = pb.blob_id
     WHERE pb.project_id = $1 AND b.update_time <= now() - make_interval(hours => $2) ORDER BY b.id`,
    [projectId, hours],
  );
  return result.rows;
}

/** GetBlobsNotRefedByProjectBlob: blobs no project holds, last updated before the time window. */
export async function blobsHeldByNoProject(db: Queryable, hours: number): Promise<BlobRow[]> {
  const result = await db.query<BlobRow>(
    `SELECT ${blobColumns} FROM blob b LEFT JOIN project_blob pb ON pb.blob_id = b.id
     WHERE pb.id IS NULL AND b.update_time <= now() - make_interval(hours => $1) ORDER BY b.id`,
    [hours],
  );
  return result.rows;
}

export async function deleteBlobRow(db: Queryable, id: number): Promise<void> {
  await db.query('DELETE FROM blob WHERE id = $1', [id]);
}

export async function deleteArtifactBlobs(db: Queryable, artifactDigest: string): Promise<void> {
  await db.query('DELETE FROM artifact_blob WHERE digest_af = $1', [artifactDigest]);
}

/** SumBlobsSizeByProject(excludeForeignLayer): what the project's storage quota counts. */
export async function projectStorageUsed(db: Queryable, projectId: number): Promise<number> {
  const result = await db.query<{ used: string | null }>(
    `SELECT sum(b.size) AS used FROM project_blob pb JOIN blob b ON b.id = pb.blob_id
     WHERE pb.project_id = $1 AND b.content_type <> ALL($2::text[])`,
    [projectId, [...FOREIGN_LAYER_TYPES]],
  );
  return Number(result.rows[0]?.used ?? 0);
}
