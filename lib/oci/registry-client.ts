// OCI distribution client: /v2/ ping, token auth (Bearer challenge → token from the realm, cached per
// scope, one retry on 401), blobs (HEAD, streaming GET, monolithic and chunked uploads, cross-repository
// mount), manifests (PUT/GET/HEAD/DELETE by tag or digest), tags with pagination, referrers, catalog.
import { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import type { ExchangeRecorder } from '../http-exchange.ts';
import { type BufferedResponse, HttpTransport, type RequestBody, type StreamingResponse } from '../http-transport.ts';
import type { Credentials } from '../target.ts';
import { findChallenge } from './auth-challenge.ts';
import { isDigest, sha256Digest } from './digest.ts';
import { MANIFEST_MEDIA_TYPES } from './media-types.ts';
import { RegistryError } from './registry-error.ts';
import { type BearerRealm, type IssuedToken, TokenAuthenticator, basicAuthorization } from './token-auth.ts';
import type { BlobContent, ImageIndex } from './types.ts';

export interface RegistryClientOptions {
  /** Registry base URL, e.g. http://127.0.0.1:5000 or Harbor's URL (no /v2 suffix). */
  baseUrl: string;
  /** Basic credentials for the token server (or directly for Basic-auth registries); omit for anonymous. */
  credentials?: Credentials;
  /**
   * A ready Authorization header, as Harbor hands one to a scanner: `Basic …` is used as credentials
   * (for the token server too); `Bearer …` is sent as is on every request and never refreshed.
   */
  authorization?: string;
  recorder?: ExchangeRecorder;
  dispatcher?: Dispatcher;
  userAgent?: string;
  /** Default chunk size for chunked uploads (bytes). Default 8 MiB. */
  chunkSize?: number;
}

export interface PingResult {
  status: number;
  /** Docker-Distribution-Api-Version header, e.g. "registry/2.0". */
  apiVersion?: string;
  /** Raw WWW-Authenticate header on a 401. */
  wwwAuthenticate?: string;
}

export interface BlobInfo {
  digest: string;
  size: number;
  contentType?: string;
}

export interface UploadSession {
  repository: string;
  /** Absolute URL of the upload (changes after every PATCH). */
  url: string;
  uuid?: string;
  /** Bytes accepted so far. */
  offset: number;
}

export interface PushedBlob {
  digest: string;
  location?: string;
}

export interface ManifestPayload {
  mediaType: string;
  bytes: Uint8Array;
}

export interface FetchedManifest {
  mediaType: string;
  digest: string;
  bytes: Buffer;
  /** Parsed JSON body. */
  json: Record<string, unknown>;
}

export interface ManifestHead {
  mediaType: string;
  digest: string;
  size: number;
}

export interface PushedManifest {
  digest: string;
  location?: string;
  /** OCI-Subject header: the registry processed the subject field (referrers API support). */
  subject?: string;
}

export interface TagsPage {
  name: string;
  tags: string[];
  /** Absolute URL of the next page (from the Link header), if any. */
  next?: string;
}

export interface Referrers {
  index: ImageIndex;
  /** OCI-Filters-Applied header values, e.g. ["artifactType"]. */
  filtersApplied: string[];
}

type Auth = { kind: 'none' } | { kind: 'basic' } | { kind: 'bearer'; realm: BearerRealm };

interface SendSpec {
  method: string;
  url: string;
  scopes: string[];
  headers?: Record<string, string>;
  body?: RequestBody;
  stream?: boolean;
  followRedirects?: number;
}

const DEFAULT_CHUNK_SIZE = 8 * 1024 * 1024;

export const pullScope = (repository: string): string => `repository:${repository}:pull`;
export const pushScope = (repository: string): string => `repository:${repository}:pull,push`;
export const deleteScope = (repository: string): string => `repository:${repository}:delete`;
export const CATALOG_SCOPE = 'registry:catalog:*';

export class RegistryClient {
  readonly baseUrl: string;
  readonly transport: HttpTransport;
  readonly tokens: TokenAuthenticator;
  readonly #credentials: Credentials | undefined;
  readonly #staticBearer: string | undefined;
  readonly #chunkSize: number;
  /** What the registry asked for last: learnt from challenges, reused to authenticate up front. */
  #auth: Auth = { kind: 'none' };

  constructor(options: RegistryClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    const given = parseAuthorization(options.authorization);
    this.#credentials = options.credentials ?? given.credentials;
    this.#staticBearer = given.bearer;
    this.#chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
    this.transport = new HttpTransport({
      ...(options.recorder ? { recorder: options.recorder } : {}),
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
      ...(options.userAgent ? { userAgent: options.userAgent } : {}),
    });
    this.tokens = new TokenAuthenticator(this.transport, this.#credentials);
    if (this.#credentials) options.recorder?.secrets?.add(this.#credentials.password);
    if (this.#staticBearer && this.#staticBearer.length >= 4) options.recorder?.secrets?.add(this.#staticBearer);
  }

  // ---------------------------------------------------------------- base

  /** GET /v2/ without credentials: status, API version header and the challenge. */
  async ping(): Promise<PingResult> {
    const response = await this.transport.send({ method: 'GET', url: `${this.baseUrl}/v2/` });
    const result: PingResult = { status: response.status };
    if (response.headers['docker-distribution-api-version'])
      result.apiVersion = response.headers['docker-distribution-api-version'];
    if (response.headers['www-authenticate']) result.wwwAuthenticate = response.headers['www-authenticate'];
    return result;
  }

  /** GET /v2/ authenticated (token for no scope, or basic): true when the registry accepts the credentials. */
  async checkLogin(): Promise<boolean> {
    const response = await this.#send({ method: 'GET', url: `${this.baseUrl}/v2/`, scopes: [] });
    return response.status === 200;
  }

  /** A bearer token for the given scopes, as the client would use it (for checks on tokens themselves). */
  async tokenFor(scopes: string[]): Promise<IssuedToken> {
    const realm = await this.#bearerRealm();
    return this.tokens.token(realm, scopes, { fresh: true });
  }

  // ---------------------------------------------------------------- blobs

  /** HEAD a blob: its size and digest, or undefined when the registry does not have it (404). */
  async headBlob(repository: string, digest: string): Promise<BlobInfo | undefined> {
    const url = this.#url(repository, `blobs/${digest}`);
    const response = await this.#send({ method: 'HEAD', url, scopes: [pullScope(repository)], followRedirects: 3 });
    if (response.status === 404) return undefined;
    this.#expect(response, [200], 'HEAD', url);
    const info: BlobInfo = {
      digest: response.headers['docker-content-digest'] ?? digest,
      size: Number(response.headers['content-length'] ?? 0),
    };
    if (response.headers['content-type']) info.contentType = response.headers['content-type'];
    return info;
  }

  /** GET a blob as a stream (redirects to object storage followed). The caller must consume or destroy it. */
  async getBlobStream(repository: string, digest: string): Promise<{ stream: Readable; size: number }> {
    const url = this.#url(repository, `blobs/${digest}`);
    const response = await this.#sendStreaming({
      method: 'GET',
      url,
      scopes: [pullScope(repository)],
      followRedirects: 3,
    });
    if (response.status !== 200) {
      const body = await readAll(response.body);
      throw new RegistryError({ ...response, body, method: 'GET', url });
    }
    return { stream: response.body, size: Number(response.headers['content-length'] ?? -1) };
  }

  /** GET a small blob into memory and check its digest. */
  async getBlob(repository: string, digest: string): Promise<Buffer> {
    const { stream } = await this.getBlobStream(repository, digest);
    const bytes = await readAll(stream);
    const actual = sha256Digest(bytes);
    if (actual !== digest) throw new Error(`blob ${repository}@${digest}: content has digest ${actual}`);
    return bytes;
  }

  /**
   * Uploads a blob unless `skipExisting` finds it already there. Monolithic (POST, then one PUT with the
   * whole body, streamed) by default; chunked (PATCH with Content-Range per chunk, then PUT) with `chunkSize`.
   */
  async uploadBlob(
    repository: string,
    blob: BlobContent | Uint8Array,
    options: { chunked?: boolean; chunkSize?: number; skipExisting?: boolean } = {},
  ): Promise<PushedBlob> {
    const content = toBlobContent(blob);
    if (options.skipExisting && (await this.headBlob(repository, content.digest))) return { digest: content.digest };
    const session = await this.startBlobUpload(repository);
    if (options.chunked || options.chunkSize) {
      const chunkSize = options.chunkSize ?? this.#chunkSize;
      let current = session;
      for await (const chunk of chunksOf(content, chunkSize)) current = await this.uploadChunk(current, chunk);
      return this.completeBlobUpload(current, content.digest);
    }
    const body: RequestBody = content.bytes ?? { stream: () => content.open(), length: content.size };
    return this.completeBlobUpload(session, content.digest, body);
  }

  /**
   * Cross-repository mount: POST ?mount=<digest>&from=<repo>. Returns true on 201 (mounted). When the
   * registry answers 202 instead (not mountable), the upload it opened is cancelled and false is returned.
   */
  async mountBlob(repository: string, digest: string, fromRepository: string): Promise<boolean> {
    const url = new URL(this.#url(repository, 'blobs/uploads/'));
    url.searchParams.set('mount', digest);
    url.searchParams.set('from', fromRepository);
    const response = await this.#send({
      method: 'POST',
      url: url.toString(),
      scopes: [pushScope(repository), pullScope(fromRepository)],
      headers: { 'content-length': '0' },
    });
    this.#expect(
      response,
      [201, 202],
      'POST',
      url.toString(),
      `mount of ${digest} from ${fromRepository} into ${repository}`,
    );
    if (response.status === 201) return true;
    const location = response.headers.location;
    if (location) {
      await this.cancelBlobUpload({ repository, url: new URL(location, this.baseUrl).toString(), offset: 0 }).catch(
        () => undefined,
      );
    }
    return false;
  }

  /** POST /v2/<name>/blobs/uploads/: opens an upload session. */
  async startBlobUpload(repository: string): Promise<UploadSession> {
    const url = this.#url(repository, 'blobs/uploads/');
    const response = await this.#send({
      method: 'POST',
      url,
      scopes: [pushScope(repository)],
      headers: { 'content-length': '0' },
    });
    this.#expect(response, [202], 'POST', url, `start of a blob upload to ${repository}`);
    return this.#session(repository, response, 0);
  }

  /** PATCH one chunk with Content-Range <start>-<end>; returns the session with the next URL and offset. */
  async uploadChunk(session: UploadSession, chunk: Uint8Array): Promise<UploadSession> {
    const start = session.offset;
    const end = start + chunk.byteLength - 1;
    const response = await this.#send({
      method: 'PATCH',
      url: session.url,
      scopes: [pushScope(session.repository)],
      headers: { 'content-type': 'application/octet-stream', 'content-range': `${start}-${end}` },
      body: chunk,
    });
    this.#expect(response, [202], 'PATCH', session.url, `chunk ${start}-${end} of an upload to ${session.repository}`);
    return this.#session(session.repository, response, end + 1);
  }

  /** PUT <upload>?digest=…, optionally with the (rest of the) content. */
  async completeBlobUpload(session: UploadSession, digest: string, body?: RequestBody): Promise<PushedBlob> {
    const url = new URL(session.url);
    url.searchParams.set('digest', digest);
    const headers: Record<string, string> = { 'content-type': 'application/octet-stream' };
    if (!body) headers['content-length'] = '0';
    const response = await this.#send({
      method: 'PUT',
      url: url.toString(),
      scopes: [pushScope(session.repository)],
      headers,
      ...(body ? { body } : {}),
    });
    this.#expect(response, [201], 'PUT', url.toString(), `upload of ${digest} to ${session.repository}`);
    const returned = response.headers['docker-content-digest'];
    if (returned && returned !== digest)
      throw new Error(`registry stored ${session.repository} blob as ${returned}, expected ${digest}`);
    return { digest, ...(response.headers.location ? { location: response.headers.location } : {}) };
  }

  /** DELETE an upload session. */
  async cancelBlobUpload(session: UploadSession): Promise<void> {
    const response = await this.#send({ method: 'DELETE', url: session.url, scopes: [pushScope(session.repository)] });
    this.#expect(response, [204, 200, 202, 404], 'DELETE', session.url);
  }

  /** DELETE /v2/<name>/blobs/<digest>. */
  async deleteBlob(repository: string, digest: string): Promise<void> {
    const url = this.#url(repository, `blobs/${digest}`);
    const response = await this.#send({ method: 'DELETE', url, scopes: [deleteScope(repository)] });
    this.#expect(response, [202, 200, 204], 'DELETE', url);
  }

  // ---------------------------------------------------------------- manifests

  /** PUT a manifest by tag or digest with its media type as Content-Type. */
  async putManifest(repository: string, reference: string, manifest: ManifestPayload): Promise<PushedManifest> {
    const url = this.#url(repository, `manifests/${encodeReference(reference)}`);
    const response = await this.#send({
      method: 'PUT',
      url,
      scopes: [pushScope(repository)],
      headers: { 'content-type': manifest.mediaType },
      body: manifest.bytes,
    });
    this.#expect(response, [201, 200], 'PUT', url, `push of manifest ${repository}:${reference}`);
    const computed = sha256Digest(manifest.bytes);
    const returned = response.headers['docker-content-digest'];
    if (returned && returned !== computed)
      throw new Error(`registry reports manifest digest ${returned}, content has ${computed}`);
    const pushed: PushedManifest = { digest: computed };
    if (response.headers.location) pushed.location = response.headers.location;
    if (response.headers['oci-subject']) pushed.subject = response.headers['oci-subject'];
    return pushed;
  }

  /** GET a manifest; `accept` defaults to the four image manifest/index media types. Checks a digest reference. */
  async getManifest(
    repository: string,
    reference: string,
    options: { accept?: readonly string[] } = {},
  ): Promise<FetchedManifest> {
    const url = this.#url(repository, `manifests/${encodeReference(reference)}`);
    const response = await this.#send({
      method: 'GET',
      url,
      scopes: [pullScope(repository)],
      headers: { accept: (options.accept ?? MANIFEST_MEDIA_TYPES).join(', ') },
    });
    this.#expect(response, [200], 'GET', url, `pull of manifest ${repository}:${reference}`);
    const bytes = response.body;
    const digest = sha256Digest(bytes);
    if (isDigest(reference) && digest !== reference)
      throw new Error(`manifest ${repository}@${reference}: content has digest ${digest}`);
    const json = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
    const mediaType = (response.headers['content-type'] ?? '').split(';')[0]!.trim() || String(json.mediaType ?? '');
    return { mediaType, digest, bytes, json };
  }

  /** HEAD a manifest: media type, digest and size, or undefined on 404. */
  async headManifest(
    repository: string,
    reference: string,
    options: { accept?: readonly string[] } = {},
  ): Promise<ManifestHead | undefined> {
    const url = this.#url(repository, `manifests/${encodeReference(reference)}`);
    const response = await this.#send({
      method: 'HEAD',
      url,
      scopes: [pullScope(repository)],
      headers: { accept: (options.accept ?? MANIFEST_MEDIA_TYPES).join(', ') },
    });
    if (response.status === 404) return undefined;
    this.#expect(response, [200], 'HEAD', url, `HEAD of manifest ${repository}:${reference}`);
    return {
      mediaType: (response.headers['content-type'] ?? '').split(';')[0]!.trim(),
      digest: response.headers['docker-content-digest'] ?? (isDigest(reference) ? reference : ''),
      size: Number(response.headers['content-length'] ?? 0),
    };
  }

  /** DELETE /v2/<name>/manifests/<reference> (a digest; registries refuse tags). */
  async deleteManifest(repository: string, reference: string): Promise<void> {
    const url = this.#url(repository, `manifests/${encodeReference(reference)}`);
    const response = await this.#send({ method: 'DELETE', url, scopes: [deleteScope(repository)] });
    this.#expect(response, [202, 200], 'DELETE', url, `delete of manifest ${repository}@${reference}`);
  }

  // ---------------------------------------------------------------- listings

  /** One page of GET /v2/<name>/tags/list?n=&last=. */
  async listTagsPage(repository: string, page: { n?: number; last?: string; url?: string } = {}): Promise<TagsPage> {
    let url: string;
    if (page.url) url = page.url;
    else {
      const u = new URL(this.#url(repository, 'tags/list'));
      if (page.n !== undefined) u.searchParams.set('n', String(page.n));
      if (page.last !== undefined) u.searchParams.set('last', page.last);
      url = u.toString();
    }
    const response = await this.#send({ method: 'GET', url, scopes: [pullScope(repository)] });
    this.#expect(response, [200], 'GET', url, `tags list of ${repository}`);
    const body = JSON.parse(response.body.toString('utf8')) as { name: string; tags: string[] | null };
    const result: TagsPage = { name: body.name, tags: body.tags ?? [] };
    const next = nextLink(response.headers.link, url);
    if (next) result.next = next;
    return result;
  }

  /** Every tag of a repository, following Link pagination (`pageSize` per request, default: the registry's). */
  async listTags(repository: string, options: { pageSize?: number } = {}): Promise<string[]> {
    const tags: string[] = [];
    let page = await this.listTagsPage(repository, options.pageSize ? { n: options.pageSize } : {});
    tags.push(...page.tags);
    for (let guard = 0; page.next && guard < 10_000; guard++) {
      page = await this.listTagsPage(repository, { url: page.next });
      tags.push(...page.tags);
    }
    return tags;
  }

  /** GET /v2/_catalog, following pagination. */
  async listRepositories(options: { pageSize?: number } = {}): Promise<string[]> {
    const first = new URL(`${this.baseUrl}/v2/_catalog`);
    if (options.pageSize) first.searchParams.set('n', String(options.pageSize));
    const names: string[] = [];
    let url: string | undefined = first.toString();
    for (let guard = 0; url && guard < 10_000; guard++) {
      const response: BufferedResponse = await this.#send({ method: 'GET', url, scopes: [CATALOG_SCOPE] });
      this.#expect(response, [200], 'GET', url, 'catalog');
      const body = JSON.parse(response.body.toString('utf8')) as { repositories: string[] | null };
      names.push(...(body.repositories ?? []));
      url = nextLink(response.headers.link, url);
    }
    return names;
  }

  /** GET /v2/<name>/referrers/<digest>[?artifactType=]: the OCI 1.1 referrers index. */
  async getReferrers(repository: string, digest: string, options: { artifactType?: string } = {}): Promise<Referrers> {
    const u = new URL(this.#url(repository, `referrers/${digest}`));
    if (options.artifactType) u.searchParams.set('artifactType', options.artifactType);
    const url = u.toString();
    const response = await this.#send({
      method: 'GET',
      url,
      scopes: [pullScope(repository)],
      headers: { accept: 'application/vnd.oci.image.index.v1+json' },
    });
    this.#expect(response, [200], 'GET', url, `referrers of ${repository}@${digest}`);
    const index = JSON.parse(response.body.toString('utf8')) as ImageIndex;
    const applied = response.headers['oci-filters-applied'];
    return {
      index,
      filtersApplied: applied
        ? applied
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : [],
    };
  }

  // ---------------------------------------------------------------- internals

  #url(repository: string, rest: string): string {
    return `${this.baseUrl}/v2/${repository}/${rest}`;
  }

  #session(repository: string, response: BufferedResponse | StreamingResponse, offset: number): UploadSession {
    const location = response.headers.location;
    if (!location) throw new Error(`registry answered an upload to ${repository} without a Location header`);
    const session: UploadSession = { repository, url: new URL(location, this.baseUrl).toString(), offset };
    const uuid = response.headers['docker-upload-uuid'];
    if (uuid) session.uuid = uuid;
    return session;
  }

  #expect(
    response: BufferedResponse | StreamingResponse,
    ok: number[],
    method: string,
    url: string,
    what?: string,
  ): void {
    if (ok.includes(response.status)) return;
    const body = Buffer.isBuffer(response.body) ? response.body : Buffer.alloc(0);
    throw new RegistryError({
      status: response.status,
      headers: response.headers,
      body,
      method,
      url,
      ...(what ? { what } : {}),
    });
  }

  async #bearerRealm(): Promise<BearerRealm> {
    if (this.#auth.kind === 'bearer') return this.#auth.realm;
    const ping = await this.ping();
    const challenge = findChallenge(ping.wwwAuthenticate, 'bearer');
    if (!challenge?.params.realm)
      throw new Error(`${this.baseUrl}/v2/ does not offer bearer token auth (status ${ping.status})`);
    this.#auth = { kind: 'bearer', realm: realmOf(challenge.params) };
    return this.#auth.realm;
  }

  async #authorization(scopes: string[], fresh: boolean): Promise<string | undefined> {
    if (this.#staticBearer) return `Bearer ${this.#staticBearer}`;
    const auth = this.#auth;
    if (auth.kind === 'bearer') return `Bearer ${(await this.tokens.token(auth.realm, scopes, { fresh })).token}`;
    if (auth.kind === 'basic' && this.#credentials) return basicAuthorization(this.#credentials);
    return undefined;
  }

  #send(spec: SendSpec & { stream?: false }): Promise<BufferedResponse> {
    return this.#exchange(spec) as Promise<BufferedResponse>;
  }

  #sendStreaming(spec: SendSpec): Promise<StreamingResponse> {
    return this.#exchange({ ...spec, stream: true }) as Promise<StreamingResponse>;
  }

  /** Sends with the auth learnt so far; on 401 learns from the challenge and retries once. */
  async #exchange(spec: SendSpec): Promise<BufferedResponse | StreamingResponse> {
    const attempt = async (authorization: string | undefined) => {
      const headers = { ...spec.headers };
      if (authorization) headers.authorization = authorization;
      const req = {
        method: spec.method,
        url: spec.url,
        headers,
        ...(spec.body !== undefined ? { body: spec.body } : {}),
        ...(spec.followRedirects ? { followRedirects: spec.followRedirects } : {}),
      };
      return spec.stream ? this.transport.sendStreaming(req) : this.transport.send(req);
    };
    const first = await attempt(await this.#authorization(spec.scopes, false));
    if (first.status !== 401 || this.#staticBearer) return first;

    const header = first.headers['www-authenticate'];
    const bearer = findChallenge(header, 'bearer');
    const basic = findChallenge(header, 'basic');
    let retryScopes = spec.scopes;
    if (bearer?.params.realm) {
      this.#auth = { kind: 'bearer', realm: realmOf(bearer.params) };
      // The challenge names the scope the registry wants; ask for it together with ours.
      const wanted = (bearer.params.scope ?? '').split(' ').filter(Boolean);
      retryScopes = [...new Set([...spec.scopes, ...wanted])];
    } else if (basic && this.#credentials) {
      this.#auth = { kind: 'basic' };
    } else if (!(basic && this.#auth.kind === 'bearer')) {
      // No way to authenticate (anonymous against Basic, or an unknown scheme): the 401 is the answer.
      return first;
    }
    // (Harbor answers `Basic realm` when a stale bearer was sent: a fresh token is the remedy.)
    if (spec.stream) await drain(first as StreamingResponse);
    return attempt(await this.#authorization(retryScopes, true));
  }
}

function parseAuthorization(header: string | undefined): { credentials?: Credentials; bearer?: string } {
  if (!header) return {};
  const [scheme, value = ''] = header.trim().split(/\s+/, 2) as [string, string?];
  if (/^basic$/i.test(scheme)) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new Error('authorization: the Basic value is not base64 of user:password');
    return { credentials: { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) } };
  }
  if (/^bearer$/i.test(scheme)) return { bearer: value };
  throw new Error(`authorization: unsupported scheme ${scheme}`);
}

