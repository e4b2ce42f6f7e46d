// Pulls an artifact byte for byte through the registry: the manifest by digest (its bytes must hash to the digest),
// for an index every child manifest, and every blob an image manifest names (each must hash to its descriptor).
// The answer is one line the inventory keeps, so a pull that breaks across an upgrade shows as a changed field.
import { createHash } from 'node:crypto';
import type { RegistryClient } from '../../lib/oci/registry-client.ts';

interface Descriptor {
  digest: string;
  mediaType?: string;
}

const sha256 = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** "ok: 1 manifest(s), 3 blob(s)" or "failed: <why>". */
export async function pullByteForByte(client: RegistryClient, repository: string, digest: string): Promise<string> {
  try {
    const counts = { manifests: 0, blobs: 0 };
    await pullManifest(client, repository, digest, counts);
    return `ok: ${counts.manifests} manifest(s), ${counts.blobs} blob(s)`;
  } catch (error) {
    return `failed: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]?.slice(0, 200)}`;
  }
}

async function pullManifest(
  client: RegistryClient,
  repository: string,
  digest: string,
  counts: { manifests: number; blobs: number },
): Promise<void> {
  // getManifest refuses bytes whose digest is not the reference
  const manifest = await client.getManifest(repository, digest);
  counts.manifests += 1;
  const children = (manifest.json.manifests as Descriptor[] | undefined) ?? [];
  for (const child of children) await pullManifest(client, repository, child.digest, counts);
  const blobs = [manifest.json.config as Descriptor | undefined, ...((manifest.json.layers as Descriptor[]) ?? [])];
  for (const blob of blobs) {
    if (!blob) continue;
    const bytes = await client.getBlob(repository, blob.digest);
    if (sha256(bytes) !== blob.digest)
      throw new Error(`blob ${blob.digest} of ${repository}@${digest} hashes to ${sha256(bytes)}`);
    counts.blobs += 1;
  }
}
