// HTTP integration tests of the Harbor double against a running target (inject('target')): the
// behaviour of goharbor/harbor v2.15.x (api/v2.0/swagger.yaml and src/server/), checked through the API, the token service and /v2.
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { api, decodeJwt, json, pushImage, registryToken, uniqueName, type Creds } from './testing/harbor-client.ts';

const target = inject('target');
const created: string[] = [];
const robotsCreated: number[] = [];

async function createProject(isPublic: boolean): Promise<string> {
  const name = uniqueName(isPublic ? 'hd-pub' : 'hd-priv');
  const response = await api(target, 'POST', '/projects', {
    body: { project_name: name, metadata: { public: String(isPublic) } },
  });
  expect(response.status, await response.clone().text()).toBe(201);
  created.push(name);
  return name;
}

async function createRobot(
  body: Record<string, unknown>,
): Promise<{ id: number; name: string; secret: string; expires_at: number }> {
  const response = await api(target, 'POST', '/robots', { body });
  expect(response.status, await response.clone().text()).toBe(201);
  const robot = await json<{ id: number; name: string; secret: string; expires_at: number }>(response);
  robotsCreated.push(robot.id);
  return robot;
}

const projectRobotBody = (project: string, name: string, actions = ['pull', 'push']) => ({
  name,
  duration: 1,
  level: 'project',
  permissions: [
    { kind: 'project', namespace: project, access: actions.map((action) => ({ resource: 'repository', action })) },
  ],
});

afterAll(async () => {
  for (const id of robotsCreated) await api(target, 'DELETE', `/robots/${id}`);
  for (const name of created.reverse()) {
    const repos = await json<Array<{ name: string }>>(
      await api(target, 'GET', `/projects/${name}/repositories?page_size=100`),
    );
    for (const repo of Array.isArray(repos) ? repos : []) {
      await api(
        target,
        'DELETE',
        `/projects/${name}/repositories/${encodeURIComponent(encodeURIComponent(repo.name.slice(name.length + 1)))}`,
      );
    }
    await api(target, 'DELETE', `/projects/${name}`);
  }
});

describe('system endpoints', () => {
  test('ping answers Pong and health is 200 with sorted components', async () => {
    const ping = await fetch(`${target.url}/api/v2.0/ping`);
    expect(await ping.text()).toBe('Pong');
    // as real Harbor v2.15.2 answers (go-openapi negotiation): JSON asked → the JSON string, unknown type → 422
    const asJson = await fetch(`${target.url}/api/v2.0/ping`, { headers: { accept: 'application/json' } });
    expect(asJson.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await asJson.json()).toBe('Pong');
    const asHtml = await fetch(`${target.url}/api/v2.0/ping`, { headers: { accept: 'text/html' } });
    expect(asHtml.status).toBe(422);
    expect((await json<{ errors: Array<{ code: string }> }>(asHtml)).errors[0]?.code).toBe('UNPROCESSABLE_ENTITY');
    const health = await fetch(`${target.url}/api/v2.0/health`);
    expect(health.status).toBe(200);
    const body = await json<{ status: string; components: Array<{ name: string; status: string }> }>(health);
    const names = body.components.map((c) => c.name);
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(
      expect.arrayContaining(['core', 'database', 'jobservice', 'portal', 'redis', 'registry', 'registryctl']),
    );
    expect(body.status).toBe(body.components.every((c) => c.status === 'healthy') ? 'healthy' : 'unhealthy');
  });

  test("ships Harbor's public library project (project 1, owned by admin), as real Harbor v2.15.2's first migration does", async () => {
    const found = await json<
      Array<{ project_id: number; name: string; owner_name: string; metadata: Record<string, string> }>
    >(await api(target, 'GET', '/projects?name=library', { creds: undefined }));
    expect(found.map((p) => [p.project_id, p.name, p.owner_name, p.metadata['public']])).toEqual([
      [1, 'library', 'admin', 'true'],
    ]);
  });

  test('systeminfo hides protected fields from anonymous callers and names the double', async () => {
    const anonymous = await json<Record<string, unknown>>(
      await api(target, 'GET', '/systeminfo', { creds: undefined }),
    );
    expect(anonymous).toHaveProperty('auth_mode', 'db_auth');
    for (const key of [
      'harbor_version',
      'external_url',
      'registry_url',
      'project_creation_restriction',
      'read_only',
      'current_time',
    ]) {
      expect(anonymous).not.toHaveProperty(key);
    }
    const admin = await json<Record<string, unknown>>(await api(target, 'GET', '/systeminfo'));
    expect(String(admin['harbor_version'])).toMatch(/double/);
    expect(admin['registry_url']).toBe(target.registryHost);
  });

  test('configurations: anonymous 401, wrong password falls through to anonymous, validation 400', async () => {
    expect((await api(target, 'GET', '/configurations', { creds: undefined })).status).toBe(401);
    expect(
      (await api(target, 'GET', '/configurations', { creds: { username: 'admin', password: 'wrong' } })).status,
    ).toBe(401);
    const cfg = await json<Record<string, { value: unknown; editable: boolean }>>(
      await api(target, 'GET', '/configurations'),
    );
    expect(cfg['token_expiration']).toEqual({ value: 30, editable: true });
    expect(cfg).not.toHaveProperty('oidc_client_secret');
    const bad = await api(target, 'PUT', '/configurations', { body: { token_expiration: 0 } });
    expect(bad.status).toBe(400);
    expect(await json(bad)).toEqual({
      errors: [{ code: 'BAD_REQUEST', message: 'the token_expiration value must be positive' }],
    });
  });

  test('users/current for the admin, 401 for anonymous', async () => {
    const me = await json<Record<string, unknown>>(await api(target, 'GET', '/users/current'));
    expect(me).toMatchObject({ username: 'admin', sysadmin_flag: true });
    expect((await api(target, 'GET', '/users/current', { creds: undefined })).status).toBe(401);
  });
});

