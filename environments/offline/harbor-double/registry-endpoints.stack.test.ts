// Registry endpoints of the double against a running stack: /registries CRUD, ping, info, adapters, the health
// status (goharbor/harbor src/server/v2.0/handler/registry.go, src/controller/registry/controller.go@v2.15.2).
import { afterAll, describe, expect, inject, test } from 'vitest';
import { api, json, uniqueName } from './testing/harbor-client.ts';

const target = inject('target');
const peer = target.peers.plainRegistry!;
const harborPeer = target.peers.harbor;
const created: number[] = [];

async function create(body: Record<string, unknown>): Promise<Response> {
  const response = await api(target, 'POST', '/registries', { body });
  if (response.status === 201) created.push(Number(response.headers.get('location')!.split('/').pop()));
  return response;
}

const message = async (response: Response) =>
  ((await response.json()) as { errors: Array<{ code: string; message: string }> }).errors[0];

afterAll(async () => {
  for (const id of created) await api(target, 'DELETE', `/registries/${id}`);
});

describe('registry endpoints', () => {
  test('create checks the endpoint live and stores it healthy; the secret is masked', async () => {
    const name = uniqueName('reg');
    const response = await create({
      name,
      type: 'docker-registry',
      url: `${peer.internalUrl}/`,
      insecure: true,
      credential: { access_key: 'user', access_secret: 'never-shown' },
    });
    expect(response.status, await response.clone().text()).toBe(201);
    const location = response.headers.get('location')!;
    expect(location).toMatch(/^\/api\/v2\.0\/registries\/\d+$/);
    const got = await api(target, 'GET', location.replace('/api/v2.0', ''));
    const text = await got.clone().text();
    expect(text).not.toContain('never-shown');
    const registry = await json<Record<string, unknown>>(got);
    expect(registry).toMatchObject({
      name,
      type: 'docker-registry',
      url: peer.internalUrl,
      status: 'healthy',
      insecure: true,
      credential: { type: 'basic', access_key: 'user', access_secret: '*****' },
    });

    const duplicate = await create({ name, type: 'docker-registry', url: peer.internalUrl });
    expect(duplicate.status).toBe(409);
    expect(await message(duplicate)).toEqual({ code: 'CONFLICT', message: `registry ${name} already exists` });

    const list = await api(target, 'GET', `/registries?q=${encodeURIComponent(`name=${name}`)}`);
    expect(list.headers.get('x-total-count')).toBe('1');
  });

  test('validation: name, URL scheme, an unreachable endpoint, an unknown adapter', async () => {
    const noName = await create({ name: '', type: 'docker-registry', url: peer.internalUrl });
    expect(await message(noName)).toEqual({ code: 'BAD_REQUEST', message: 'name cannot be empty' });
    const ftp = await create({ name: uniqueName('reg'), type: 'docker-registry', url: 'ftp://upstream:5000' });
    expect(await message(ftp)).toEqual({ code: 'BAD_REQUEST', message: 'invalid HTTP scheme: ftp' });
    const closed = await create({ name: uniqueName('reg'), type: 'docker-registry', url: 'http://upstream:5999' });
    expect(closed.status).toBe(400);
    expect(await message(closed)).toEqual({ code: 'BAD_REQUEST', message: 'the registry is unhealthy' });
    const unknown = await create({ name: uniqueName('reg'), type: 'quay-x', url: peer.internalUrl });
    expect(unknown.status).toBe(500);
  });

  test('ping takes flat fields; PUT re-validates; DELETE removes', async () => {
    const ping = await api(target, 'POST', '/registries/ping', {
      body: { type: 'docker-registry', url: peer.internalUrl },
    });
    expect(ping.status).toBe(200);
    const empty = await api(target, 'POST', '/registries/ping', { body: { url: peer.internalUrl } });
    expect(await message(empty)).toEqual({ code: 'BAD_REQUEST', message: 'type or url cannot be empty' });

    const response = await create({ name: uniqueName('reg'), type: 'docker-registry', url: peer.internalUrl });
    const id = Number(response.headers.get('location')!.split('/').pop());
    const put = await api(target, 'PUT', `/registries/${id}`, {
      body: { description: 'changed', url: 'http://upstream:5999' },
    });
    expect(await message(put)).toEqual({ code: 'BAD_REQUEST', message: 'the registry is unhealthy' });
    const fine = await api(target, 'PUT', `/registries/${id}`, {
      body: { description: 'changed', access_key: 'k', access_secret: 's' },
    });
    expect(fine.status).toBe(200);
    const got = await json<{ description: string; credential: Record<string, string> }>(
      await api(target, 'GET', `/registries/${id}`),
    );
    expect(got.description).toBe('changed');
    expect(got.credential).toEqual({ type: 'basic', access_key: 'k', access_secret: '*****' });
    expect((await api(target, 'DELETE', `/registries/${id}`)).status).toBe(200);
    const gone = await api(target, 'GET', `/registries/${id}`);
    expect(await message(gone)).toEqual({ code: 'NOT_FOUND', message: `registry ${id} not found` });
  });

  test('info and adapters; registry 0 is Local and supports event_based', async () => {
    const response = await create({ name: uniqueName('reg'), type: 'docker-registry', url: peer.internalUrl });
    const id = Number(response.headers.get('location')!.split('/').pop());
    expect(await json(await api(target, 'GET', `/registries/${id}/info`))).toEqual({
      type: 'docker-registry',
      description: '',
      supported_resource_filters: [
        { type: 'name', style: 'input' },
        { type: 'tag', style: 'input' },
        { type: 'resource', style: 'radio', values: ['image'] },
      ],
      supported_triggers: ['manual', 'scheduled'],
    });
    const local = await json<{ supported_triggers: string[] }>(await api(target, 'GET', '/registries/0/info'));
    expect(local.supported_triggers).toEqual(['manual', 'scheduled', 'event_based']);
    expect(await json(await api(target, 'GET', '/registries/0'))).toMatchObject({
      id: 0,
      name: 'Local',
      type: 'harbor',
      status: 'healthy',
      credential: { type: 'secret', access_secret: '*****' },
    });
    expect(await json(await api(target, 'GET', '/replication/adapters'))).toEqual(['docker-registry', 'harbor']);
    expect((await api(target, 'GET', '/registries', { creds: undefined })).status).toBe(401);
  });

  test.runIf(harborPeer !== undefined)('a harbor endpoint is checked with its credential', async () => {
    const url = harborPeer!.internalUrl;
    const good = await create({
      name: uniqueName('hb'),
      type: 'harbor',
      url,
      credential: { type: 'basic', access_key: 'admin', access_secret: target.admin.password },
    });
    expect(good.status, await good.clone().text()).toBe(201);
    const bad = await create({
      name: uniqueName('hb'),
      type: 'harbor',
      url,
      credential: { type: 'basic', access_key: 'admin', access_secret: 'wrong-password' },
    });
    expect(await message(bad)).toEqual({ code: 'BAD_REQUEST', message: 'the registry is unhealthy' });
    const id = Number(good.headers.get('location')!.split('/').pop());
    const info = await json<{ supported_resource_filters: Array<{ type: string }>; supported_copy_by_chunk: boolean }>(
      await api(target, 'GET', `/registries/${id}/info`),
    );
    expect(info.supported_resource_filters.map((f) => f.type)).toEqual(['name', 'tag', 'label', 'resource']);
    expect(info.supported_copy_by_chunk).toBe(true);
  });
});
