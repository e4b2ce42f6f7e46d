// The image transfer of a replication task (goharbor/harbor src/controller/replication/transfer/image/transfer.go
// @v2.15.2), calling the destination exactly as Harbor does:
// 1. pull the source manifest; `HEAD /v2/<dst>/manifests/<ref>` (the 6 manifest media types in Accept): the same
//    digest → skip ("already exists"); another digest and override=false → skip with a warning (still a success);
// 2. every reference: child manifests of an index copied recursively by digest (override forced), foreign layers
//    skipped, blobs `HEAD /v2/<dst>/blobs/<digest>` (200: skip) else `POST /v2/<dst>/blobs/uploads/` with
//    Content-Length 0 and a monolithic `PUT <Location>?digest=` (5 tries, back-off 2 s doubling); no cross-repo mount;
// 3. `PUT /v2/<dst>/manifests/<ref>` with the source's media type.
// Deletion: `HEAD manifests/<ref>`, then `DELETE manifests/<digest>`.
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { ActiveFaults } from '../faults/fault-profiles.ts';
import type { RemoteRegistryClient } from './remote-registry-client.ts';
import { MANIFEST_ACCEPT, RemoteRegistryError } from './remote-registry-client.ts';

const MANIFEST_TYPES = new Set(MANIFEST_ACCEPT.split(', '));
const FOREIGN_LAYER = 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip';
const BLOB_TRIES = 5;

export interface PulledManifest {
  bytes: Buffer;
  mediaType: string;
  digest: string;
}

/** Where a task reads from: the local registry (by digest) or a remote one. */
export interface ArtifactSource {
  getManifest(repository: string, reference: string): Promise<PulledManifest>;
  openBlob(repository: string, digest: string): Promise<{ body: Readable; size: number }>;
}

export interface TransferLog {
  info(line: string): void;
  warn(line: string): void;
  error(line: string): void;
}

interface Descriptor {
  mediaType?: string;
  digest: string;
  size?: number;
}

/** distribution's Manifest.References(): config and layers, or an index's manifests (never `subject`). */
export function manifestReferences(manifest: PulledManifest): Descriptor[] {
  const doc = JSON.parse(manifest.bytes.toString('utf8')) as {
    config?: Descriptor;
    layers?: Descriptor[];
    manifests?: Descriptor[];
    fsLayers?: Array<{ blobSum: string }>;
  };
  if (doc.manifests)
    return doc.manifests.map((m) => ({ ...m, mediaType: m.mediaType ?? 'application/vnd.oci.image.manifest.v1+json' }));
  if (doc.fsLayers) return doc.fsLayers.map((l) => ({ digest: l.blobSum }));
  return [...(doc.config ? [doc.config] : []), ...(doc.layers ?? [])];
}

export const sha256 = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

