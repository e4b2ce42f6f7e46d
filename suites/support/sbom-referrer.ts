// An OCI 1.1 referrer that stands for an SBOM (artifactType application/spdx+json, `subject` the image): what
// `oras attach` or a scanner's SBOM generation pushes, and Harbor lists as the subject's accessory. Pushed by digest,
// without the referrers fallback tag.
import { OCI_EMPTY_JSON, OCI_MANIFEST } from '../../lib/oci/media-types.ts';
import { sha256Digest } from '../../lib/oci/digest.ts';
import type { RegistryClient } from '../../lib/oci/registry-client.ts';
import { putReferrerManifest } from '../../fixtures/signing/referrers.ts';

/** Pushes an SBOM referrer named `name` to `subject` (which must be in `repository`); returns its digest. */
export async function pushSbomReferrer(
  registry: RegistryClient,
  repository: string,
  subject: string,
  name: string,
): Promise<string> {
  const head = await registry.headManifest(repository, subject);
  if (!head) throw new Error(`the subject ${repository}@${subject} is not there to refer to`);
  const sbom = Buffer.from(JSON.stringify({ spdxVersion: 'SPDX-2.3', name }));
  const empty = Buffer.from('{}');
  await registry.uploadBlob(repository, sbom, { skipExisting: true });
  await registry.uploadBlob(repository, empty, { skipExisting: true });
  const json = {
    schemaVersion: 2 as const,
    mediaType: OCI_MANIFEST,
    artifactType: 'application/spdx+json',
    config: { mediaType: OCI_EMPTY_JSON, digest: sha256Digest(empty), size: empty.length },
    layers: [{ mediaType: 'application/spdx+json', digest: sha256Digest(sbom), size: sbom.length }],
    subject: { mediaType: head.mediaType, digest: subject, size: head.size },
  };
  const bytes = Buffer.from(JSON.stringify(json));
  const pushed = await putReferrerManifest(
    registry,
    repository,
    { mediaType: OCI_MANIFEST, bytes, digest: sha256Digest(bytes), size: bytes.length, json },
    'never',
  );
  return pushed.digest;
}
