// Copying an artifact between repositories inside the backend registry, as Harbor's registry client Copy does
// (goharbor/harbor src/pkg/registry/client.go@v2.15.x): children of an index first, blobs mounted from the
// source repository, then the manifest PUT by digest.
import type { DistributionClient } from './distribution-client.ts';

const ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

interface ManifestDocument {
  mediaType?: string;
  config?: { digest: string };
  layers?: Array<{ digest: string }>;
  manifests?: Array<{ digest: string }>;
}

export async function copyInRegistry(
  registry: DistributionClient,
  source: string,
  digest: string,
  destination: string,
): Promise<void> {
  const got = await registry.send('GET', `/v2/${source}/manifests/${digest}`, { accept: ACCEPT });
  if (got.statusCode !== 200) {
    await got.body.dump();
    throw new Error(`registry answered ${got.statusCode} for ${source}@${digest}`);
  }
  const bytes = Buffer.from(await got.body.arrayBuffer());
  const contentType = String(got.headers['content-type'] ?? 'application/vnd.oci.image.manifest.v1+json');
  const doc = JSON.parse(bytes.toString('utf8')) as ManifestDocument;
  for (const child of doc.manifests ?? []) await copyInRegistry(registry, source, child.digest, destination);
  const blobs = [...(doc.config ? [doc.config.digest] : []), ...(doc.layers ?? []).map((l) => l.digest)];
  for (const blob of blobs) {
    const mounted = await registry.send(
      'POST',
      `/v2/${destination}/blobs/uploads/?mount=${encodeURIComponent(blob)}&from=${encodeURIComponent(source)}`,
    );
    await mounted.body.dump();
    if (mounted.statusCode !== 201) throw new Error(`mounting ${blob} from ${source} answered ${mounted.statusCode}`);
  }
  const put = await registry.send(
    'PUT',
    `/v2/${destination}/manifests/${digest}`,
    { 'content-type': contentType },
    bytes,
  );
  await put.body.dump();
  if (put.statusCode !== 201) throw new Error(`registry answered ${put.statusCode} to the manifest PUT of ${digest}`);
}