async function manifestDigestOn(
  dst: RemoteRegistryClient,
  repository: string,
  reference: string,
): Promise<string | undefined> {
  const response = await dst.send('HEAD', `/v2/${repository}/manifests/${reference}`, { accept: MANIFEST_ACCEPT });
  await response.body.dump();
  if (response.statusCode === 404) return undefined;
  if (response.statusCode < 200 || response.statusCode >= 300)
    throw new RemoteRegistryError(`http status code: ${response.statusCode}, body: `, response.statusCode);
  return String(response.headers['docker-content-digest'] ?? '');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class ArtifactTransfer {
  private readonly src: ArtifactSource;
  private readonly dst: RemoteRegistryClient;
  private readonly log: TransferLog;
  private readonly faults: ActiveFaults;
  private readonly options: { blobBackoffMs?: number };

  constructor(
    src: ArtifactSource,
    dst: RemoteRegistryClient,
    log: TransferLog,
    faults: ActiveFaults,
    options: { blobBackoffMs?: number } = {},
  ) {
    this.src = src;
    this.dst = dst;
    this.log = log;
    this.faults = faults;
    this.options = options;
  }

  /** Copies every reference (tag or digest) of one repository; any failure fails the whole task, after the rest ran. */
  async copy(srcRepo: string, srcRefs: string[], dstRepo: string, dstRefs: string[], override: boolean): Promise<void> {
    this.log.info(
      `copying ${srcRepo}:[${srcRefs.join(',')}](source registry) to ${dstRepo}:[${dstRefs.join(',')}](destination registry)...`,
    );
    let failed = false;
    for (let i = 0; i < srcRefs.length; i++) {
      try {
        await this.copyArtifact(srcRepo, srcRefs[i]!, dstRepo, dstRefs[i]!, override);
      } catch (error) {
        this.log.error((error as Error).message);
        failed = true;
      }
    }
    if (failed) {
      if (this.faults.has('replication-partial-copy-reported-success')) {
        this.log.info(`copy ${srcRepo}(source registry) to ${dstRepo}(destination registry) completed`);
        return;
      }
      const message = 'got error during the whole transfer period, mark the job failure';
      this.log.error(message);
      throw new Error(message);
    }
    this.log.info(
      `copy ${srcRepo}:[${srcRefs.join(',')}](source registry) to ${dstRepo}:[${dstRefs.join(',')}](destination registry) completed`,
    );
  }

  async copyArtifact(
    srcRepo: string,
    srcRef: string,
    dstRepo: string,
    dstRef: string,
    override: boolean,
  ): Promise<void> {
    this.log.info(`copying ${srcRepo}:${srcRef}(source registry) to ${dstRepo}:${dstRef}(destination registry)...`);
    const manifest = await this.src.getManifest(srcRepo, srcRef);
    const existing = await manifestDigestOn(this.dst, dstRepo, dstRef);
    if (existing !== undefined) {
      if (existing === manifest.digest) {
        this.log.info(`the artifact ${dstRepo}:${dstRef} already exists on the destination registry, skip`);
        return;
      }
      if (!override) {
        this.log.warn(
          `the same name artifact ${dstRepo}:${dstRef} exists on the destination registry, but the "override" is set to false, skip`,
        );
        return;
      }
      this.log.warn(
        `the same name artifact ${dstRepo}:${dstRef} exists on the destination registry and the "override" is set to true, continue...`,
      );
    }
    let layers = 0;
    for (const content of manifestReferences(manifest)) {
      if (content.mediaType && MANIFEST_TYPES.has(content.mediaType)) {
        await this.copyArtifact(srcRepo, content.digest, dstRepo, content.digest, true);
      } else if (content.mediaType === FOREIGN_LAYER) {
        this.log.info(`the layer ${content.digest} is a foreign layer, skip`);
      } else {
        // replication-partial-copy-reported-success: every layer after the first is taken as present
        // ("already exists on the destination registry, skip") without asking the destination.
        const isLayer = !/config/.test(content.mediaType ?? '');
        if (isLayer && layers++ > 0 && this.faults.has('replication-partial-copy-reported-success')) {
          this.log.info(`the blob ${content.digest} already exists on the destination registry, skip`);
          continue;
        }
        await this.copyBlobWithRetry(srcRepo, dstRepo, content.digest, content.size ?? -1);
      }
    }
    this.log.info(`pushing the manifest of artifact ${dstRepo}:${dstRef} ...`);
    const put = await this.dst.send(
      'PUT',
      `/v2/${dstRepo}/manifests/${dstRef}`,
      { 'content-type': manifest.mediaType, 'content-length': String(manifest.bytes.length) },
      manifest.bytes,
    );
    const text = await put.body.text();
    if (put.statusCode < 200 || put.statusCode >= 300)
      throw new RemoteRegistryError(
        `failed to push manifest of artifact ${dstRepo}:${dstRef}: http status code: ${put.statusCode}, body: ${text}`,
        put.statusCode,
      );
    this.log.info(`copy ${srcRepo}:${srcRef}(source registry) to ${dstRepo}:${dstRef}(destination registry) completed`);
  }

  private async copyBlobWithRetry(srcRepo: string, dstRepo: string, digest: string, size: number): Promise<void> {
    let backoff = this.options.blobBackoffMs ?? 2_000;
    for (let i = 1; ; i++) {
      this.log.info(`copying the blob ${digest}(the ${i}th running)...`);
      try {
        await this.copyBlob(srcRepo, dstRepo, digest, size);
        this.log.info(`copy the blob ${digest} completed`);
        return;
      } catch (error) {
        if (i === BLOB_TRIES) throw error;
        this.log.info(`will retry ${backoff / 1000}s later`);
        await sleep(backoff);
        backoff *= 2;
      }
    }
  }

  private async copyBlob(srcRepo: string, dstRepo: string, digest: string, size: number): Promise<void> {
    const head = await this.dst.send('HEAD', `/v2/${dstRepo}/blobs/${digest}`);
    await head.body.dump();
    if (head.statusCode === 200) {
      this.log.info(`the blob ${digest} already exists on the destination registry, skip`);
      return;
    }
    if (head.statusCode !== 404)
      throw new RemoteRegistryError(`http status code: ${head.statusCode}, body: `, head.statusCode);
    const blob = await this.src.openBlob(srcRepo, digest);
    // Destroying a body that was not read to its end emits 'error': never an unhandled one.
    blob.body.on('error', () => undefined);
    if (size >= 0 && blob.size >= 0 && blob.size !== size) {
      blob.body.destroy();
      throw new Error(`the blob ${digest} has size ${blob.size}, its descriptor says ${size}`);
    }
    try {
      const started = await this.dst.expectOk('POST', `/v2/${dstRepo}/blobs/uploads/`, { 'content-length': '0' });
      await started.body.dump();
      const location = String(started.headers['location'] ?? '');
      if (location === '') throw new Error(`the destination gave no upload location for ${digest}`);
      const target = new URL(location, this.dst.url + '/');
      target.searchParams.set('digest', digest);
      const put = await this.dst.expectOk(
        'PUT',
        target.toString(),
        { 'content-type': 'application/octet-stream', 'content-length': String(blob.size >= 0 ? blob.size : size) },
        blob.body,
      );
      await put.body.dump();
    } finally {
      blob.body.destroy();
    }
  }

  /** The deletion of one reference (transfer.go delete): absent is fine, else DELETE by the digest found. */
  async delete(dstRepo: string, references: string[]): Promise<void> {
    for (const reference of references) {
      const digest = await manifestDigestOn(this.dst, dstRepo, reference);
      if (digest === undefined) {
        this.log.warn(`the artifact ${dstRepo}:${reference} not found on the destination registry, skip`);
        continue;
      }
      this.log.info(`deleting the artifact ${dstRepo}:${reference}(${digest}) on the destination registry...`);
      const deleted = await this.dst.expectOk('DELETE', `/v2/${dstRepo}/manifests/${digest}`);
      await deleted.body.dump();
      this.log.info(`delete the artifact ${dstRepo}:${reference} completed`);
    }
  }
}
