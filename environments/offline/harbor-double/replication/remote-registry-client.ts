// Harbor's client of a remote registry (goharbor/harbor src/pkg/registry/client.go and src/pkg/registry/auth/
// {authorizer.go,bearer/*,basic/*}@v2.15.2), used for replication targets and sources and the health check:
// - every request carries `User-Agent: harbor-registry-client`;
// - before the first request the authorizer sends an unauthenticated `GET <scheme>://<host>/v2/` and picks the
//   scheme from its challenge: bearer (a token per scope from the realm, fetched with basic credentials, cached
//   until it expires), basic, or none; only scheme://host counts, a path prefix of the URL is ignored there;
// - credential type `secret` (the Local Harbor) sends `Authorization: Harbor-Secret <secret>` instead;
// - any non-2xx answer becomes "http status code: <n>, body: <body>" (client.go handleResponse).
import type { Readable } from 'node:stream';
import { Agent, request, type Dispatcher } from 'undici';

export const HARBOR_USER_AGENT = 'harbor-registry-client';

/** Accept header of Harbor's registry client: the manifest media types it takes (src/pkg/registry/client.go). */
export const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.v1+prettyjws',
  'application/vnd.docker.distribution.manifest.v1+json',
].join(', ');

export interface RemoteCredential {
  type: string;
  accessKey: string;
  accessSecret: string;
}

export interface RemoteEndpoint {
  url: string;
  insecure: boolean;
  caCertificate?: string;
  credential?: RemoteCredential;
}

export interface RemoteResponse {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: Dispatcher.ResponseData['body'];
}

/** A failed call to the remote registry, with the HTTP status when there was an answer. */
export class RemoteRegistryError extends Error {
  override name = 'RemoteRegistryError';
  readonly statusCode: number | undefined;
  constructor(message: string, statusCode?: number) {
    super(message);
    this.statusCode = statusCode;
  }
}

type Authorizer =
  | { kind: 'none' }
  | { kind: 'basic'; header: string }
  | { kind: 'bearer'; realm: string; service: string; basic: string | undefined };

