// Calls of the harbor adapter to a Harbor target's API (goharbor/harbor src/pkg/reg/adapter/harbor/base/client.go
// @v2.15.2): basic auth with the endpoint's credential on every request (the Local Harbor: Harbor-Secret), JSON in
// and out, a non-2xx answer an error "http status code: <n>, body: <body>"; `undefined` for a 404 where Harbor
// treats it as "not supported here" (labels of old versions).
import { request } from 'undici';
import type { RegistryEndpoint } from './registry-endpoints.ts';
import { HARBOR_USER_AGENT, RemoteRegistryError } from './remote-registry-client.ts';

type HarborTarget = Pick<RegistryEndpoint, 'url' | 'credential'>;

function authorization(endpoint: HarborTarget): Record<string, string> {
  const c = endpoint.credential;
  if (!c) return {};
  if (c.type === 'secret') return { authorization: `Harbor-Secret ${c.accessSecret}` };
  return { authorization: 'Basic ' + Buffer.from(`${c.accessKey}:${c.accessSecret}`).toString('base64') };
}

export async function harborApiCall(
  endpoint: HarborTarget,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<{ statusCode: number; text: string }> {
  const url = endpoint.url.replace(/\/+$/, '') + path;
  try {
    const response = await request(url, {
      method,
      headers: {
        'user-agent': HARBOR_USER_AGENT,
        accept: 'application/json',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...authorization(endpoint),
      },
      body: body !== undefined ? JSON.stringify(body) : null,
      headersTimeout: 30_000,
      bodyTimeout: 30_000,
    });
    return { statusCode: response.statusCode, text: await response.body.text() };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    throw new RemoteRegistryError(`${method} ${url}: ${cause?.code ?? (error as Error).message}`);
  }
}

/** GET returning parsed JSON; undefined on 404. */
export async function harborApiGet<T>(endpoint: HarborTarget, path: string): Promise<T | undefined> {
  const { statusCode, text } = await harborApiCall(endpoint, 'GET', path);
  if (statusCode === 404) return undefined;
  if (statusCode < 200 || statusCode >= 300)
    throw new RemoteRegistryError(`http status code: ${statusCode}, body: ${text}`, statusCode);
  return JSON.parse(text) as T;
}
