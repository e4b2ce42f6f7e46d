// The OCI client against real distribution (Debian docker-registry) in token and htpasswd modes, and
// against a small Harbor-like fake for behaviours distribution 2.8 does not have (Basic challenge after a
// stale bearer, tags pagination, referrers).
import { generateKeyPairSync } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExchangeRecorder } from '../http-exchange.ts';
import { SecretRegistry } from '../redact.ts';
import { sha256Digest } from './digest.ts';
import {
  type StartedLocalRegistry,
  hasDockerRegistryBinary,
  selfSignedCertificate,
  startLocalRegistry,
} from './local-registry.ts';
import { OCI_INDEX, OCI_MANIFEST } from './media-types.ts';
import { RegistryClient, nextLink } from './registry-client.ts';
import { RegistryError } from './registry-error.ts';
import { type StartedTokenServer, libtrustKeyId, startTokenServer } from './token-server.ts';

const ADMIN = { username: 'admin', password: 'Harbor12345-token-test' };
const emptyConfig = Buffer.from('{}');
const manifestFor = (configDigest: string) =>
  Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: 2 },
      layers: [],
    }),
  );

describe.skipIf(!hasDockerRegistryBinary())('RegistryClient against distribution with token auth', () => {
  let tokens: StartedTokenServer;
  let registry: StartedLocalRegistry;

  beforeAll(async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    tokens = await startTokenServer({ privateKey, users: { [ADMIN.username]: ADMIN.password }, anonymousPull: true });
    const cert = selfSignedCertificate(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    registry = await startLocalRegistry({
      auth: {
        kind: 'token',
        realm: tokens.realm,
        service: tokens.service,
        issuer: tokens.issuer,
        rootCertBundle: cert,
      },
    });
  });
  afterAll(async () => {
    await registry?.stop();
    await tokens?.stop();
  });

  it('pings: 401 with a bearer challenge and the API version header', async () => {
    const ping = await new RegistryClient({ baseUrl: registry.url }).ping();
    expect(ping.status).toBe(401);
    expect(ping.apiVersion).toBe('registry/2.0');
    expect(ping.wwwAuthenticate).toContain(`realm="${tokens.realm}"`);
  });

  it('fetches a token per scope on the challenge, caches it, and pushes and pulls', async () => {
    const secrets = new SecretRegistry().add(ADMIN.password);
    const recorder = new ExchangeRecorder({ secrets });
    const client = new RegistryClient({ baseUrl: registry.url, credentials: ADMIN, recorder });
    const before = tokens.requests.length;
    await client.uploadBlob('team/app', emptyConfig);
    const manifest = manifestFor(sha256Digest(emptyConfig));
    const pushed = await client.putManifest('team/app', 'v1', { mediaType: OCI_MANIFEST, bytes: manifest });
    expect(pushed.digest).toBe(sha256Digest(manifest));
    const fetched = await client.getManifest('team/app', 'v1');
    expect(fetched.digest).toBe(pushed.digest);
    expect(fetched.mediaType).toBe(OCI_MANIFEST);
    const issued = tokens.requests.slice(before);
    // One token for push (first challenged, then cached for the PUTs), one for pull.
    expect(issued.map((r) => r.scopes.join(' '))).toEqual([
      'repository:team/app:pull,push',
      'repository:team/app:pull',
    ]);
    expect(issued.every((r) => r.user === 'admin' && r.service === tokens.service)).toBe(true);
    // Only the first request was challenged (and retried once); once the realm is known the client asks
    // for the token up front, so the pull went straight through.
    const statuses = recorder.exchanges.filter((e) => e.url.startsWith(registry.url)).map((e) => e.response?.status);
    expect(statuses).toEqual([401, 202, 201, 201, 200]);
    const evidence = JSON.stringify(recorder.exchanges);
    expect(evidence).not.toContain(ADMIN.password);
    expect(evidence).toContain('Bearer [REDACTED]');
    expect(evidence).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./);
  });

  it('asks for both repositories’ scopes on a cross-repository mount', async () => {
    const client = new RegistryClient({ baseUrl: registry.url, credentials: ADMIN });
    const blob = Buffer.from('mount me');
    await client.uploadBlob('team/source', blob);
    const before = tokens.requests.length;
    expect(await client.mountBlob('team/target', sha256Digest(blob), 'team/source')).toBe(true);
    expect(tokens.requests.slice(before).map((r) => r.scopes.sort().join(' '))).toEqual([
      'repository:team/source:pull repository:team/target:pull,push',
    ]);
    expect(await client.headBlob('team/target', sha256Digest(blob))).toMatchObject({ size: blob.byteLength });
    expect(await client.mountBlob('team/target', sha256Digest(Buffer.from('absent')), 'team/source')).toBe(false);
  });

  it('anonymous clients get pull-only tokens: pushing fails with the registry’s code', async () => {
    const anonymous = new RegistryClient({ baseUrl: registry.url });
    expect((await anonymous.getManifest('team/app', 'v1')).mediaType).toBe(OCI_MANIFEST);
    const error = await anonymous.uploadBlob('team/app', Buffer.from('nope')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect(error).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    expect((error as Error).message).toMatch(/HTTP 401 UNAUTHORIZED/);
  });

  it('reports manifest errors with status, code and message', async () => {
    const client = new RegistryClient({ baseUrl: registry.url, credentials: ADMIN });
    const error = (await client.getManifest('team/app', 'no-such-tag').catch((e: unknown) => e)) as RegistryError;
    expect(error).toBeInstanceOf(RegistryError);
    expect(error.status).toBe(404);
    expect(error.code).toBe('MANIFEST_UNKNOWN');
    expect(error.registryMessage).toMatch(/manifest unknown/);
    expect(await client.headManifest('team/app', 'no-such-tag')).toBeUndefined();
  });

  it('accepts a ready Authorization header, as Harbor gives one to a scanner', async () => {
    const admin = new RegistryClient({ baseUrl: registry.url, credentials: ADMIN });
    const issued = await admin.tokenFor(['repository:team/app:pull']);
    const withBearer = new RegistryClient({ baseUrl: registry.url, authorization: `Bearer ${issued.token}` });
    expect((await withBearer.getManifest('team/app', 'v1')).mediaType).toBe(OCI_MANIFEST);
    // The bearer is never refreshed: outside its scope the 401 is the answer.
    await expect(withBearer.getManifest('team/other', 'v1')).rejects.toMatchObject({ status: 401 });
    const basic = `Basic ${Buffer.from(`${ADMIN.username}:${ADMIN.password}`).toString('base64')}`;
    const withBasic = new RegistryClient({ baseUrl: registry.url, authorization: basic });
    await withBasic.uploadBlob('team/scanner', Buffer.from('pushed with a basic header'));
  });

  it('computes the libtrust key id format distribution expects', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(libtrustKeyId(privateKey)).toMatch(/^([A-Z2-7]{4}:){11}[A-Z2-7]{4}$/);
  });
});

