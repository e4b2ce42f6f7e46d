// The few S3 calls the environment makes itself (create and check a bucket), signed with AWS
// Signature Version 4. Enough for bucket-level requests with small bodies; not a general S3 client.
import { createHash, createHmac } from 'node:crypto';

export interface S3Access {
  /** e.g. http://127.0.0.1:49160 */
  endpoint: string;
  accessKey: string;
  secretKey: string;
  region: string;
}

const sha256Hex = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest();

/** One SigV4-signed path-style request, e.g. s3Request(access, 'PUT', '/harbor'). */
export async function s3Request(
  access: S3Access,
  method: string,
  path: string,
  body: string | Uint8Array = '',
): Promise<Response> {
  const url = new URL(path, access.endpoint);
  const now = new Date();
  const amzDate = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, ''); // 20261123T085300Z
  const day = amzDate.slice(0, 8);
  const payloadHash = sha256Hex(body);
  const headers: Record<string, string> = {
    host: url.host,
    'x-amz-content-sha256': payloadHash,
    'x-amz-date': amzDate,
  };
  const signedHeaders = Object.keys(headers).sort().join(';');
  const canonicalHeaders = Object.keys(headers)
    .sort()
    .map((name) => `${name}:${headers[name]}\n`)
    .join('');
  const canonicalQuery = [...url.searchParams.entries()]
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .sort()
    .join('&');
  const canonicalRequest = [method, url.pathname, canonicalQuery, canonicalHeaders, signedHeaders, payloadHash].join(
    '\n',
  );
  const scope = `${day}/${access.region}/s3/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${access.secretKey}`, day), access.region), 's3'), 'aws4_request');
  const signature = createHmac('sha256', signingKey).update(stringToSign).digest('hex');
  const { host: _host, ...sent } = headers;
  return fetch(url, {
    method,
    headers: {
      ...sent,
      authorization: `AWS4-HMAC-SHA256 Credential=${access.accessKey}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
    },
    body: method === 'GET' || method === 'HEAD' ? undefined : body,
  });
}

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