describe('projects', () => {
  test('create answers 201 with Location, duplicates 409, bad names and public values 400', async () => {
    const name = uniqueName('hd-create');
    const first = await api(target, 'POST', '/projects', { body: { project_name: name } });
    expect(first.status).toBe(201);
    created.push(name);
    expect(first.headers.get('location')).toMatch(/^\/api\/v2\.0\/projects\/\d+$/);
    const again = await api(target, 'POST', '/projects', { body: { project_name: name } });
    expect(again.status).toBe(409);
    expect(await json(again)).toEqual({
      errors: [{ code: 'CONFLICT', message: `The project named ${name} already exists` }],
    });
    const upper = await api(target, 'POST', '/projects', { body: { project_name: 'Upper' } });
    expect(await json(upper)).toEqual({
      errors: [{ code: 'BAD_REQUEST', message: 'project name is not in lower case or contains illegal characters' }],
    });
    const pub = await api(target, 'POST', '/projects', {
      body: { project_name: uniqueName('hd-x'), metadata: { public: 'yes' } },
    });
    expect(pub.status).toBe(400);
    const project = await json<{ metadata: Record<string, string>; name: string }>(
      await api(target, 'GET', `/projects/${name}`),
    );
    expect(project.metadata).toEqual({ public: 'false' });
    expect(
      (await api(target, 'POST', '/projects', { creds: undefined, body: { project_name: uniqueName('hd-anon') } }))
        .status,
    ).toBe(401);
  });

  test('HEAD ?project_name= is 200 for an existing project, 404 otherwise', async () => {
    const name = await createProject(false);
    expect((await api(target, 'HEAD', `/projects?project_name=${name}`)).status).toBe(200);
    expect((await api(target, 'HEAD', `/projects?project_name=${name}-missing`)).status).toBe(404);
  });

  test('anonymous callers list public projects only; a private one is 401 for them', async () => {
    const priv = await createProject(false);
    const pub = await createProject(true);
    const listed = await api(target, 'GET', '/projects?page_size=100', { creds: undefined });
    const names = (await json<Array<{ name: string }>>(listed)).map((p) => p.name);
    expect(names).toContain(pub);
    expect(names).not.toContain(priv);
    const none = await api(target, 'GET', '/projects?public=false', { creds: undefined });
    expect(await json(none)).toEqual([]);
    expect(none.headers.get('x-total-count')).toBe('0');
    expect((await api(target, 'GET', `/projects/${priv}`, { creds: undefined })).status).toBe(401);
    expect((await api(target, 'GET', `/projects/${pub}`, { creds: undefined })).status).toBe(200);
  });

  test('pagination: X-Total-Count counts all, page_size limits, Link points to the next page', async () => {
    await createProject(false);
    await createProject(false);
    const page = await api(target, 'GET', '/projects?page=1&page_size=1');
    expect(await json<unknown[]>(page)).toHaveLength(1);
    expect(Number(page.headers.get('x-total-count'))).toBeGreaterThanOrEqual(2);
    expect(page.headers.get('link')).toMatch(/page=2&page_size=1>; rel="next"/);
  });

  test('metadata update merges; delete refuses a project with repositories (412)', async () => {
    const name = await createProject(false);
    expect((await api(target, 'PUT', `/projects/${name}`, { body: { metadata: { auto_scan: 'true' } } })).status).toBe(
      200,
    );
    const project = await json<{ metadata: Record<string, string> }>(await api(target, 'GET', `/projects/${name}`));
    expect(project.metadata).toEqual({ public: 'false', auto_scan: 'true' });
    await pushImage(target, `${name}/app`, 'v1', target.admin);
    const refused = await api(target, 'DELETE', `/projects/${name}`);
    expect(refused.status).toBe(412);
  });
});