describe.skipIf(!hasDockerRegistryBinary())('RegistryClient against distribution with htpasswd (Basic)', () => {
  let registry: StartedLocalRegistry;
  beforeAll(async () => {
    registry = await startLocalRegistry({ auth: { kind: 'htpasswd', users: { [ADMIN.username]: ADMIN.password } } });
  });
  afterAll(async () => registry?.stop());

  it('answers the Basic challenge with the credentials and keeps using them', async () => {
    const recorder = new ExchangeRecorder();
    const client = new RegistryClient({ baseUrl: registry.url, credentials: ADMIN, recorder });
    await client.uploadBlob('basic/app', Buffer.from('basic'));
    expect(recorder.exchanges.map((e) => e.response?.status)).toEqual([401, 202, 201]);
    expect(recorder.exchanges[1]!.request.headers.authorization).toBe('Basic [REDACTED]');
    const wrong = new RegistryClient({ baseUrl: registry.url, credentials: { username: 'admin', password: 'wrong' } });
    await expect(wrong.headBlob('basic/app', sha256Digest(Buffer.from('basic')))).rejects.toMatchObject({
      status: 401,
    });
  });
});

/** A Harbor-like fake: Bearer challenge without a header, Basic challenge with one (as Harbor's core does). */
function harborLikeFake() {
  const tokenRequests: string[][] = [];
  let validToken = 'token-1';
  const tags = ['a', 'b', 'c', 'd', 'e'];
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const host = req.headers.host;
    if (url.pathname === '/service/token') {
      tokenRequests.push(url.searchParams.getAll('scope'));
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ token: validToken, expires_in: 1800 }));
      return;
    }
    const auth = req.headers.authorization;
    if (auth !== `Bearer ${validToken}`) {
      const challenge = auth
        ? 'Basic realm="harbor"'
        : `Bearer realm="http://${host}/service/token",service="harbor-registry",scope="repository:p/r:pull"`;
      res
        .writeHead(401, {
          'www-authenticate': challenge,
          'docker-distribution-api-version': 'registry/2.0',
          'content-type': 'application/json',
        })
        .end(
          JSON.stringify({
            errors: [
              {
                code: 'UNAUTHORIZED',
                message:
                  'unauthorized to access repository: p/r, action: pull: unauthorized to access repository: p/r, action: pull',
              },
            ],
          }),
        );
      return;
    }
    if (url.pathname === '/v2/p/r/tags/list') {
      const n = Number(url.searchParams.get('n') ?? 100);
      const last = url.searchParams.get('last');
      const start = last ? tags.indexOf(last) + 1 : 0;
      const page = tags.slice(start, start + n);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (start + n < tags.length) headers.link = `</v2/p/r/tags/list?last=${page.at(-1)}&n=${n}>; rel="next"`;
      res.writeHead(200, headers).end(JSON.stringify({ name: 'p/r', tags: page }));
      return;
    }
    if (url.pathname.startsWith('/v2/p/r/referrers/')) {
      const filtered = url.searchParams.get('artifactType');
      res
        .writeHead(200, { 'content-type': OCI_INDEX, ...(filtered ? { 'oci-filters-applied': 'artifactType' } : {}) })
        .end(
          JSON.stringify({
            schemaVersion: 2,
            mediaType: OCI_INDEX,
            manifests: [
              {
                mediaType: OCI_MANIFEST,
                digest: `sha256:${'1'.repeat(64)}`,
                size: 10,
                artifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json',
              },
            ],
          }),
        );
      return;
    }
    res
      .writeHead(404, { 'content-type': 'application/json' })
      .end(JSON.stringify({ errors: [{ code: 'NOT_FOUND', message: 'nope' }] }));
  };
  return {
    tokenRequests,
    rotate: () => {
      validToken = `token-${Number(validToken.split('-')[1]) + 1}`;
    },
    handler,
  };
}

