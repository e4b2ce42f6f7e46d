// A small client for the double's integration tests: Harbor API calls with basic auth and a registry
// push/pull through /service/token, using fetch only (no Harbor code, no extra dependencies).
import { createHash } from 'node:crypto';
import type { Target } from '../../../../lib/target.ts';

export type Creds = { username: string; password: string } | undefined;

export function basic(creds: Creds): Record<string, string> {
  return creds
    ? { authorization: 'Basic ' + Buffer.from(`${creds.username}:${creds.password}`).toString('base64') }
    : {};
}

export async function api(
  target: Target,
  method: string,
  path: string,
  options: { creds?: Creds; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Response> {
  const creds = 'creds' in options ? options.creds : target.admin;
  return fetch(`${target.url}/api/v2.0${path}`, {
    method,
    headers: {
      ...basic(creds),
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    redirect: 'manual',
  });
}

export async function json<T = unknown>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

export async function registryToken(target: Target, scope: string | undefined, creds: Creds): Promise<string> {
  const query = new URLSearchParams({ service: 'harbor-registry' });
  if (scope) query.set('scope', scope);
  const response = await fetch(`${target.url}/service/token?${query}`, { headers: basic(creds) });
  if (response.status !== 200) throw new Error(`token: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}

export function decodeJwt(token: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [h, p] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(h!, 'base64url').toString()),
    payload: JSON.parse(Buffer.from(p!, 'base64url').toString()),
  };
}

const digestOf = (bytes: Buffer) => 'sha256:' + createHash('sha256').update(bytes).digest('hex');

export interface PushedImage {
  digest: string;
  manifest: Buffer;
  size: number;
}

/** A tiny image (one layer with `content`), unique per content. */
export function tinyImage(content: string): { config: Buffer; layer: Buffer; manifest: Buffer } {
  const layer = Buffer.from(content);
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: {},
      rootfs: { type: 'layers', diff_ids: [digestOf(layer)] },
    }),
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: digestOf(config), size: config.length },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: digestOf(layer), size: layer.length }],
    }),
  );
  return { config, layer, manifest };
}

/** Pushes through /v2 with a bearer token the way docker does (monolithic blob uploads). */
export async function pushImage(
  target: Target,
  repository: string,
  tag: string,
  creds: Creds,
  content = `layer of ${repository}:${tag}`,
): Promise<PushedImage> {
  const token = await registryToken(target, `repository:${repository}:pull,push`, creds);
  const auth = { authorization: `Bearer ${token}` };
  const image = tinyImage(content);
  for (const blob of [image.layer, image.config]) {
    const start = await fetch(`${target.url}/v2/${repository}/blobs/uploads/`, { method: 'POST', headers: auth });
    if (start.status !== 202) throw new Error(`upload start: ${start.status} ${await start.text()}`);
    const location = new URL(start.headers.get('location')!, target.url);
    location.searchParams.set('digest', digestOf(blob));
    const put = await fetch(location, {
      method: 'PUT',
      headers: { ...auth, 'content-type': 'application/octet-stream' },
      body: blob,
    });
    if (put.status !== 201) throw new Error(`upload put: ${put.status} ${await put.text()}`);
  }
  const put = await fetch(`${target.url}/v2/${repository}/manifests/${tag}`, {
    method: 'PUT',
    headers: { ...auth, 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
    body: image.manifest,
  });
  if (put.status !== 201) throw new Error(`manifest put: ${put.status} ${await put.text()}`);
  return {
    digest: digestOf(image.manifest),
    manifest: image.manifest,
    size: image.manifest.length + image.config.length + image.layer.length,
  };
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
}
