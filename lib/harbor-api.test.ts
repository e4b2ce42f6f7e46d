import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HarborApiClient, HarborApiError, encodeRepositoryName } from './harbor-api.ts';
import { ExchangeRecorder } from './http-exchange.ts';
import { SecretRegistry } from './redact.ts';

const ADMIN = { username: 'admin', password: 'Harbor12345' };
const ROBOT_SECRET = 'R0botSecretValue1234567890abcdef';

interface Seen {
  method: string;
  rawPath: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** Answers like Harbor for the handful of calls under test and remembers what it was sent. */
function fakeHarbor() {
  const seen: Seen[] = [];
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const rawPath = req.url ?? '';
      seen.push({ method: req.method ?? '', rawPath, headers: req.headers, body });
      const json = (status: number, value: unknown, headers: Record<string, string> = {}) =>
        res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(value));
      const path = rawPath.split('?')[0];
      const authed =
        req.headers.authorization === `Basic ${Buffer.from(`${ADMIN.username}:${ADMIN.password}`).toString('base64')}`;
      if (path === '/api/v2.0/ping') return res.writeHead(200, { 'content-type': 'text/plain' }).end('Pong');
      if (!authed) return json(401, { errors: [{ code: 'UNAUTHORIZED', message: 'UnAuthorized' }] });
      if (req.method === 'POST' && path === '/api/v2.0/projects') {
        if (JSON.parse(body).project_name === 'taken')
          return json(409, { errors: [{ code: 'CONFLICT', message: 'The project named taken already exists' }] });
        return res.writeHead(201, { location: '/api/v2.0/projects/42' }).end();
      }
      if (req.method === 'GET' && path?.startsWith('/api/v2.0/projects/') && !path.includes('/repositories')) {
        return json(200, { project_id: 42, name: 'p1', metadata: { public: 'false' } });
      }
      if (req.method === 'POST' && path === '/api/v2.0/robots') {
        return json(
          201,
          { id: 7, name: 'robot$p1+ci', secret: ROBOT_SECRET, expires_at: -1 },
          { location: '/api/v2.0/robots/7' },
        );
      }
      if (
        path ===
        `/api/v2.0/projects/p1/repositories/team%252Fapp/artifacts/${encodeURIComponent(`sha256:${'a'.repeat(64)}`)}/accessories`
      ) {
        return json(200, [
          {
            id: 7,
            artifact_id: 9,
            subject_artifact_digest: `sha256:${'a'.repeat(64)}`,
            digest: `sha256:${'c'.repeat(64)}`,
            size: 512,
            type: 'signature.cosign',
          },
        ]);
      }
      if (path === '/api/v2.0/projects/p1/repositories/team%252Fapp/artifacts') {
        return json(200, [{ id: 1, digest: 'sha256:00', tags: [{ name: 'v1' }] }], { 'x-total-count': '1' });
      }
      if (path === '/api/v2.0/audit-logs') {
        const page = Number(new URL(rawPath, 'http://x').searchParams.get('page') ?? 1);
        const link: Record<string, string> =
          page < 3 ? { link: `</api/v2.0/audit-logs?page=${page + 1}&page_size=1>; rel="next"` } : {};
        return json(
          200,
          [{ id: page, username: 'admin', resource: 'p1', resource_type: 'project', operation: 'create', op_time: '' }],
          link,
        );
      }
      return json(404, { errors: [{ code: 'NOT_FOUND', message: `path ${path} not found` }] });
    });
  };
  return { seen, handler };
}

