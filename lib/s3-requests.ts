// S3 requests signed with AWS Signature Version 4 (path-style), and the few object calls the harness and the
// Harbor double's registry-controller stand-in need: list a prefix, delete an object. Not a general S3 client.
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

/** One SigV4-signed path-style request, e.g. s3Request(access, 'PUT', '/harbor'); the query is signed too. */
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

export interface S3Object {
  key: string;
  size: number;
}

const xmlValues = (xml: string, tag: string): string[] =>
  [...xml.matchAll(new RegExp(`<${tag}>([^<]*)</${tag}>`, 'g'))].map((m) => decodeXml(m[1] ?? ''));
const decodeXml = (text: string): string =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

/** Every object under `prefix` (ListObjectsV2, following continuation tokens). */
export async function listObjects(access: S3Access, bucket: string, prefix: string): Promise<S3Object[]> {
  const objects: S3Object[] = [];
  let token: string | undefined;
  do {
    const query = new URLSearchParams({ 'list-type': '2', prefix, 'max-keys': '1000' });
    if (token) query.set('continuation-token', token);
    const response = await s3Request(access, 'GET', `/${bucket}?${query.toString()}`);
    const xml = await response.text();
    if (!response.ok)
      throw new Error(`S3 ListObjectsV2 ${bucket}/${prefix} answered HTTP ${response.status}: ${xml.slice(0, 200)}`);
    for (const contents of xml.match(/<Contents>[\s\S]*?<\/Contents>/g) ?? []) {
      objects.push({ key: xmlValues(contents, 'Key')[0] ?? '', size: Number(xmlValues(contents, 'Size')[0] ?? 0) });
    }
    token = xmlValues(xml, 'IsTruncated')[0] === 'true' ? xmlValues(xml, 'NextContinuationToken')[0] : undefined;
  } while (token);
  return objects;
}

/** DeleteObject; an absent key is no error (S3 answers 204 either way). */
export async function deleteObject(access: S3Access, bucket: string, key: string): Promise<void> {
  const response = await s3Request(access, 'DELETE', `/${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`);
  await response.text();
  if (!response.ok && response.status !== 404)
    throw new Error(`S3 DeleteObject ${bucket}/${key} answered HTTP ${response.status}`);
}
