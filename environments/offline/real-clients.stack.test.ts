// Real clients agree: skopeo and the Docker CLI push and pull through the offline stack exactly as
// they do through Harbor (token auth via /service/token, robot accounts, private projects).
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';

const target = inject('target');
const suffix = target.runId.replace(/[^a-z0-9]/g, '').slice(-10);
const project = `realclients-${suffix}`;
const basic = 'Basic ' + Buffer.from(`${target.admin.username}:${target.admin.password}`).toString('base64');

async function api(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${target.url}/api/v2.0${path}`, {
    method,
    headers: { authorization: basic, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

let work: string;
let robot: { name: string; secret: string };
const localImage = `hc-realclients-${suffix}:src`;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'hc-realclients-'));
  const created = await api('POST', '/projects', { project_name: project, metadata: { public: 'false' } });
  expect(created.status, await created.text()).toBe(201);
  const r = await api('POST', '/robots', {
    name: 'ci',
    duration: 1,
    level: 'project',
    permissions: [
      {
        kind: 'project',
        namespace: project,
        access: [
          { resource: 'repository', action: 'pull' },
          { resource: 'repository', action: 'push' },
        ],
      },
    ],
  });
  expect(r.status).toBe(201);
  robot = (await r.json()) as { name: string; secret: string };
  // A one-file image in the local engine, made without pulling anything.
  const rootfs = join(work, 'rootfs');
  await mkdir(rootfs);
  await writeFile(join(rootfs, 'hello.txt'), `hello from ${target.runId}\n`);
  await execa({ cwd: rootfs })`tar -cf ${join(work, 'rootfs.tar')} .`;
  await execa`docker import ${join(work, 'rootfs.tar')} ${localImage}`;
});

afterAll(async () => {
  for (const repo of ['skopeo', 'docker']) await api('DELETE', `/projects/${project}/repositories/${repo}`);
  await api('DELETE', `/projects/${project}`);
  await execa({ reject: false })`docker rmi -f ${localImage} ${target.registryHost}/${project}/docker:v1`;
  if (work) await rm(work, { recursive: true, force: true });
});

describe('skopeo', () => {
  test('a project robot pushes and pulls back the same digest', async () => {
    const dest = `docker://${target.registryHost}/${project}/skopeo:v1`;
    const creds = `${robot.name}:${robot.secret}`;
    await execa`skopeo copy --quiet --dest-tls-verify=false --dest-creds ${creds} docker-daemon:${localImage} ${dest}`;
    const inspected = await execa`skopeo inspect --tls-verify=false --creds ${creds} ${dest}`;
    const digest = (JSON.parse(inspected.stdout) as { Digest: string }).Digest;
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    await execa`skopeo copy --quiet --src-tls-verify=false --src-creds ${creds} ${`docker://${target.registryHost}/${project}/skopeo@${digest}`} ${`dir:${join(work, 'pulled')}`}`;
  });

  test('an anonymous pull from a private project fails the way Harbor fails it', async () => {
    const res = await execa({
      reject: false,
    })`skopeo inspect --tls-verify=false --no-creds ${`docker://${target.registryHost}/${project}/skopeo:v1`}`;
    expect(res.exitCode).not.toBe(0);
    // Harbor's /v2 middleware refuses with UNAUTHORIZED "unauthorized to access repository: <repo>, action: pull…"
    expect(res.stderr).toMatch(/unauthorized|authentication required/i);
  });
});

describe('docker CLI', () => {
  test('login, push, pull and logout against the stack registry address', async () => {
    const env = { DOCKER_CONFIG: join(work, 'docker-config') };
    const ref = `${target.registryHost}/${project}/docker:v1`;
    await execa({
      env,
      input: robot.secret,
    })`docker login ${target.registryHost} --username ${robot.name} --password-stdin`;
    await execa({ env })`docker tag ${localImage} ${ref}`;
    const pushed = await execa({ env })`docker push ${ref}`;
    expect(pushed.stdout).toMatch(/digest: sha256:[0-9a-f]{64}/);
    await execa({ env })`docker rmi ${ref}`;
    const pulled = await execa({ env })`docker pull ${ref}`;
    expect(pulled.stdout).toMatch(/Downloaded newer image|Image is up to date/);
    await execa({ env })`docker logout ${target.registryHost}`;
    const anonymous = await execa({ env, reject: false })`docker pull ${ref}`;
    expect(anonymous.exitCode).not.toBe(0);
    expect(anonymous.stderr).toMatch(/unauthorized|authentication required|denied/i);
  });

  test('a wrong password is refused at login', async () => {
    const env = { DOCKER_CONFIG: join(work, 'docker-config-bad') };
    const res = await execa({
      env,
      input: 'not-the-secret',
      reject: false,
    })`docker login ${target.registryHost} --username ${robot.name} --password-stdin`;
    expect(res.exitCode).not.toBe(0);
    expect(res.stderr).toMatch(/unauthorized|authentication required/i);
  });
});
