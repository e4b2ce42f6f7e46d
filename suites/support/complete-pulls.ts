// A whole pull, as a node pulls an image: the manifest (by tag or digest; its bytes must hash to the digest),
// for an index every child manifest, and every blob it names (config and layers), each checked against its
// digest by the registry client. Answered as an outcome: a pull that breaks anywhere names where.
import type { RegistryClient } from '../../lib/oci/registry-client.ts';
import { RegistryError } from '../../lib/oci/registry-error.ts';
import { MANIFEST_TYPES } from './manifest-pulls.ts';

export interface CompletePull {
  reference: string;
  /** The top manifest's digest (undefined when it did not come). */
  digest?: string;
  /** Blobs the manifests name, each fetched and digest-checked (by this pull or an earlier one of `verified`). */
  blobs: number;
  /** What broke, e.g. `GET blob sha256:… → 404 BLOB_UNKNOWN`; undefined when everything came whole. */
  failure?: string;
}

interface Descriptor {
  digest: string;
}

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
  const result: CompletePull = { reference, blobs: 0 };
  let step = `GET manifest ${reference}`;
  try {
    const top = await client.getManifest(repository, reference, { accept: MANIFEST_TYPES });
    result.digest = top.digest;
    const manifests = [top.json];
    const children = (top.json['manifests'] as Descriptor[] | undefined) ?? [];
    for (const child of children) {
      step = `GET child manifest ${child.digest}`;
      manifests.push((await client.getManifest(repository, child.digest, { accept: MANIFEST_TYPES })).json);
    }
    for (const manifest of manifests) {
      const config = manifest['config'] as Descriptor | undefined;
      const layers = (manifest['layers'] as Descriptor[] | undefined) ?? [];
      for (const blob of [...(config ? [config] : []), ...layers]) {
        result.blobs += 1;
        if (verified.has(blob.digest)) continue;
        step = `GET blob ${blob.digest}`;
        await client.getBlob(repository, blob.digest);
        verified.add(blob.digest);
      }
    }
  } catch (error) {
    const what =
      error instanceof RegistryError
        ? `${error.status}${error.code ? ` ${error.code}` : ''}`
        : (error as Error).message;
    result.failure = `${step} → ${what}`;
  }
  return result;
}
