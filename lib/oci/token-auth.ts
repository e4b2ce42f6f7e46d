// Registry bearer tokens, as docker and Harbor do it: GET <realm>?service=…&scope=…[&scope=…], optional
// basic credentials, tokens cached per (realm, service, scope set) until shortly before they expire.
import type { Credentials } from '../target.ts';
import type { HttpTransport } from '../http-transport.ts';
import { RegistryError } from './registry-error.ts';

export interface BearerRealm {
  realm: string;
  service?: string;
}

export interface IssuedToken {
  token: string;
  /** Epoch ms after which the token is not reused. */
  expiresAt: number;
  /** The raw answer's fields other than the token (expires_in, issued_at) for checks. */
  expiresIn: number;
  issuedAt?: string;
}

/** Seconds of validity assumed when the token server does not say (distribution's token spec: 60). */
const DEFAULT_EXPIRES_IN = 60;
/** Stop reusing a token this long before it expires. */
const EXPIRY_MARGIN_MS = 10_000;

export function basicAuthorization(credentials: Credentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}

/** A canonical key for a set of scopes: sorted, deduplicated, actions sorted. */
export function scopeKey(scopes: readonly string[]): string {
  return [...new Set(scopes.map(normaliseScope))].sort().join(' ');
}

function normaliseScope(scope: string): string {
  const lastColon = scope.lastIndexOf(':');
  if (lastColon < 0) return scope;
  const actions = scope
    .slice(lastColon + 1)
    .split(',')
    .filter(Boolean)
    .sort()
    .join(',');
  return `${scope.slice(0, lastColon)}:${actions}`;
}

export class TokenAuthenticator {
  readonly #transport: HttpTransport;
  readonly #credentials: Credentials | undefined;
  readonly #cache = new Map<string, IssuedToken>();

  constructor(transport: HttpTransport, credentials?: Credentials) {
    this.#transport = transport;
    this.#credentials = credentials;
  }

  /** A cached, still valid token for these scopes, if any. */
  cached(realm: BearerRealm, scopes: readonly string[]): IssuedToken | undefined {
    const key = this.#key(realm, scopes);
    const hit = this.#cache.get(key);
    if (hit && hit.expiresAt > Date.now()) return hit;
    if (hit) this.#cache.delete(key);
    return undefined;
  }

  /** Returns a token for the scopes: from the cache unless `fresh`, else from the realm. */
  async token(realm: BearerRealm, scopes: readonly string[], options: { fresh?: boolean } = {}): Promise<IssuedToken> {
    if (!options.fresh) {
      const hit = this.cached(realm, scopes);
      if (hit) return hit;
    }
    const issued = await this.fetchToken(realm, scopes);
    this.#cache.set(this.#key(realm, scopes), issued);
    return issued;
  }

  /** Asks the token server, without the cache. */
  async fetchToken(realm: BearerRealm, scopes: readonly string[]): Promise<IssuedToken> {
    const url = new URL(realm.realm);
    if (realm.service) url.searchParams.set('service', realm.service);
    for (const scope of scopeKey(scopes).split(' ').filter(Boolean)) url.searchParams.append('scope', scope);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.#credentials) headers.authorization = basicAuthorization(this.#credentials);
    const response = await this.#transport.send({ method: 'GET', url: url.toString(), headers });
    if (response.status !== 200) {
      throw new RegistryError({
        ...response,
        method: 'GET',
        url: url.toString(),
        what: `token request to ${url.origin}${url.pathname}`,
      });
    }
    const body = JSON.parse(response.body.toString('utf8')) as {
      token?: string;
      access_token?: string;
      expires_in?: number;
      issued_at?: string;
    };
    const token = body.token || body.access_token;
    if (!token) throw new Error(`token server ${url.origin}${url.pathname} answered 200 without a token`);
    const expiresIn = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : DEFAULT_EXPIRES_IN;
    const issuedAtMs = body.issued_at ? Date.parse(body.issued_at) : Number.NaN;
    const base = Number.isFinite(issuedAtMs) ? Math.min(issuedAtMs, Date.now()) : Date.now();
    return {
      token,
      expiresAt: base + expiresIn * 1000 - EXPIRY_MARGIN_MS,
      expiresIn,
      ...(body.issued_at ? { issuedAt: body.issued_at } : {}),
    };
  }

  /** Drops every cached token (e.g. after credentials changed on the server). */
  clear(): void {
    this.#cache.clear();
  }

  #key(realm: BearerRealm, scopes: readonly string[]): string {
    return `${realm.realm}|${realm.service ?? ''}|${scopeKey(scopes)}`;
  }
}