describe('HarborApiClient', () => {
  const fake = fakeHarbor();
  const server = createServer(fake.handler);
  let baseUrl = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));

  it('pings without credentials and gets the text answer', async () => {
    expect(await new HarborApiClient({ baseUrl }).ping()).toBe('Pong');
  });

  it('creates a project with basic auth and no cookie, and takes the id from Location', async () => {
    const client = new HarborApiClient({ baseUrl, credentials: ADMIN });
    expect(await client.createProject({ project_name: 'p1', metadata: { public: 'false' } })).toBe(42);
    const request = fake.seen.at(-1)!;
    expect(request.headers.authorization).toMatch(/^Basic /);
    expect(request.headers.cookie).toBeUndefined();
    expect(JSON.parse(request.body)).toEqual({ project_name: 'p1', metadata: { public: 'false' } });
  });

  it('sends X-Is-Resource-Name for project names only', async () => {
    const client = new HarborApiClient({ baseUrl, credentials: ADMIN });
    await client.getProject('p1');
    expect(fake.seen.at(-1)!.headers['x-is-resource-name']).toBe('true');
    await client.getProject(42);
    expect(fake.seen.at(-1)!.headers['x-is-resource-name']).toBeUndefined();
    expect(fake.seen.at(-1)!.rawPath).toBe('/api/v2.0/projects/42');
  });

  it('encodes repository names twice and passes the artifact query flags', async () => {
    expect(encodeRepositoryName('team/app')).toBe('team%252Fapp');
    const client = new HarborApiClient({ baseUrl, credentials: ADMIN });
    const artifacts = await client.listArtifacts('p1', 'team/app', {
      with_tag: true,
      with_scan_overview: true,
      with_accessory: true,
      page_size: 10,
    });
    expect(artifacts[0]?.tags?.[0]?.name).toBe('v1');
    const url = new URL(fake.seen.at(-1)!.rawPath, 'http://x');
    expect(url.pathname).toBe('/api/v2.0/projects/p1/repositories/team%252Fapp/artifacts');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      with_tag: 'true',
      with_scan_overview: 'true',
      with_accessory: 'true',
      page_size: '10',
    });
  });

  it('lists the accessories of an artifact', async () => {
    const client = new HarborApiClient({ baseUrl, credentials: ADMIN });
    const accessories = await client.listAccessories('p1', 'team/app', `sha256:${'a'.repeat(64)}`, { page_size: 5 });
    expect(accessories).toEqual([
      expect.objectContaining({ type: 'signature.cosign', subject_artifact_digest: `sha256:${'a'.repeat(64)}` }),
    ]);
    expect(new URL(fake.seen.at(-1)!.rawPath, 'http://x').searchParams.get('page_size')).toBe('5');
  });

  it('surfaces Harbor errors as HarborApiError {status, code, message}', async () => {
    const client = new HarborApiClient({ baseUrl, credentials: ADMIN });
    const conflict = (await client.createProject({ project_name: 'taken' }).catch((e: unknown) => e)) as HarborApiError;
    expect(conflict).toBeInstanceOf(HarborApiError);
    expect({ status: conflict.status, code: conflict.code, message: conflict.harborMessage }).toEqual({
      status: 409,
      code: 'CONFLICT',
      message: 'The project named taken already exists',
    });
    const anonymous = (await new HarborApiClient({ baseUrl }).systemInfo().catch((e: unknown) => e)) as HarborApiError;
    expect(anonymous).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    expect(anonymous.message).toBe('GET /api/v2.0/systeminfo → HTTP 401 UNAUTHORIZED: UnAuthorized');
  });

  it('registers the admin password and new robot secrets for redaction', async () => {
    const secrets = new SecretRegistry();
    const recorder = new ExchangeRecorder({ secrets });
    const client = new HarborApiClient({ baseUrl, credentials: ADMIN, recorder });
    const robot = await client.createRobot({
      name: 'ci',
      level: 'project',
      duration: -1,
      permissions: [{ kind: 'project', namespace: 'p1', access: [{ resource: 'repository', action: 'pull' }] }],
    });
    expect(robot.secret).toBe(ROBOT_SECRET);
    expect(secrets.size).toBe(2);
    // A later call that carries the secret somewhere unexpected is still redacted.
    await client.request('GET', '/projects/p1', {
      query: { note: ROBOT_SECRET },
      headers: { 'x-request-id': ROBOT_SECRET },
    });
    const evidence = JSON.stringify(recorder.exchanges);
    expect(evidence).not.toContain(ROBOT_SECRET);
    expect(evidence).not.toContain(ADMIN.password);
    expect(JSON.parse(recorder.exchanges[0]!.response!.body!)).toMatchObject({
      name: 'robot$p1+ci',
      secret: '[REDACTED]',
    });
  });

  it('follows Link pagination in listAll', async () => {
    const client = new HarborApiClient({ baseUrl, credentials: ADMIN });
    const logs = await client.listAll<{ id: number }>('/audit-logs', {}, 1);
    expect(logs.map((l) => l.id)).toEqual([1, 2, 3]);
  });
});
