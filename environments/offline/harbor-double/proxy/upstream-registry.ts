// The proxy cache's client of the upstream registry: Harbor's native (docker-registry) adapter as the proxy
// controller uses it — ManifestExist (HEAD), PullManifest (GET), PullBlob, ListTags — with the registry
// endpoint's credential answering the upstream's challenge (Basic, or a Bearer token from the realm it names)
// (goharbor/harbor src/controller/proxy/remote.go, src/pkg/reg/adapter/native/adapter.go,
// src/pkg/registry/client.go@v2.15.2).
//
// Timeouts are Harbor's: the dial gives up after 30 s (src/common/http/transport.go@v2.15.2) and the whole
// request after REGISTRY_HTTP_CLIENT_TIMEOUT, 30 min by default (src/pkg/registry/client.go). There is no
// response-header timeout, so an upstream that accepts the connection and never answers (a paused container,
// a hung proxy) holds the pull for up to 30 min.
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Agent, request, type Dispatcher } from 'undici';

export const UPSTREAM_DIAL_TIMEOUT_MS = 30_000;
export const UPSTREAM_REQUEST_TIMEOUT_MS = 30 * 60_000;

/** Accept header of Harbor's registry client (accepted manifest media types, src/pkg/registry/client.go). */
const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.v1+prettyjws',
  'application/vnd.docker.distribution.manifest.v1+json',
].join(', ');

export interface UpstreamEndpoint {
  url: string;
  insecure: boolean;
  /** access_key/access_secret of the registry endpoint (credential type basic), absent for anonymous. */
  credential?: { accessKey: string; accessSecret: string };
}

/** An answer of the upstream other than success: its status (0 for a transport error) and what it said. */
export class UpstreamError extends Error {
  override name = 'UpstreamError';
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
  get rateLimited(): boolean {
    return this.status === 429;
  }
}

export interface ManifestDescriptor {
  digest: string;
  mediaType: string;
  size: number;
}

export interface FetchedManifest extends ManifestDescriptor {
  body: Buffer;
}

const agents = new Map<boolean, Agent>();
function agentFor(insecure: boolean): Agent {
  let agent = agents.get(insecure);
  if (!agent) {
    agent = new Agent({
      connect: { timeout: UPSTREAM_DIAL_TIMEOUT_MS, rejectUnauthorized: !insecure },
      headersTimeout: UPSTREAM_REQUEST_TIMEOUT_MS,
      bodyTimeout: UPSTREAM_REQUEST_TIMEOUT_MS,
      keepAliveTimeout: 30_000,
    });
    agents.set(insecure, agent);
  }
  return agent;
}

/** Bearer tokens per endpoint and scope, kept until shortly before they expire. */
const tokens = new Map<string, { token: string; until: number }>();

export function forgetUpstreamTokens(): void {
  tokens.clear();
}

export class UpstreamRegistry {
  readonly #endpoint: UpstreamEndpoint;
  readonly #base: string;

  constructor(endpoint: UpstreamEndpoint) {
    this.#endpoint = endpoint;
    this.#base = endpoint.url.replace(/\/+$/, '');
  }

