// The registry's S3 object storage (alias `minio`), on @testcontainers/minio: the minio image or the
// offline Ceph RGW stand-in, which takes the same root user/password and answers the same health path.
import { MinioContainer, StartedMinioContainer } from '@testcontainers/minio';
import { Wait } from 'testcontainers';
import { randomSecret } from './random-secret.ts';
import type { S3Access } from '../../lib/s3-requests.ts';
import { bucketExists, createBucket } from './s3-requests.ts';

export const OBJECT_STORAGE_ALIAS = 'minio';
export const OBJECT_STORAGE_PORT = 9000;
export const S3_REGION = 'us-east-1';

export class ObjectStorageContainer extends MinioContainer {
  constructor(image: string) {
    super(image);
    this.withUsername(`hc${randomSecret(14)}`)
      .withPassword(randomSecret(32))
      .withNetworkAliases(OBJECT_STORAGE_ALIAS)
      // Ceph bootstraps a mon, an osd and the gateway on first start (~6-8 s here)
      .withStartupTimeout(120_000)
      .withWaitStrategy(Wait.forHttp('/minio/health/live', OBJECT_STORAGE_PORT, { abortOnContainerExit: true }));
  }

  override async start(): Promise<StartedObjectStorageContainer> {
    const started = await super.start();
    return new StartedObjectStorageContainer(started, started.getUsername(), started.getPassword());
  }
}

export class StartedObjectStorageContainer extends StartedMinioContainer {
  /** S3 endpoint on the run's network, e.g. for the registry's `regionendpoint`. */
  getInternalEndpoint(): string {
    return `http://${OBJECT_STORAGE_ALIAS}:${OBJECT_STORAGE_PORT}`;
  }

  getRegion(): string {
    return S3_REGION;
  }

  /** Credentials and endpoint as the harness (on the host) reaches the storage. */
  getS3Access(): S3Access {
    return {
      endpoint: `http://127.0.0.1:${this.getPort()}`,
      accessKey: this.getUsername(),
      secretKey: this.getPassword(),
      region: S3_REGION,
    };
  }

  createBucket(bucket: string): Promise<void> {
    return createBucket(this.getS3Access(), bucket);
  }

  bucketExists(bucket: string): Promise<boolean> {
    return bucketExists(this.getS3Access(), bucket);
  }
}
