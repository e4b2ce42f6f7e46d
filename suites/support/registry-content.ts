// Whether a copy of an artifact on another registry is the same content, proven on the copy itself: every manifest
// fetched by digest with identical bytes (an index's children recursively), every blob it references answering
// HEAD with the descriptor's size, every tag resolving to the same digest. Used by replication (the target after a
// push, Harbor after a pull) and wherever content moves between registries.
import type { RegistryClient } from '../../lib/oci/registry-client.ts';
import { RegistryError } from '../../lib/oci/registry-error.ts';

interface Descriptor {
  mediaType?: string;
  digest: string;
  size?: number;
}

interface ManifestJson {
  mediaType?: string;
  config?: Descriptor;
  layers?: Descriptor[];
  manifests?: Descriptor[];
  subject?: Descriptor;
}

/** What one comparison looked at, and every difference found (empty: identical). */
export interface ContentComparison {
  manifests: string[];
  blobs: string[];
  tags: string[];
  problems: string[];
}

export const emptyComparison = (): ContentComparison => ({ manifests: [], blobs: [], tags: [], problems: [] });

const isManifest = (mediaType: string | undefined) =>
  mediaType !== undefined && /manifest|index/.test(mediaType) && !/layer|config/.test(mediaType);

async function copyOf(
  copy: RegistryClient,
  repository: string,
  digest: string,
): Promise<{ bytes: Buffer } | { problem: string }> {
  try {
    return { bytes: (await copy.getManifest(repository, digest)).bytes };
  } catch (error) {
    const status = error instanceof RegistryError ? error.status : undefined;
    return {
      problem: `manifest ${repository}@${digest} is missing on the copy (${status ?? (error as Error).message})`,
    };
  }
}

/** Compares the manifest `digest` of `sourceRepo` with the copy in `copyRepo`, children and blobs included. */
export async function compareManifest(
  source: RegistryClient,
  sourceRepo: string,
  copy: RegistryClient,
  copyRepo: string,
  digest: string,
  into: ContentComparison = emptyComparison(),
): Promise<ContentComparison> {
  if (into.manifests.includes(digest)) return into;
  into.manifests.push(digest);
  const original = await source.getManifest(sourceRepo, digest);
  const copied = await copyOf(copy, copyRepo, digest);
  if ('problem' in copied) {
    into.problems.push(copied.problem);
    return into;
  }
  if (!copied.bytes.equals(original.bytes))
    into.problems.push(`manifest ${copyRepo}@${digest} differs from the source's bytes`);
  const doc = original.json as ManifestJson;
  for (const child of doc.manifests ?? [])
    await compareManifest(source, sourceRepo, copy, copyRepo, child.digest, into);
  for (const blob of [...(doc.config ? [doc.config] : []), ...(doc.layers ?? [])]) {
    if (isManifest(blob.mediaType)) continue;
    into.blobs.push(blob.digest);
    const head = await copy.headBlob(copyRepo, blob.digest).catch(() => undefined);
    if (!head) into.problems.push(`blob ${copyRepo}@${blob.digest} is missing on the copy`);
    else if (blob.size !== undefined && head.size !== blob.size)
      into.problems.push(
        `blob ${copyRepo}@${blob.digest} has ${head.size} bytes on the copy, ${blob.size} in the descriptor`,
      );
  }
  return into;
}

/** The tag names the same digest on the copy. */
export async function compareTag(
  copy: RegistryClient,
  copyRepo: string,
  tag: string,
  digest: string,
  into: ContentComparison,
): Promise<void> {
  into.tags.push(tag);
  const head = await copy.headManifest(copyRepo, tag).catch(() => undefined);
  if (!head) into.problems.push(`tag ${copyRepo}:${tag} is missing on the copy`);
  else if (head.digest !== digest)
    into.problems.push(`tag ${copyRepo}:${tag} names ${head.digest} on the copy, ${digest} at the source`);
}