describe('robot accounts', () => {
  test('a project robot is named robot$<project>+<name>, its secret shown once, duplicates 409', async () => {
    const project = await createProject(false);
    const robot = await createRobot(projectRobotBody(project, 'ci'));
    expect(robot.name).toBe(`robot$${project}+ci`);
    expect(robot.secret).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(robot.expires_at).toBeGreaterThan(Date.now() / 1000 + 86_000);
    const read = await json<Record<string, unknown>>(await api(target, 'GET', `/robots/${robot.id}`));
    expect(read).not.toHaveProperty('secret');
    const dup = await api(target, 'POST', '/robots', { body: projectRobotBody(project, 'ci') });
    expect(dup.status).toBe(409);
    expect((await json<{ errors: Array<{ message: string }> }>(dup)).errors[0]!.message).toMatch(
      new RegExp(`^robot account \\d+:${project}\\+ci already exists$`),
    );
  });

  test('invalid duration, level and permissions are 400 with Harbor messages', async () => {
    const project = await createProject(false);
    const zero = await api(target, 'POST', '/robots', { body: { ...projectRobotBody(project, 'z'), duration: 0 } });
    expect((await json<{ errors: Array<{ message: string }> }>(zero)).errors[0]!.message).toBe(
      'bad request error duration input: 0, duration must be either -1(Never) or a positive integer',
    );
    const perm = await api(target, 'POST', '/robots', { body: projectRobotBody(project, 'y', ['scanner-pull']) });
    expect((await json<{ errors: Array<{ message: string }> }>(perm)).errors[0]!.message).toBe(
      'bad request permission: repository:scanner-pull',
    );
  });

  test('a system robot is named robot$<name> and never expires with duration -1', async () => {
    const name = uniqueName('sys');
    const robot = await createRobot({
      name,
      duration: -1,
      level: 'system',
      permissions: [{ kind: 'system', namespace: '/', access: [{ resource: 'catalog', action: 'read' }] }],
    });
    expect(robot.name).toBe(`robot$${name}`);
    expect(robot.expires_at).toBe(-1);
    const catalog = await fetch(`${target.url}/v2/_catalog`, {
      headers: { authorization: 'Basic ' + Buffer.from(`${robot.name}:${robot.secret}`).toString('base64') },
    });
    expect(catalog.status).toBe(200);
  });

  test('a disabled robot silently becomes anonymous; a refreshed secret replaces the old one', async () => {
    const project = await createProject(false);
    const robot = await createRobot(projectRobotBody(project, 'rot'));
    const creds: Creds = { username: robot.name, password: robot.secret };
    const granted = async (c: Creds) => {
      const token = await registryToken(target, `repository:${project}/app:pull`, c);
      return (decodeJwt(token).payload['access'] as Array<{ actions: string[] }>)[0]!.actions.sort();
    };
    expect(await granted(creds)).toEqual(['pull', 'push']);
    const current = await json<Record<string, unknown>>(await api(target, 'GET', `/robots/${robot.id}`));
    expect((await api(target, 'PUT', `/robots/${robot.id}`, { body: { ...current, disable: true } })).status).toBe(200);
    // No 401 from the token service for a scoped request: the robot is just anonymous now.
    expect(await granted(creds)).toEqual([]);
    const login = await fetch(`${target.url}/service/token?service=harbor-registry`, {
      headers: { authorization: 'Basic ' + Buffer.from(`${robot.name}:${robot.secret}`).toString('base64') },
    });
    expect(login.status).toBe(401);
    expect((await api(target, 'PUT', `/robots/${robot.id}`, { body: { ...current, disable: false } })).status).toBe(
      200,
    );
    expect(await granted(creds)).toEqual(['pull', 'push']);
    const refreshed = await api(target, 'PATCH', `/robots/${robot.id}`, { body: { secret: 'new_secret_At_321' } });
    expect(await json(refreshed)).toEqual({ secret: '' });
    expect(await granted(creds)).toEqual([]);
    expect(await granted({ username: robot.name, password: 'new_secret_At_321' })).toEqual(['pull', 'push']);
  });
});

