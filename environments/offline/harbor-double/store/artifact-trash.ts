// The artifact trash (goharbor/harbor src/pkg/artifactrash@v2.15.2): a deleted artifact leaves its row here, by
// repository and digest, until garbage collection has removed its manifest from the registry's storage.
import type { Queryable } from '../database.ts';
import type { ArtifactRow } from './artifacts.ts';

export interface TrashRow {
  id: number;
  media_type: string;
  manifest_media_type: string;
  repository_name: string;
  digest: string;
  creation_time: Date;
}

export async function trashArtifact(db: Queryable, artifact: ArtifactRow): Promise<void> {
  await db.query(
    `INSERT INTO artifact_trash (media_type, manifest_media_type, repository_name, digest) VALUES ($1, $2, $3, $4)
     ON CONFLICT (repository_name, digest) DO NOTHING`,
    [artifact.media_type, artifact.manifest_media_type, artifact.repository_name, artifact.digest],
  );
}

/** Filter(ctx, 0): every trashed artifact (GC reads the trash without a time window). */
export async function listTrash(db: Queryable): Promise<TrashRow[]> {
  return (await db.query<TrashRow>('SELECT * FROM artifact_trash ORDER BY id')).rows;
}

export async function deleteTrash(db: Queryable, id: number): Promise<void> {
  await db.query('DELETE FROM artifact_trash WHERE id = $1', [id]);
}

/** A pushed-again artifact is no longer trash: its manifest must stay. */
export async function untrash(db: Queryable, repositoryName: string, digest: string): Promise<void> {
  await db.query('DELETE FROM artifact_trash WHERE repository_name = $1 AND digest = $2', [repositoryName, digest]);
}