  /** HEAD the manifest: undefined when the upstream says 404, its descriptor when it has it. */
  async manifestExists(repository: string, reference: string): Promise<ManifestDescriptor | undefined> {
    const response = await this.#send('HEAD', repository, `/v2/${repository}/manifests/${reference}`, {
      accept: MANIFEST_ACCEPT,
    });
    await response.body.dump();
    if (response.statusCode === 404) return undefined;
    if (response.statusCode !== 200) throw statusError(response.statusCode, 'HEAD manifest', reference);
    return {
      digest: header(response.headers, 'docker-content-digest') ?? '',
      mediaType: header(response.headers, 'content-type') ?? '',
      size: Number(header(response.headers, 'content-length') ?? 0),
    };
  }

  async manifest(repository: string, reference: string): Promise<FetchedManifest> {
    const response = await this.#send('GET', repository, `/v2/${repository}/manifests/${reference}`, {
      accept: MANIFEST_ACCEPT,
    });
    if (response.statusCode !== 200) {
      await response.body.dump();
      throw statusError(response.statusCode, 'GET manifest', reference);
    }
    const body = Buffer.from(await response.body.arrayBuffer());
    const computed = `sha256:${createHash('sha256').update(body).digest('hex')}`;
    return {
      body,
      digest: header(response.headers, 'docker-content-digest') ?? computed,
      mediaType: header(response.headers, 'content-type') ?? '',
      size: body.length,
    };
  }

  /** The blob's size and body (the caller must consume or destroy it). */
  async blob(repository: string, digest: string): Promise<{ size: number; body: Readable }> {
    const response = await this.#send('GET', repository, `/v2/${repository}/blobs/${digest}`, {});
    if (response.statusCode !== 200) {
      await response.body.dump();
      throw statusError(response.statusCode, 'GET blob', digest);
    }
    return { size: Number(header(response.headers, 'content-length') ?? -1), body: response.body };
  }

  async listTags(repository: string): Promise<string[]> {
    const tags: string[] = [];
    let path: string | undefined = `/v2/${repository}/tags/list`;
    while (path) {
      const response = await this.#send('GET', repository, path, {});
      if (response.statusCode !== 200) {
        await response.body.dump();
        throw statusError(response.statusCode, 'GET tags', repository);
      }
      const page = (await response.body.json()) as { tags?: string[] | null };
      tags.push(...(page.tags ?? []));
      const link = header(response.headers, 'link');
      path = link?.match(/<([^>]+)>/)?.[1];
    }
    return tags;
  }

  async #send(
    method: 'GET' | 'HEAD',
    repository: string,
    path: string,
    headers: Record<string, string>,
  ): Promise<Dispatcher.ResponseData> {
    const scope = `repository:${repository}:pull`;
    const cached = tokens.get(`${this.#base} ${scope}`);
    const authorization = cached && cached.until > Date.now() ? `Bearer ${cached.token}` : this.#basic();
    let response = await this.#request(method, path, headers, authorization);
    if (response.statusCode !== 401) return response;
    const challenge = header(response.headers, 'www-authenticate') ?? '';
    await response.body.dump();
    const fresh = await this.#answer(challenge, scope);
    if (fresh === undefined) return this.#request(method, path, headers, authorization);
    response = await this.#request(method, path, headers, fresh);
    return response;
  }

  #basic(): string | undefined {
    const credential = this.#endpoint.credential;
    if (!credential) return undefined;
    return `Basic ${Buffer.from(`${credential.accessKey}:${credential.accessSecret}`).toString('base64')}`;
  }

  /** The Authorization that answers the challenge, or undefined when there is nothing better to send. */
  async #answer(challenge: string, scope: string): Promise<string | undefined> {
    if (/^basic/i.test(challenge)) return this.#basic();
    if (!/^bearer/i.test(challenge)) return undefined;
    const params = Object.fromEntries(
      [...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!.toLowerCase(), m[2]!]),
    );
    if (!params['realm']) return undefined;
    const url = new URL(params['realm']);
    if (params['service']) url.searchParams.set('service', params['service']);
    url.searchParams.set('scope', params['scope'] ?? scope);
    const basic = this.#basic();
    const answer = await request(url, {
      method: 'GET',
      headers: basic ? { authorization: basic } : {},
      dispatcher: agentFor(this.#endpoint.insecure),
    }).catch((error: unknown) => {
      throw new UpstreamError(0, `token request to ${url.origin} failed: ${(error as Error).message}`);
    });
    if (answer.statusCode !== 200) {
      await answer.body.dump();
      throw new UpstreamError(answer.statusCode, `the upstream's token service answered ${answer.statusCode}`);
    }
    const body = (await answer.body.json()) as { token?: string; access_token?: string; expires_in?: number };
    const token = body.token ?? body.access_token;
    if (!token) throw new UpstreamError(401, "the upstream's token service gave no token");
    const seconds = Math.max(30, (body.expires_in ?? 60) - 10);
    tokens.set(`${this.#base} ${scope}`, { token, until: Date.now() + seconds * 1000 });
    return `Bearer ${token}`;
  }

  async #request(
    method: 'GET' | 'HEAD',
    path: string,
    headers: Record<string, string>,
    authorization: string | undefined,
  ): Promise<Dispatcher.ResponseData> {
    try {
      return await request(this.#base + path, {
        method,
        headers: authorization ? { ...headers, authorization } : headers,
        dispatcher: agentFor(this.#endpoint.insecure),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code;
      throw new UpstreamError(0, `${method} ${this.#base}${path}: ${cause ?? (error as Error).message}`);
    }
  }
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function statusError(status: number, what: string, reference: string): UpstreamError {
  return new UpstreamError(status, `${what} ${reference}: http status code: ${status}`);
}
