// What core does with accessories around the registry: records them after a manifest PUT got its 201
// (and links earlier-pushed accessories to a subject that arrives later), and deletes them with their
// subject — every accessory type is a hard reference in Harbor (model/*/IsHard), so deleting a subject
// deletes its signatures, their signatures, and so on (controller/artifact deleteDeeply).
import type { Queryable } from '../database.ts';
import type { DoubleServices } from '../double-services.ts';
import { accessoriesOfArtifact, createAccessory, linkAccessoriesToSubject } from '../store/accessories.ts';
import { findArtifactByDigest, type ArtifactRow } from '../store/artifacts.ts';
import { deleteArtifactDeeply } from '../store/artifact-deletion.ts';
import { detectAccessories } from './accessory-detection.ts';

/**
 * Records the accessories the manifest just stored as `digest` is, and links accessories waiting for
 * it as their subject. Returns the OCI-Subject header value when the manifest has a subject.
 */
export async function recordAccessories(
  services: DoubleServices,
  repository: string,
  reference: string,
  body: Buffer,
  digest: string,
): Promise<string | undefined> {
  const artifact = await findArtifactByDigest(services.db, repository, digest);
  if (!artifact) return undefined;
  let subjectHeader: string | undefined;
  // signature-accessories-not-recorded: Harbor before accessories existed, a signature is an artifact like any other
  const detected = services.faults.has('signature-accessories-not-recorded')
    ? []
    : detectAccessories(reference, body, { bundleUnrecognised: services.faults.has('cosign-bundle-not-recognised') });
  for (const accessory of detected) {
    const subject = await findArtifactByDigest(services.db, repository, accessory.subjectDigest);
    await createAccessory(services.db, {
      artifactId: artifact.id,
      subjectArtifactId: subject?.id ?? 0,
      subjectRepository: repository,
      subjectDigest: accessory.subjectDigest,
      type: accessory.type,
      size: artifact.size,
      digest: artifact.digest,
    });
    if (accessory.via === 'subject') subjectHeader = accessory.subjectDigest;
  }
  await linkAccessoriesToSubject(services.db, repository, digest, artifact.id);
  return subjectHeader;
}

/** Deletes the accessories of `artifact` (recursively); GC later removes them from the registry's storage. */
export async function deleteAccessoriesOf(
  services: DoubleServices,
  artifact: ArtifactRow,
  db: Queryable = services.db,
): Promise<void> {
  for (const accessory of await accessoriesOfArtifact(db, artifact.id)) {
    const accessoryArtifact = await findArtifactByDigest(db, accessory.subject_artifact_repo, accessory.digest);
    if (!accessoryArtifact || accessoryArtifact.id === artifact.id) continue;
    await deleteAccessoriesOf(services, accessoryArtifact, db);
    await deleteArtifactDeeply(services, accessoryArtifact, db);
  }
}