describe('token service', () => {
  test('anonymous docker login probe gets 401 with an empty body', async () => {
    const response = await fetch(`${target.url}/service/token?service=harbor-registry`);
    expect(response.status).toBe(401);
    expect(await response.text()).toBe('');
    expect((await fetch(`${target.url}/service/token?service=other`)).status).toBe(400);
  });

  test('claims: RS256 with kid, harbor-token-issuer, string aud, granted = everything allowed', async () => {
    const project = await createProject(false);
    const token = await registryToken(target, `repository:${project}/app:pull`, target.admin);
    const { header, payload } = decodeJwt(token);
    expect(header).toMatchObject({ alg: 'RS256' });
    expect(String(header['kid'])).toMatch(/^([A-Z2-7]{4}:){11}[A-Z2-7]{4}$/);
    expect(payload).toMatchObject({ iss: 'harbor-token-issuer', aud: 'harbor-registry', sub: 'admin' });
    expect(Number(payload['exp']) - Number(payload['iat'])).toBe(1800);
    const access = payload['access'] as Array<{ name: string; actions: string[] }>;
    expect(access[0]!.actions.sort()).toEqual(['delete', 'pull', 'push']);
    const anonymous = decodeJwt(
      await registryToken(target, `repository:${project}/app:pull repository:nope-${project}/x:pull`, undefined),
    );
    expect(anonymous.payload['sub']).toBe('');
    expect((anonymous.payload['access'] as Array<{ actions: string[] }>).map((a) => a.actions)).toEqual([[], []]);
  });
});

