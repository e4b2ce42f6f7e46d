// The registry controller's storage deletes, as GC calls them (goharbor/harbor src/registryctl/api/registry/
// {manifest,blob}/*.go@v2.15.2: distribution's storage.Vacuum with the registry's own storage driver):
// RemoveManifest deletes the repository's manifest revision, RemoveBlob the blob's data directory — here on the
// registry's S3 bucket, the paths distribution 2.8's layout gives them (registry/storage/paths.go). Afterwards GC
// empties the registry's Redis layer-info cache of blob descriptors (garbage_collection.go cleanCache), or the
// registry would keep answering HEAD for blobs whose data is gone.
import { Redis } from 'ioredis';
import { deleteObject, listObjects, type S3Access } from '../../../../lib/s3-requests.ts';
import type { DoubleConfig } from '../config.ts';

export class RegistryVacuum {
  private readonly access: S3Access;
  private readonly bucket: string;
  private readonly root: string;

  constructor(s3: NonNullable<DoubleConfig['registryS3']>) {
    this.access = { endpoint: s3.endpoint, accessKey: s3.accessKey, secretKey: s3.secretKey, region: s3.region };
    this.bucket = s3.bucket;
    this.root = s3.rootDirectory ? `${s3.rootDirectory}/` : '';
  }

  /** registryctl's health: the bucket answers a listing. */
  async health(): Promise<void> {
    await listObjects(this.access, this.bucket, `${this.root}docker/registry/v2/repositories/_health-probe/`);
  }

  private async deleteTree(prefix: string): Promise<number> {
    const objects = await listObjects(this.access, this.bucket, prefix);
    for (const object of objects) await deleteObject(this.access, this.bucket, object.key);
    return objects.length;
  }

  /** Vacuum.RemoveManifest(name, dgst, no tags): the revision link of the manifest in that repository. */
  removeManifest(repository: string, digest: string): Promise<number> {
    const [algorithm, hex] = splitDigest(digest);
    return this.deleteTree(
      `${this.root}docker/registry/v2/repositories/${repository}/_manifests/revisions/${algorithm}/${hex}/`,
    );
  }

  /** Vacuum.RemoveBlob(dgst): the blob's data, for every repository at once. */
  removeBlob(digest: string): Promise<number> {
    const [algorithm, hex] = splitDigest(digest);
    return this.deleteTree(`${this.root}docker/registry/v2/blobs/${algorithm}/${hex.slice(0, 2)}/${hex}/`);
  }
}

function splitDigest(digest: string): [string, string] {
  const match = /^([a-z0-9]+):([a-f0-9]{32,})$/.exec(digest);
  if (!match) throw new Error(`not a digest: ${digest}`);
  return [match[1]!, match[2]!];
}

/** cleanCache: deletes the registry's `blobs::*` and `repository::*` keys from its Redis database. */
export async function cleanRegistryCache(redisUrl: string): Promise<number> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: true });
  redis.on('error', () => undefined);
  let deleted = 0;
  try {
    await redis.connect();
    for (const pattern of ['blobs::*', 'repository::*']) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) deleted += await redis.del(...keys);
      } while (cursor !== '0');
    }
  } finally {
    redis.disconnect();
  }
  return deleted;
}
