// A minimal registry token issuer, shaped like Harbor's /service/token (RS256 JWT, `kid` = libtrust key
// ID of the signing key, `aud` a plain string, response {token, access_token, expires_in, issued_at}).
// It lets a plain distribution registry run with token auth, so the OCI client's challenge/token/retry
// path is exercised against real distribution. Grants every requested action to known users; anonymous
// gets pull only when `anonymousPull` is set; an anonymous request without a scope gets 401 (like Harbor).
import { createHash, type KeyObject } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import { libtrustKeyId } from '../libtrust-key-id.ts';

export interface TokenServerOptions {
  privateKey: KeyObject;
  issuer?: string;
  service?: string;
  users?: Record<string, string>;
  anonymousPull?: boolean;
  expiresInSeconds?: number;
}

export interface TokenRequestLog {
  user: string;
  service: string | null;
  scopes: string[];
  status: number;
}

export interface StartedTokenServer {
  /** Realm URL, e.g. http://127.0.0.1:41234/service/token */
  realm: string;
  issuer: string;
  service: string;
  requests: TokenRequestLog[];
  stop(): Promise<void>;
}

export { libtrustKeyId };

export async function startTokenServer(options: TokenServerOptions): Promise<StartedTokenServer> {
  const issuer = options.issuer ?? 'harbor-token-issuer';
  const service = options.service ?? 'harbor-registry';
  const kid = libtrustKeyId(options.privateKey);
  const expiresIn = options.expiresInSeconds ?? 1800;
  const requests: TokenRequestLog[] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const send = (status: number, body: string, user: string, scopes: string[]) => {
      requests.push({ user, service: url.searchParams.get('service'), scopes, status });
      res.writeHead(status, { 'content-type': 'application/json' }).end(body);
    };
    const scopes = url.searchParams.getAll('scope');
    if (url.pathname !== '/service/token')
      return send(404, '{"errors":[{"code":"NOT_FOUND","message":"not found"}]}', '', scopes);
    if (url.searchParams.get('service') !== service) {
      return send(
        400,
        JSON.stringify({
          errors: [{ code: 'BAD_REQUEST', message: `Unable to handle service: ${url.searchParams.get('service')}` }],
        }),
        '',
        scopes,
      );
    }
    let user = '';
    const auth = req.headers.authorization;
    if (auth?.startsWith('Basic ')) {
      const decoded = Buffer.from(auth.slice(6), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const name = decoded.slice(0, colon);
      if (options.users?.[name] !== undefined && options.users[name] === decoded.slice(colon + 1)) user = name;
    }
    if (!user && scopes.length === 0) return send(401, '', '', scopes);
    const access = scopes.flatMap((scope) => {
      const match = /^([^:]+):(.+):([^:]*)$/.exec(scope);
      if (!match) return [];
      const [, type, name, actions] = match as unknown as [string, string, string, string];
      const requested = actions.split(',').filter(Boolean);
      const granted = user ? requested : options.anonymousPull ? requested.filter((a) => a === 'pull') : [];
      return [{ type, name, actions: granted }];
    });
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ access })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid })
      .setIssuer(issuer)
      .setSubject(user)
      .setAudience(service)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + expiresIn)
      .setJti(createHash('sha256').update(`${now}${Math.random()}`).digest('hex').slice(0, 16))
      .sign(options.privateKey);
    send(
      200,
      JSON.stringify({ token, access_token: '', expires_in: expiresIn, issued_at: new Date(now * 1000).toISOString() }),
      user,
      scopes,
    );
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    realm: `http://127.0.0.1:${port}/service/token`,
    issuer,
    service,
    requests,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