describe('/v2 proxy', () => {
  test("unauthenticated HEAD gets Harbor's bearer challenge with the request host and scope", async () => {
    const project = await createProject(true);
    const response = await fetch(`${target.url}/v2/${project}/app/manifests/v1`, { method: 'HEAD' });
    expect(response.status).toBe(401);
    expect(response.headers.get('docker-distribution-api-version')).toBe('registry/2.0');
    expect(response.headers.get('www-authenticate')).toBe(
      `Bearer realm="${new URL(target.url).protocol}//${target.registryHost}/service/token",service="harbor-registry",scope="repository:${project}/app:pull"`,
    );
  });

  test('push with a project robot, artifact recorded with digest, size, tag; anonymous pull refused', async () => {
    const project = await createProject(false);
    const robot = await createRobot(projectRobotBody(project, 'pusher'));
    const pushed = await pushImage(target, `${project}/app`, 'v1', { username: robot.name, password: robot.secret });
    const artifact = await json<Record<string, unknown>>(
      await api(target, 'GET', `/projects/${project}/repositories/app/artifacts/v1`),
    );
    expect(artifact).toMatchObject({
      digest: pushed.digest,
      size: pushed.size,
      type: 'IMAGE',
      manifest_media_type: 'application/vnd.oci.image.manifest.v1+json',
      repository_name: `${project}/app`,
    });
    expect((artifact['tags'] as Array<{ name: string }>).map((t) => t.name)).toEqual(['v1']);
    const anonymousToken = await registryToken(target, `repository:${project}/app:pull`, undefined);
    const pull = await fetch(`${target.url}/v2/${project}/app/manifests/v1`, {
      headers: { authorization: `Bearer ${anonymousToken}`, accept: 'application/vnd.oci.image.manifest.v1+json' },
    });
    expect(pull.status).toBe(401);
    expect(await json(pull)).toEqual({
      errors: [
        {
          code: 'UNAUTHORIZED',
          message: `unauthorized to access repository: ${project}/app, action: pull: unauthorized to access repository: ${project}/app, action: pull`,
        },
      ],
    });
    const robotToken = await registryToken(target, `repository:${project}/app:pull`, {
      username: robot.name,
      password: robot.secret,
    });
    const ok = await fetch(`${target.url}/v2/${project}/app/manifests/v1`, {
      headers: { authorization: `Bearer ${robotToken}`, accept: 'application/vnd.oci.image.manifest.v1+json' },
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('docker-content-digest')).toBe(pushed.digest);
  });

  test('anonymous pulls from a public project; a robot of another project cannot push there', async () => {
    const pub = await createProject(true);
    const other = await createProject(false);
    await pushImage(target, `${pub}/app`, 'v1', target.admin);
    const anonymousToken = await registryToken(target, `repository:${pub}/app:pull`, undefined);
    const pull = await fetch(`${target.url}/v2/${pub}/app/manifests/v1`, {
      headers: { authorization: `Bearer ${anonymousToken}`, accept: 'application/vnd.oci.image.manifest.v1+json' },
    });
    expect(pull.status).toBe(200);
    const robot = await createRobot(projectRobotBody(other, 'outsider'));
    await expect(
      pushImage(target, `${pub}/app`, 'v2', { username: robot.name, password: robot.secret }),
    ).rejects.toThrow(/401/);
  });

  test('a token issued before the project was re-created is rejected', async () => {
    const name = uniqueName('hd-recreate');
    expect((await api(target, 'POST', '/projects', { body: { project_name: name } })).status).toBe(201);
    const token = await registryToken(target, `repository:${name}/app:pull`, target.admin);
    expect((await api(target, 'DELETE', `/projects/${name}`)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1100)); // creation times are compared in whole seconds
    expect((await api(target, 'POST', '/projects', { body: { project_name: name } })).status).toBe(201);
    created.push(name);
    const response = await fetch(`${target.url}/v2/${name}/app/tags/list`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(401);
  });

  test('an unknown project is refused with 401', async () => {
    const token = await registryToken(target, 'repository:no-such-project-xyz/app:pull', target.admin);
    const response = await fetch(`${target.url}/v2/no-such-project-xyz/app/manifests/v1`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(401);
    expect(await response.text()).toMatch(/project no-such-project-xyz not found/);
  });

  test('_catalog needs catalog:read: admin 200, anonymous 401 with Basic realm', async () => {
    const anonymous = await fetch(`${target.url}/v2/_catalog`);
    if (target.faultProfile === 'anonymous-catalog-leak') {
      expect(anonymous.status).toBe(200);
      return;
    }
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Basic realm="harbor"');
    const admin = await fetch(`${target.url}/v2/_catalog`, {
      headers: {
        authorization: 'Basic ' + Buffer.from(`${target.admin.username}:${target.admin.password}`).toString('base64'),
      },
    });
    expect(admin.status).toBe(200);
    expect(await json(admin)).toHaveProperty('repositories');
  });
});

describe('repositories, artifacts, tags, deletion and audit', () => {
  let project: string;
  let digest: string;
  beforeAll(async () => {
    project = await createProject(false);
    digest = (await pushImage(target, `${project}/team/app`, 'v1', target.admin)).digest;
  });

  test('listings show what was pushed', async () => {
    const repos = await json<Array<{ name: string; artifact_count: number }>>(
      await api(target, 'GET', `/projects/${project}/repositories`),
    );
    expect(repos).toEqual([expect.objectContaining({ name: `${project}/team/app`, artifact_count: 1 })]);
    const encoded = encodeURIComponent(encodeURIComponent('team/app'));
    const artifacts = await api(target, 'GET', `/projects/${project}/repositories/${encoded}/artifacts`);
    expect(artifacts.headers.get('x-total-count')).toBe('1');
    expect((await json<Array<{ digest: string }>>(artifacts))[0]!.digest).toBe(digest);
    const tags = await json<Array<{ name: string }>>(
      await api(target, 'GET', `/projects/${project}/repositories/${encoded}/artifacts/${digest}/tags`),
    );
    expect(tags.map((t) => t.name)).toEqual(['v1']);
  });

  test('deleting the artifact removes it from the registry too, and audit logs record it', async () => {
    const encoded = encodeURIComponent(encodeURIComponent('team/app'));
    expect(
      (await api(target, 'DELETE', `/projects/${project}/repositories/${encoded}/artifacts/${digest}`)).status,
    ).toBe(200);
    expect((await api(target, 'GET', `/projects/${project}/repositories/${encoded}/artifacts/${digest}`)).status).toBe(
      404,
    );
    const token = await registryToken(target, `repository:${project}/team/app:pull`, target.admin);
    const gone = await fetch(`${target.url}/v2/${project}/team/app/manifests/${digest}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(gone.status).toBe(404);
    const logs = await json<Array<{ operation: string; resource_type: string; resource: string }>>(
      await api(target, 'GET', `/projects/${project}/auditlog-exts?page_size=100`),
    );
    expect(logs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ operation: 'create', resource_type: 'project', resource: project }),
        expect.objectContaining({ operation: 'create', resource_type: 'artifact', resource: `${project}/team/app:v1` }),
        expect.objectContaining({
          operation: 'delete',
          resource_type: 'artifact',
          resource: `${project}/team/app@${digest}`,
        }),
      ]),
    );
    expect((await api(target, 'GET', '/auditlog-exts', { creds: undefined })).status).toBe(401);
  });
});

describe('restart', () => {
  test('a restarted core keeps projects, robots and artifacts', async (context) => {
    const core = target.faults?.containers.core;
    if (!core) context.skip();
    const project = await createProject(false);
    const robot = await createRobot(projectRobotBody(project, 'survivor'));
    const pushed = await pushImage(target, `${project}/app`, 'v1', { username: robot.name, password: robot.secret });
    await execa`docker restart ${core!}`;
    const deadline = Date.now() + 60_000;
    let last = 'no answer';
    for (;;) {
      try {
        const ping = await fetch(`${target.url}/api/v2.0/ping`);
        last = `${ping.status}`;
        if (ping.status === 200) break;
      } catch (error) {
        last = (error as Error).message;
      }
      if (Date.now() > deadline) throw new Error(`core did not answer after restart: ${last}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const artifact = await json<{ digest: string }>(
      await api(target, 'GET', `/projects/${project}/repositories/app/artifacts/v1`),
    );
    expect(artifact.digest).toBe(pushed.digest);
    // The robot still authenticates with the same secret after the restart.
    const token = await registryToken(target, `repository:${project}/app:pull`, {
      username: robot.name,
      password: robot.secret,
    });
    const pull = await fetch(`${target.url}/v2/${project}/app/manifests/v1`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/vnd.oci.image.manifest.v1+json' },
    });
    expect(pull.status).toBe(200);
    expect(pull.headers.get('docker-content-digest')).toBe(pushed.digest);
  });
});
