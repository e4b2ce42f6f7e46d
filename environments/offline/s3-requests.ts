// The few S3 calls the environment makes itself (create and check a bucket); signing lives in lib/s3-requests.ts.
import { type S3Access, s3Request } from '../../lib/s3-requests.ts';

/** Creates a bucket; one that already exists and is ours is fine. */
export async function createBucket(access: S3Access, bucket: string): Promise<void> {
  const response = await s3Request(access, 'PUT', `/${bucket}`);
  const text = await response.text();
  if (response.ok || (response.status === 409 && text.includes('BucketAlreadyOwnedByYou'))) return;
  throw new Error(
    `S3 CreateBucket ${bucket} at ${access.endpoint} answered HTTP ${response.status}: ${text.slice(0, 300)}`,
  );
}

export async function bucketExists(access: S3Access, bucket: string): Promise<boolean> {
  const response = await s3Request(access, 'HEAD', `/${bucket}`);
  return response.ok;
}
