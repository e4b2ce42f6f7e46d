// What the registry's object store really holds, read from the bucket's own listing (S3 ListObjectsV2), never from
// Harbor: distribution 2.8 keeps a blob's bytes at <root>/docker/registry/v2/blobs/sha256/<2 hex>/<hex>/data and a
// repository's manifest revision at …/repositories/<repo>/_manifests/revisions/sha256/<hex>/link.
import { listObjects } from '../../lib/s3-requests.ts';
import type { RegistryStorage } from '../../lib/target.ts';

const hexOf = (digest: string): string => digest.replace(/^sha256:/, '');

/** Bytes stored for each digest's blob data; absent digests are missing. */
export async function storedBlobBytes(
  storage: RegistryStorage,
  digests: readonly string[],
): Promise<Map<string, number>> {
  const root = storage.rootDirectory ? `${storage.rootDirectory}/` : '';
  const found = new Map<string, number>();
  await Promise.all(
    digests.map(async (digest) => {
      const hex = hexOf(digest);
      const objects = await listObjects(
        storage.s3,
        storage.bucket,
        `${root}docker/registry/v2/blobs/sha256/${hex.slice(0, 2)}/${hex}/`,
      );
      const data = objects.find((o) => o.key.endsWith('/data'));
      if (data) found.set(digest, data.size);
    }),
  );
  return found;
}

/** Whether the repository still has the manifest revision in the storage. */
export async function storedManifestRevision(
  storage: RegistryStorage,
  repository: string,
  digest: string,
): Promise<boolean> {
  const root = storage.rootDirectory ? `${storage.rootDirectory}/` : '';
  const objects = await listObjects(
    storage.s3,
    storage.bucket,
    `${root}docker/registry/v2/repositories/${repository}/_manifests/revisions/sha256/${hexOf(digest)}/`,
  );
  return objects.length > 0;
}

/** Total bytes of every blob in the bucket (the registry's whole blob store). */
export async function totalBlobBytes(storage: RegistryStorage): Promise<number> {
  const root = storage.rootDirectory ? `${storage.rootDirectory}/` : '';
  const objects = await listObjects(storage.s3, storage.bucket, `${root}docker/registry/v2/blobs/`);
  return objects.reduce((sum, o) => sum + o.size, 0);
}
