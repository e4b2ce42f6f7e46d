// A tiny, real OCI image built in memory: one gzip layer holding one file, a config, a manifest.
// Content depends on `marker` so every run pushes distinct digests.
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import { sha256Digest } from '../../lib/oci/digest.ts';

export interface Blob {
  mediaType: string;
  digest: string;
  size: number;
  bytes: Uint8Array;
}

export interface TinyImage {
  layer: Blob;
  config: Blob;
  manifest: Blob;
}

function blob(mediaType: string, bytes: Uint8Array): Blob {
  return { mediaType, digest: sha256Digest(bytes), size: bytes.byteLength, bytes };
}

async function tarOneFile(name: string, content: string): Promise<Uint8Array> {
  const archive = pack();
  const chunks: Buffer[] = [];
  archive.on('data', (chunk: unknown) => void chunks.push(chunk as Buffer));
  const done = new Promise<void>((resolve, reject) => {
    archive.on('end', resolve);
    archive.on('error', reject);
  });
  archive.entry({ name, mode: 0o644, mtime: new Date(0) }, content);
  archive.finalize();
  await done;
  return new Uint8Array(Buffer.concat(chunks));
}

export async function buildTinyImage(marker: string): Promise<TinyImage> {
  const tar = await tarOneFile('harbor-conformance.txt', `harbor-conformance smoke image ${marker}\n`);
  const layer = blob('application/vnd.oci.image.layer.v1.tar+gzip', new Uint8Array(gzipSync(tar)));
  const configJson = {
    architecture: 'amd64',
    os: 'linux',
    config: { Labels: { 'org.opencontainers.image.title': 'harbor-conformance smoke', marker } },
    rootfs: { type: 'layers', diff_ids: [sha256Digest(tar)] },
  };
  const config = blob('application/vnd.oci.image.config.v1+json', new TextEncoder().encode(JSON.stringify(configJson)));
  const manifestJson = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: config.mediaType, digest: config.digest, size: config.size },
    layers: [{ mediaType: layer.mediaType, digest: layer.digest, size: layer.size }],
  };
  const manifest = blob(manifestJson.mediaType, new TextEncoder().encode(JSON.stringify(manifestJson)));
  return { layer, config, manifest };
}
