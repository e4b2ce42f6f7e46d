// The artifact controller's deleteDeeply (goharbor/harbor src/controller/artifact/controller.go@v2.15.2): the
// artifact row goes, children no other artifact needs go with it, the project lets go of the blobs none of its
// artifacts references any more, and the artifact lands in the trash. Nothing is removed from the registry's
// storage here: garbage collection does that. The quota is not refreshed here either: Harbor refreshes it after a
// successful API or registry delete (the quota middleware, src/server/middleware/quota/quota.go RefreshMiddleware,
// registered for DeleteArtifact / DeleteRepository and the manifest DELETE), once per project at the end of a
// retention job (src/pkg/retention/job.go refreshQuota, the middleware skips retention's requests) and at the end
// of a garbage collection — each caller does it once, which keeps a job over n artifacts O(n), not O(n²).
import type { Queryable } from '../database.ts';
import type { DoubleServices } from '../double-services.ts';
import { type ArtifactRow, deleteArtifact, findArtifactByDigest, listReferences, tagsOf } from './artifacts.ts';
import { blobsOfArtifact, cleanupProjectAssociations } from './blobs.ts';
import { trashArtifact } from './artifact-trash.ts';

export async function deleteArtifactDeeply(
  services: DoubleServices,
  artifact: ArtifactRow,
  db: Queryable = services.db,
): Promise<void> {
  const children = await listReferences(db, artifact.id);
  await deleteArtifact(db, artifact.id);
  for (const child of children) {
    const row = await findArtifactByDigest(db, artifact.repository_name, child.child_digest);
    if (!row || (await tagsOf(db, row.id)).length > 0) continue;
    const stillReferenced = await db.query(
      `SELECT 1 FROM artifact_reference ref JOIN artifact a ON a.id = ref.parent_id
       WHERE a.repository_id = $1 AND ref.child_digest = $2 LIMIT 1`,
      [row.repository_id, row.digest],
    );
    if ((stillReferenced.rowCount ?? 0) === 0) await deleteArtifactDeeply(services, row, db);
  }
  await cleanupProjectAssociations(db, artifact.project_id, await blobsOfArtifact(db, artifact.digest));
  await trashArtifact(db, artifact);
}