function realmOf(params: Record<string, string>): BearerRealm {
  return { realm: params.realm!, ...(params.service ? { service: params.service } : {}) };
}

function encodeReference(reference: string): string {
  return isDigest(reference) ? reference : encodeURIComponent(reference);
}

/** Parses `Link: </v2/…?last=x&n=2>; rel="next"` into an absolute URL. */
export function nextLink(link: string | undefined, base: string): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/i.exec(part);
    if (match) return new URL(match[1]!, base).toString();
  }
  return undefined;
}

function toBlobContent(blob: BlobContent | Uint8Array): BlobContent {
  if (blob instanceof Uint8Array) {
    const bytes = blob;
    return {
      digest: sha256Digest(bytes),
      size: bytes.byteLength,
      bytes,
      open: () => Readable.from([Buffer.from(bytes)]),
    };
  }
  return blob;
}

/**
 * Splits blob content into chunks of exactly `size` bytes (the last may be shorter). Streamed content is
 * copied into one reused buffer: each chunk is only valid until the next is requested (the upload loop
 * awaits every PATCH, so memory stays at one chunk whatever the blob size).
 */
async function* chunksOf(content: BlobContent, size: number): AsyncGenerator<Buffer> {
  if (content.bytes) {
    const all = Buffer.from(content.bytes.buffer, content.bytes.byteOffset, content.bytes.byteLength);
    for (let i = 0; i < all.byteLength; i += size) yield all.subarray(i, i + size);
    return;
  }
  const chunk = Buffer.allocUnsafe(Math.min(size, content.size || size));
  let filled = 0;
  for await (const piece of content.open()) {
    let data = piece as Buffer;
    while (data.byteLength > 0) {
      const take = Math.min(chunk.byteLength - filled, data.byteLength);
      data.copy(chunk, filled, 0, take);
      filled += take;
      data = data.subarray(take);
      if (filled === chunk.byteLength) {
        yield chunk;
        filled = 0;
      }
    }
  }
  if (filled > 0) yield chunk.subarray(0, filled);
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function drain(response: StreamingResponse): Promise<void> {
  for await (const _ of response.body) {
    // discard
  }
}
