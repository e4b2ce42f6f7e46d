// A minimal stand-in for a Harbor API, for the CLI's own tests: just the read-only endpoints the smoke
// suite touches, with Harbor's status codes and error bodies. Not the Harbor double (that one lives in
// environments/offline/harbor-double and is the real offline target); this only exercises the harness.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeHarborOptions {
  password: string;
  /** Answer every authenticated call with 401 (as Harbor does for wrong credentials). */
  rejectAllCredentials?: boolean;
  /** A defect: anonymous callers may read /configurations. */
  anonymousConfigurations?: boolean;
  /** A known weakness to report as `warn`: the portal component is unhealthy. */
  portalUnhealthy?: boolean;
  version?: string;
}

export interface FakeHarbor {
  url: string;
  close(): Promise<void>;
}

const unauthorized = { errors: [{ code: 'UNAUTHORIZED', message: 'unauthorized' }] };

export async function startFakeHarbor(options: FakeHarborOptions): Promise<FakeHarbor> {
  const version = options.version ?? 'v2.15.2-fake0000';
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const authed = isAdmin(req, options);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      const text = typeof body === 'string' ? body : `${JSON.stringify(body)}\n`;
      res.writeHead(status, {
        'content-type': typeof body === 'string' ? 'text/plain' : 'application/json',
        ...headers,
      });
      res.end(text);
    };
    route(url.pathname, authed, send, req, res, options, version);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function route(
  path: string,
  authed: boolean,
  send: (status: number, body: unknown, headers?: Record<string, string>) => void,
  req: IncomingMessage,
  _res: ServerResponse,
  options: FakeHarborOptions,
  version: string,
): void {
  switch (path) {
    case '/api/v2.0/ping':
      // real Harbor v2.15.2 answers the JSON string "Pong" to Accept: application/json (go-openapi negotiation)
      if (!/^application\/json\b/.test(req.headers.accept ?? '')) return send(200, 'Pong');
      _res.writeHead(200, { 'content-type': 'application/json' });
      return void _res.end('"Pong"\n');
    case '/api/v2.0/systeminfo':
      return send(200, {
        auth_mode: 'db_auth',
        self_registration: false,
        ...(authed ? { harbor_version: version } : {}),
      });
    case '/api/v2.0/health': {
      const names = ['core', 'database', 'jobservice', 'portal', 'redis', 'registry', 'registryctl'];
      const components = names.map((name) =>
        name === 'portal' && options.portalUnhealthy
          ? { name, status: 'unhealthy', error: 'received unexpected status code: 502' }
          : { name, status: 'healthy' },
      );
      return send(200, { status: options.portalUnhealthy ? 'unhealthy' : 'healthy', components });
    }
    case '/api/v2.0/users/current':
      return authed ? send(200, { user_id: 1, username: 'admin', sysadmin_flag: true }) : send(401, unauthorized);
    case '/api/v2.0/configurations':
      return authed || options.anonymousConfigurations
        ? send(200, { auth_mode: { value: 'db_auth', editable: false } })
        : send(401, unauthorized);
    case '/api/v2.0/scanners':
      return authed ? send(200, []) : send(401, unauthorized);
    case '/v2/':
      return send(
        401,
        { errors: [{ code: 'UNAUTHORIZED', message: 'unauthorized: unauthorized' }] },
        {
          'www-authenticate': `Bearer realm="http://${req.headers.host}/service/token",service="harbor-registry"`,
          'docker-distribution-api-version': 'registry/2.0',
        },
      );
    case '/v2/_catalog':
      return authed
        ? send(200, { repositories: [] })
        : send(
            401,
            {
              errors: [{ code: 'UNAUTHORIZED', message: 'unauthorized to list catalog: unauthorized to list catalog' }],
            },
            {
              'www-authenticate': 'Basic realm="harbor"',
            },
          );
    default:
      return send(404, { errors: [{ code: 'NOT_FOUND', message: 'not found' }] });
  }
}

function isAdmin(req: IncomingMessage, options: FakeHarborOptions): boolean {
  if (options.rejectAllCredentials) return false;
  const header = req.headers.authorization ?? '';
  if (!header.startsWith('Basic ')) return false;
  return Buffer.from(header.slice(6), 'base64').toString('utf8') === `admin:${options.password}`;
}
