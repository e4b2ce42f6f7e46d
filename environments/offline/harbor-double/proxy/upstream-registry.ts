// The proxy cache's view of the upstream: Harbor's native adapter calls the proxy controller makes —
// ManifestExist (HEAD), PullManifest (GET), PullBlob, ListTags — through Harbor's registry client for the
// endpoint (replication/remote-registry-client.ts: its authorizer answers the upstream's challenge with the
// endpoint's credential) (goharbor/harbor src/controller/proxy/remote.go, src/pkg/reg/adapter/native/adapter.go,
// src/pkg/registry/client.go@v2.15.2).
//
// Timeouts are Harbor's: the dial gives up after 30 s (src/common/http/transport.go@v2.15.2) and the whole
// request after REGISTRY_HTTP_CLIENT_TIMEOUT, 30 min by default (src/pkg/registry/client.go). There is no
// response-header timeout, so an upstream that accepts the connection and never answers (a paused container,
// a hung proxy) holds the pull for up to 30 min.
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { clientFor, type RegistryEndpoint } from '../replication/registry-endpoints.ts';
import {
  MANIFEST_ACCEPT,
  RemoteRegistryError,
  type RemoteRegistryClient,
} from '../replication/remote-registry-client.ts';

export const UPSTREAM_DIAL_TIMEOUT_MS = 30_000;
export const UPSTREAM_REQUEST_TIMEOUT_MS = 30 * 60_000;

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

/**
 * One per proxied request, as Harbor makes a remote helper (adapter, registry client, authorizer and token cache)
 * for each request (NewRemoteHelper in proxy.go handleManifest/ProxyBlob): a credential revoked upstream shows on
 * the next pull. Its idle connections close after the client's keep-alive timeout; background fills keep using it.
 */
export class UpstreamRegistry {
  readonly #client: RemoteRegistryClient;

  constructor(endpoint: RegistryEndpoint) {
    this.#client = clientFor(endpoint, {
      connectTimeoutMs: UPSTREAM_DIAL_TIMEOUT_MS,
      headersTimeoutMs: UPSTREAM_REQUEST_TIMEOUT_MS,
    });
  }

  /** HEAD the manifest: undefined when the upstream says 404, its descriptor when it has it. */
  async manifestExists(repository: string, reference: string): Promise<ManifestDescriptor | undefined> {
    const response = await this.#send('HEAD', `/v2/${repository}/manifests/${reference}`, MANIFEST_ACCEPT);
    await response.body.dump();
    if (response.statusCode === 404) return undefined;
    if (response.statusCode !== 200) throw statusError(response.statusCode);
    return {
      digest: header(response.headers, 'docker-content-digest') ?? '',
      mediaType: header(response.headers, 'content-type') ?? '',
      size: Number(header(response.headers, 'content-length') ?? 0),
    };
  }

  async manifest(repository: string, reference: string): Promise<FetchedManifest> {
    const response = await this.#send('GET', `/v2/${repository}/manifests/${reference}`, MANIFEST_ACCEPT);
    if (response.statusCode !== 200) throw statusError(response.statusCode, await response.body.text());
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
    const response = await this.#send('GET', `/v2/${repository}/blobs/${digest}`);
    if (response.statusCode !== 200) throw statusError(response.statusCode, await response.body.text());
    return { size: Number(header(response.headers, 'content-length') ?? -1), body: response.body };
  }

  async listTags(repository: string): Promise<string[]> {
    const tags: string[] = [];
    let path: string | undefined = `/v2/${repository}/tags/list`;
    while (path) {
      const response = await this.#send('GET', path);
      if (response.statusCode !== 200) throw statusError(response.statusCode, await response.body.text());
      const page = (await response.body.json()) as { tags?: string[] | null };
      tags.push(...(page.tags ?? []));
      path = header(response.headers, 'link')?.match(/<([^>]+)>/)?.[1];
    }
    return tags;
  }

  async #send(method: 'GET' | 'HEAD', path: string, accept?: string) {
    try {
      return await this.#client.send(method, path, accept ? { accept } : {});
    } catch (error) {
      const status = error instanceof RemoteRegistryError ? (error.statusCode ?? 0) : 0;
      throw new UpstreamError(status, (error as Error).message);
    }
  }
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function statusError(status: number, body = ''): UpstreamError {
  return new UpstreamError(status, `http status code: ${status}, body: ${body}`);
}