/** Parses a WWW-Authenticate header into scheme → parameters (distribution's challenge package, reduced). */
export function parseChallenges(header: string | string[] | undefined): Map<string, Record<string, string>> {
  const result = new Map<string, Record<string, string>>();
  for (const value of ([] as string[]).concat(header ?? [])) {
    const match = /^\s*(\w+)\s*(.*)$/.exec(value);
    if (!match) continue;
    const params: Record<string, string> = {};
    for (const p of match[2]!.matchAll(/(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g))
      params[p[1]!.toLowerCase()] = p[2] ?? p[3] ?? '';
    result.set(match[1]!.toLowerCase(), params);
  }
  return result;
}

const NAME = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*';

/** The token scopes Harbor asks for a request (src/pkg/registry/auth/bearer/scope.go@v2.15.2). */
export function scopesFor(method: string, pathAndQuery: string): string[] {
  const [rawPath = '', query = ''] = pathAndQuery.split('?');
  const path = rawPath.replace(/\/+$/, '');
  const repo =
    new RegExp(`^/v2/(${NAME})/(?:manifests|blobs|tags)/`).exec(path)?.[1] ??
    new RegExp(`^/v2/(${NAME})/blobs/uploads`).exec(path)?.[1] ??
    new RegExp(`^/v2/(${NAME})/tags/list$`).exec(path)?.[1];
  if (repo) {
    const scopes: string[] = [];
    const from = new URLSearchParams(query).get('from');
    if (/\/blobs\/uploads/.test(path) && from) scopes.push(`repository:${from}:pull`);
    const actions = ['GET', 'HEAD'].includes(method) ? 'pull' : method === 'DELETE' ? '*' : 'pull,push';
    scopes.push(`repository:${repo}:${actions}`);
    return scopes;
  }
  if (/\/v2\/_catalog$/.test(path)) return ['registry:catalog:*'];
  return [];
}

export class RemoteRegistryClient {
  readonly url: string;
  private readonly endpoint: RemoteEndpoint;
  private readonly agent: Agent;
  private authorizer: Promise<Authorizer> | undefined;
  private readonly tokens = new Map<string, { token: string; expiresAt: number }>();

  constructor(endpoint: RemoteEndpoint, options: { connectTimeoutMs?: number; headersTimeoutMs?: number } = {}) {
    this.endpoint = endpoint;
    this.url = endpoint.url.replace(/\/+$/, '');
    this.agent = new Agent({
      connect: {
        timeout: options.connectTimeoutMs ?? 30_000,
        rejectUnauthorized: !endpoint.insecure,
        ...(endpoint.caCertificate ? { ca: endpoint.caCertificate } : {}),
      },
      headersTimeout: options.headersTimeoutMs ?? 60_000,
      bodyTimeout: 900_000,
      keepAliveTimeout: 10_000,
    });
  }

  private get basicHeader(): string | undefined {
    const c = this.endpoint.credential;
    if (!c || (c.accessKey === '' && c.accessSecret === '')) return undefined;
    return 'Basic ' + Buffer.from(`${c.accessKey}:${c.accessSecret}`).toString('base64');
  }

  private async raw(
    method: Dispatcher.HttpMethod,
    url: string,
    headers: Record<string, string>,
    body?: Readable | Buffer | string,
  ): Promise<RemoteResponse> {
    try {
      const response = await request(url, {
        method,
        headers: { 'user-agent': HARBOR_USER_AGENT, ...headers },
        body: body ?? null,
        dispatcher: this.agent,
      });
      return { statusCode: response.statusCode, headers: response.headers, body: response.body };
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const detail = cause?.code
        ? `${cause.code}${cause.message ? ` ${cause.message}` : ''}`
        : (error as Error).message;
      throw new RemoteRegistryError(`${method} ${url}: ${detail}`);
    }
  }

  private initialize(): Promise<Authorizer> {
    this.authorizer ??= (async (): Promise<Authorizer> => {
      const credential = this.endpoint.credential;
      if (credential?.type === 'secret') return { kind: 'basic', header: `Harbor-Secret ${credential.accessSecret}` };
      const origin = new URL(this.url).origin;
      const response = await this.raw('GET', `${origin}/v2/`, {});
      await response.body.dump();
      const challenges = parseChallenges(response.headers['www-authenticate']);
      const bearer = challenges.get('bearer');
      if (bearer?.['realm'])
        return { kind: 'bearer', realm: bearer['realm'], service: bearer['service'] ?? '', basic: this.basicHeader };
      if (challenges.has('basic')) return { kind: 'basic', header: this.basicHeader ?? '' };
      if (challenges.size > 0) throw new RemoteRegistryError(`unsupported auth scheme: ${[...challenges.keys()]}`);
      return { kind: 'none' };
    })().catch((error: unknown) => {
      this.authorizer = undefined; // the next request tries again, as Harbor's authorizer does
      throw error;
    });
    return this.authorizer;
  }

  private async token(auth: Extract<Authorizer, { kind: 'bearer' }>, scopes: string[]): Promise<string> {
    const key = scopes.join(' ');
    const cached = this.tokens.get(key);
    if (cached && cached.expiresAt > Date.now()) return cached.token;
    const url = new URL(auth.realm);
    url.searchParams.append('service', auth.service);
    for (const scope of scopes) url.searchParams.append('scope', scope);
    const response = await this.raw('GET', url.toString(), auth.basic ? { authorization: auth.basic } : {});
    const text = await response.body.text();
    if (response.statusCode !== 200)
      throw new RemoteRegistryError(`http status code: ${response.statusCode}, body: ${text}`, response.statusCode);
    const parsed = JSON.parse(text) as { token?: string; access_token?: string; expires_in?: number };
    const token = parsed.token || parsed.access_token || '';
    // Harbor's cache keeps a token until 10 s before it expires (bearer/cache.go); default lifetime 60 s.
    this.tokens.set(key, { token, expiresAt: Date.now() + ((parsed.expires_in ?? 60) - 10) * 1000 });
    return token;
  }

  /** A request to the remote registry, authorized as Harbor does; the caller reads or dumps the body. */
  async send(
    method: Dispatcher.HttpMethod,
    pathAndQuery: string,
    headers: Record<string, string> = {},
    body?: Readable | Buffer | string,
  ): Promise<RemoteResponse> {
    const auth = await this.initialize();
    const authHeaders: Record<string, string> = {};
    if (auth.kind === 'basic' && auth.header) authHeaders['authorization'] = auth.header;
    if (auth.kind === 'bearer') {
      // An upload Location is absolute: its path (and `from`) decide the scope, as parseScopes reads req.URL.
      const absolute = /^https?:\/\//.test(pathAndQuery) ? new URL(pathAndQuery) : undefined;
      const token = await this.token(
        auth,
        scopesFor(method, absolute ? `${absolute.pathname}${absolute.search}` : pathAndQuery),
      );
      if (token) authHeaders['authorization'] = `Bearer ${token}`;
    }
    const url = /^https?:\/\//.test(pathAndQuery) ? pathAndQuery : this.url + pathAndQuery;
    return this.raw(method, url, { ...headers, ...authHeaders }, body);
  }

  /** Like send, but a non-2xx answer throws Harbor's "http status code: <n>, body: <body>". */
  async expectOk(
    method: Dispatcher.HttpMethod,
    pathAndQuery: string,
    headers: Record<string, string> = {},
    body?: Readable | Buffer | string,
  ): Promise<RemoteResponse> {
    const response = await this.send(method, pathAndQuery, headers, body);
    if (response.statusCode >= 200 && response.statusCode < 300) return response;
    const text = method === 'HEAD' ? '' : await response.body.text().catch(() => '');
    if (method === 'HEAD') await response.body.dump().catch(() => undefined);
    throw new RemoteRegistryError(`http status code: ${response.statusCode}, body: ${text}`, response.statusCode);
  }

  /** `GET <url>/v2/` through the authorizer (client.go Ping). */
  async ping(): Promise<void> {
    const response = await this.expectOk('GET', '/v2/');
    await response.body.dump();
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}
