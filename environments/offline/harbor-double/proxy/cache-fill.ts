// The proxy cache's asynchronous fill (goharbor/harbor src/controller/proxy/manifestcache.go,
// controller.go ProxyManifest/ProxyBlob/EnsureTag, local.go@v2.15.2), after the client got its answer:
// - a blob streamed from the upstream is fetched again and pushed into the local registry;
// - a single-arch manifest waits (up to 10 rounds) until its blobs are local, pushes what is still missing
//   itself, then stores the manifest by digest and by tag;
// - an index is kept in Redis (cache:manifestlist:<repo>:<digest> and :contenttype, 7 days) and, after up to
//   20 rounds waiting for its children, stored trimmed to the children present locally; the trimmed digest
//   is remembered under cache:trimmedmanifestlist:<digest> (no TTL);
// - a HEAD by tag links the tag to the upstream digest once that artifact is local (60 tries).
// Harbor sleeps 20 s per round (sleepIntervalSec) and 10 s per tag try. The double's round is
// HARBOR_DOUBLE_PROXY_CACHE_INTERVAL_MS (default 20000, Harbor's; the offline stack sets a short one so a
// check does not wait minutes): the same conditions, checked on a shorter clock.
import type { Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import type { DoubleServices } from '../double-services.ts';
import { storeManifest } from '../registry/manifest-store.ts';
import { parseManifest, type ManifestInfo } from '../registry/manifest-info.ts';
import { scanOnPush } from '../scan/scan-on-push.ts';
import { findArtifact, findArtifactByDigest, isDigest, markPulled, setTag } from '../store/artifacts.ts';
import type { ProjectRow } from '../store/projects.ts';
import type { FetchedManifest, UpstreamRegistry } from './upstream-registry.ts';

const MAX_MANIFEST_WAIT = 10;
const MAX_MANIFEST_LIST_WAIT = 20;
const ENSURE_TAG_MAX_RETRY = 60;
const MANIFEST_LIST_TTL_SECONDS = 7 * 24 * 60 * 60;
const INDEX_TYPES = new Set([
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
]);

export function roundMs(): number {
  const value = Number(process.env['HARBOR_DOUBLE_PROXY_CACHE_INTERVAL_MS'] ?? 20_000);
  return Number.isFinite(value) && value >= 0 ? value : 20_000;
}

export const manifestListKey = (repository: string, reference: string) =>
  `cache:manifestlist:${repository}:${reference}`;
const trimmedKey = (digest: string) => `cache:trimmedmanifestlist:${digest}`;

/** The cached index for <repo>:<digest>, with its content type (both keys must be there). */
export async function cachedIndex(
  services: DoubleServices,
  repository: string,
  digest: string,
): Promise<{ body: Buffer; contentType: string } | undefined> {
  const key = manifestListKey(repository, digest);
  const [body, contentType] = await Promise.all([
    services.redis.getBuffer(key).catch(() => null),
    services.redis.get(`${key}:contenttype`).catch(() => null),
  ]);
  if (!body || !contentType) return undefined;
  return { body, contentType };
}

/** Removes every proxy-cache key (the selftest's reset between profiles). */
export async function forgetProxyCache(services: DoubleServices): Promise<void> {
  for (const pattern of ['cache:manifestlist:*', 'cache:trimmedmanifestlist:*']) {
    const keys = await services.redis.keys(pattern).catch(() => [] as string[]);
    if (keys.length > 0) await services.redis.del(...keys).catch(() => undefined);
  }
}

export async function localBlobExists(services: DoubleServices, repository: string, digest: string): Promise<boolean> {
  const response = await services.registry.send('HEAD', `/v2/${repository}/blobs/${digest}`);
  await response.body.dump();
  return response.statusCode === 200;
}

/** A monolithic upload into the local registry (local.go PushBlob). */
export async function pushLocalBlob(
  services: DoubleServices,
  repository: string,
  digest: string,
  size: number,
  body: Readable,
): Promise<void> {
  const started = await services.registry.send('POST', `/v2/${repository}/blobs/uploads/`);
  await started.body.dump();
  const location = started.headers['location'];
  if (started.statusCode !== 202 || typeof location !== 'string') {
    body.destroy();
    throw new Error(`local blob upload of ${digest} not started: ${started.statusCode}`);
  }
  const url = new URL(location, services.registry.baseUrl);
  url.searchParams.set('digest', digest);
  const done = await services.registry.send(
    'PUT',
    url.pathname + url.search,
    { 'content-type': 'application/octet-stream', ...(size >= 0 ? { 'content-length': String(size) } : {}) },
    body,
  );
  await done.body.dump();
  if (done.statusCode !== 201) throw new Error(`local blob upload of ${digest} answered ${done.statusCode}`);
}

/** ProxyBlob's background half: fetch the blob again and push it locally. */
export function fillBlob(
  services: DoubleServices,
  upstream: UpstreamRegistry,
  remoteRepository: string,
  repository: string,
  digest: string,
): void {
  if (services.faults.has('proxy-cache-fill-skipped')) return;
  void (async () => {
    if (await localBlobExists(services, repository, digest)) return;
    const { size, body } = await upstream.blob(remoteRepository, digest);
    await pushLocalBlob(services, repository, digest, size, body);
  })().catch((error: unknown) => log(`blob ${repository}@${digest} not cached: ${(error as Error).message}`));
}

export interface ManifestFill {
  services: DoubleServices;
  project: ProjectRow;
  upstream: UpstreamRegistry;
  remoteRepository: string;
  repository: string;
  /** The reference the client asked for. */
  reference: string;
  manifest: FetchedManifest;
}

/** ProxyManifest's background half: push the manifest locally when it is new or moved. */
export function fillManifest(fill: ManifestFill): void {
  if (fill.services.faults.has('proxy-cache-fill-skipped')) return;
  void (async () => {
    const { services, repository, reference, manifest } = fill;
    const local = await findArtifact(services.db, repository, reference);
    if (!isDigest(reference) && local && local.digest === manifest.digest) return;
    const info = parseManifest(manifest.body, manifest.mediaType);
    if (INDEX_TYPES.has(info.manifestMediaType)) await fillIndex(fill);
    else await fillSingle(fill, info);
    const stored = await findArtifact(services.db, repository, reference);
    if (stored) await markPulled(services.db, stored, isDigest(reference) ? undefined : reference);
  })().catch((error: unknown) =>
    log(`manifest ${fill.repository}:${fill.reference} not cached: ${(error as Error).message}`),
  );
}

async function fillSingle(fill: ManifestFill, info: ManifestInfo): Promise<void> {
  const { services, repository, upstream, remoteRepository } = fill;
  const layers = (JSON.parse(fill.manifest.body.toString('utf8')) as { layers?: Array<{ digest: string }> }).layers;
  const blobs = [...(info.config ? [info.config] : []), ...(layers ?? [])];
  let missing = blobs;
  for (let n = 0; n < MAX_MANIFEST_WAIT; n++) {
    await delay(roundMs());
    missing = [];
    for (const blob of blobs) if (!(await localBlobExists(services, repository, blob.digest))) missing.push(blob);
    if (missing.length === 0) break;
  }
  // docker skips layers it already has, so they never pass through the proxy: push them before the manifest
  for (const blob of missing) {
    const { size, body } = await upstream.blob(remoteRepository, blob.digest);
    await pushLocalBlob(services, repository, blob.digest, size, body);
  }
  await store(fill, info.digest, info);
  if (!isDigest(fill.reference)) await store(fill, fill.reference, info);
}

async function fillIndex(fill: ManifestFill): Promise<void> {
  const { services, repository, manifest } = fill;
  const digest = isDigest(fill.reference) ? fill.reference : manifest.digest;
  const key = manifestListKey(repository, digest);
  await services.redis.set(`${key}:contenttype`, manifest.mediaType, 'EX', MANIFEST_LIST_TTL_SECONDS);
  await services.redis.set(key, manifest.body, 'EX', MANIFEST_LIST_TTL_SECONDS);
  const document = JSON.parse(manifest.body.toString('utf8')) as { manifests?: Array<{ digest: string }> };
  const children = document.manifests ?? [];
  let present = children;
  for (let n = 0; n < MAX_MANIFEST_LIST_WAIT; n++) {
    await delay(roundMs());
    present = [];
    for (const child of children)
      if (await findArtifactByDigest(services.db, repository, child.digest)) present.push(child);
    if (present.length === children.length) break;
  }
  if (present.length === 0) throw new Error('manifest list does not contain any pushed manifest');
  const kept = services.faults.has('proxy-index-not-trimmed') ? children : present;
  const trimmed = Buffer.from(JSON.stringify({ ...document, manifests: kept }));
  const trimmedInfo = parseManifest(trimmed, manifest.mediaType);
  await services.redis.set(trimmedKey(digest), trimmedInfo.digest);
  const current = isDigest(fill.reference) ? undefined : await findArtifact(services.db, repository, fill.reference);
  if (current?.digest === trimmedInfo.digest) return;
  await store(fill, isDigest(fill.reference) ? trimmedInfo.digest : fill.reference, trimmedInfo, trimmed);
}

async function store(fill: ManifestFill, reference: string, info: ManifestInfo, body = fill.manifest.body) {
  const result = await storeManifest(
    fill.services,
    fill.project,
    fill.repository,
    reference,
    body,
    fill.manifest.mediaType,
    info,
  );
  if (!result.ok) throw new Error(`local push of ${fill.repository}:${reference} answered ${result.status}`);
  // PUSH_ARTIFACT is fired only when the artifact is created (src/controller/artifact/controller.go@v2.15.2)
  if (result.created)
    // the proxy's local push runs under no user of its own: the scan it triggers names no operator
    scanOnPush(
      fill.services,
      fill.project,
      fill.repository,
      info.digest,
      isDigest(reference) ? undefined : reference,
      '',
    );
}

/** proxyManifestHead's goroutine: link the tag to the upstream digest once that artifact is local. */
export function ensureTagLater(
  services: DoubleServices,
  repository: string,
  tag: string,
  upstreamDigest: string,
): void {
  if (services.faults.has('proxy-cache-fill-skipped')) return;
  void (async () => {
    for (let n = 0; n < ENSURE_TAG_MAX_RETRY; n++) {
      await delay(roundMs() / 2);
      const trimmed = await services.redis.get(trimmedKey(upstreamDigest)).catch(() => null);
      const artifact = await findArtifactByDigest(services.db, repository, trimmed ?? upstreamDigest);
      if (!artifact) continue;
      await setTag(services.db, artifact.repository_id, artifact.id, tag);
      await markPulled(services.db, artifact, tag);
      return;
    }
  })().catch((error: unknown) => log(`tag ${repository}:${tag} not linked: ${(error as Error).message}`));
}

function log(line: string): void {
  process.stdout.write(`harbor-double: proxy cache: ${line}\n`);
}