describe('RegistryClient against a Harbor-like challenge', () => {
  const fake = harborLikeFake();
  const server = createServer(fake.handler);
  let baseUrl = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));

  it('follows Link pagination for tags', async () => {
    const client = new RegistryClient({ baseUrl, credentials: ADMIN });
    expect(await client.listTags('p/r', { pageSize: 2 })).toEqual(['a', 'b', 'c', 'd', 'e']);
    const first = await client.listTagsPage('p/r', { n: 2 });
    expect(first).toEqual({ name: 'p/r', tags: ['a', 'b'], next: `${baseUrl}/v2/p/r/tags/list?last=b&n=2` });
    expect(nextLink('</v2/x?last=z&n=1>; rel="next"', 'http://h:1/v2/x')).toBe('http://h:1/v2/x?last=z&n=1');
  });

  it('reads the referrers index and the filters applied', async () => {
    const client = new RegistryClient({ baseUrl });
    const referrers = await client.getReferrers('p/r', `sha256:${'0'.repeat(64)}`, {
      artifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json',
    });
    expect(referrers.filtersApplied).toEqual(['artifactType']);
    expect(referrers.index.manifests).toHaveLength(1);
  });

  it('gets a fresh token when a stale bearer meets Harbor’s Basic challenge, retrying only once', async () => {
    const client = new RegistryClient({ baseUrl, credentials: ADMIN });
    await client.listTagsPage('p/r', { n: 1 });
    const before = fake.tokenRequests.length;
    fake.rotate(); // the cached token is now rejected, and Harbor answers `Basic realm="harbor"`
    // The client has credentials, so it falls back to Basic — which this fake refuses: one retry, then the error.
    const error = (await client.listTagsPage('p/r', { n: 1 }).catch((e: unknown) => e)) as RegistryError;
    expect(error).toBeInstanceOf(RegistryError);
    expect(error.status).toBe(401);
    expect(error.registryMessage).toContain('unauthorized to access repository: p/r, action: pull');
    // An anonymous client cannot use Basic: it fetches a fresh token instead and succeeds.
    const anonymous = new RegistryClient({ baseUrl });
    fake.rotate();
    await anonymous.listTagsPage('p/r', { n: 1 });
    fake.rotate();
    expect((await anonymous.listTagsPage('p/r', { n: 1 })).tags).toEqual(['a']);
    expect(fake.tokenRequests.length - before).toBe(2);
  });
});
