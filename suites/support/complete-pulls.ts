// Pulls an image completely, as a client that has nothing cached does: the manifest by tag or digest, then every
// blob it references (config and layers; for an index every child manifest and its blobs), each digest-checked.
// Returns what failed instead of throwing, so a check can list every broken piece.
import { sha256Digest } from '../../lib/oci/digest.ts';
import type { RegistryClient } from '../../lib/oci/registry-client.ts';
import { RegistryError } from '../../lib/oci/registry-error.ts';
import { MANIFEST_TYPES } from './manifest-pulls.ts';

interface ManifestDocument {
  config?: { digest: string };
  layers?: Array<{ digest: string }>;
  manifests?: Array<{ digest: string }>;
}

const describe = (error: unknown): string =>
  error instanceof RegistryError
    ? `${error.status} ${error.code} ${error.registryMessage}`.trim()
    : String((error as Error).message ?? error);

/** The pieces that did not pull whole, as "<what>: <why>"; empty when the image pulled completely. */
export async function pullCompletely(client: RegistryClient, repository: string, reference: string): Promise<string[]> {
  const broken: string[] = [];
  const visit = async (ref: string): Promise<void> => {
    let doc: ManifestDocument;
    try {
      const manifest = await client.getManifest(repository, ref, { accept: MANIFEST_TYPES });
      if (ref.startsWith('sha256:') && sha256Digest(manifest.bytes) !== ref) {
        broken.push(`manifest ${repository}@${ref}: content hashes to ${sha256Digest(manifest.bytes)}`);
        return;
      }
      doc = JSON.parse(manifest.bytes.toString('utf8')) as ManifestDocument;
    } catch (error) {
      broken.push(`manifest ${repository}:${ref}: ${describe(error)}`);
      return;
    }
    for (const child of doc.manifests ?? []) await visit(child.digest);
    for (const blob of [...(doc.config ? [doc.config] : []), ...(doc.layers ?? [])]) {
      try {
        await client.getBlob(repository, blob.digest); // checks the digest
      } catch (error) {
        broken.push(`blob ${blob.digest} of ${repository}:${ref}: ${describe(error)}`);
      }
    }
  };
  await visit(reference);
  return broken;
}
