// A whole pull, as a node that has nothing cached pulls an image: the manifest by tag or digest (its bytes must
// hash to a digest reference: the registry client checks), for an index every child manifest at every depth, and
// every blob they name (config and layers), each digest-checked by the registry client. Answered as an outcome
// that names every piece that broke, so a check can list them all instead of stopping at the first.
import type { RegistryClient } from '../../lib/oci/registry-client.ts';
import { RegistryError } from '../../lib/oci/registry-error.ts';
import { MANIFEST_TYPES } from './manifest-pulls.ts';

export interface CompletePull {
  reference: string;
  /** The top manifest's digest (undefined when it did not come). */
  digest?: string;
  /** Blobs the manifests name, each fetched and digest-checked (by this pull or an earlier one of `verified`). */
  blobs: number;
  /** Every piece that broke, e.g. `GET blob sha256:… of repo:tag → 404 BLOB_UNKNOWN`; empty when all came whole. */
  failures: string[];
  /** The first of `failures` (undefined when the image pulled completely). */
  failure?: string;
}

interface Descriptor {
  digest: string;
}

const why = (error: unknown): string =>
  error instanceof RegistryError
    ? `${error.status}${error.code ? ` ${error.code}` : ''}${error.registryMessage ? ` ${error.registryMessage}` : ''}`
    : String((error as Error).message ?? error);

/**
 * `verified`: blob digests already fetched whole from this repository by an earlier pull (shared layers need
 * not come twice); the blobs this pull fetches are added to it.
 */
export async function pullCompletely(
  client: RegistryClient,
  repository: string,
  reference: string,
  verified: Set<string> = new Set(),
): Promise<CompletePull> {
  const result: CompletePull = { reference, blobs: 0, failures: [] };
  const visit = async (ref: string, top: boolean): Promise<void> => {
    let json: Record<string, unknown>;
    try {
      const manifest = await client.getManifest(repository, ref, { accept: MANIFEST_TYPES });
      if (top) result.digest = manifest.digest;
      json = manifest.json;
    } catch (error) {
      result.failures.push(`GET ${top ? '' : 'child '}manifest ${repository}:${ref} → ${why(error)}`);
      return;
    }
    for (const child of (json['manifests'] as Descriptor[] | undefined) ?? []) await visit(child.digest, false);
    const config = json['config'] as Descriptor | undefined;
    for (const blob of [...(config ? [config] : []), ...((json['layers'] as Descriptor[] | undefined) ?? [])]) {
      result.blobs += 1;
      if (verified.has(blob.digest)) continue;
      try {
        await client.getBlob(repository, blob.digest);
        verified.add(blob.digest);
      } catch (error) {
        result.failures.push(`GET blob ${blob.digest} of ${repository}:${ref} → ${why(error)}`);
      }
    }
  };
  await visit(reference, true);
  if (result.failures.length > 0) result.failure = result.failures[0];
  return result;
}
