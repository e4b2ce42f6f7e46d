// What Harbor records about a pushed manifest: media types, artifact type, size (manifest + config +
// layers for an image; manifest + children for an index) and the children of an index.
import { createHash } from 'node:crypto';

export interface Descriptor {
  mediaType?: string;
  digest: string;
  size: number;
  platform?: Record<string, unknown>;
  annotations?: Record<string, string>;
}

export interface ManifestInfo {
  digest: string;
  manifestMediaType: string;
  /** Harbor's artifact media_type: the config media type for images, the manifest type for indexes. */
  mediaType: string;
  artifactType: string;
  type: string;
  /** Size without children (for an index the caller adds the children it knows). */
  ownSize: number;
  config: Descriptor | undefined;
  children: Descriptor[];
  annotations: Record<string, string> | null;
  subject: Descriptor | undefined;
}

const INDEX_TYPES = new Set([
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
]);
const IMAGE_CONFIG_TYPES = new Set([
  'application/vnd.oci.image.config.v1+json',
  'application/vnd.docker.container.image.v1+json',
]);

export function sha256Digest(bytes: Buffer): string {
  return 'sha256:' + createHash('sha256').update(bytes).digest('hex');
}

export function parseManifest(bytes: Buffer, contentType: string | undefined): ManifestInfo {
  const doc = JSON.parse(bytes.toString('utf8')) as {
    mediaType?: string;
    artifactType?: string;
    config?: Descriptor;
    layers?: Descriptor[];
    manifests?: Descriptor[];
    annotations?: Record<string, string>;
    subject?: Descriptor;
    schemaVersion?: number;
  };
  const manifestMediaType =
    doc.mediaType ?? contentType?.split(';')[0]?.trim() ?? 'application/vnd.oci.image.manifest.v1+json';
  const isIndex = INDEX_TYPES.has(manifestMediaType) || Array.isArray(doc.manifests);
  const configType = doc.config?.mediaType ?? '';
  const layersSize = (doc.layers ?? []).reduce((sum, layer) => sum + (layer.size ?? 0), 0);
  let type = 'UNKNOWN';
  if (isIndex || IMAGE_CONFIG_TYPES.has(configType)) type = 'IMAGE';
  else if (configType === 'application/vnd.cncf.helm.config.v1+json') type = 'CHART';
  else if (
    configType === 'application/vnd.cncf.notary.signature' ||
    doc.artifactType === 'application/vnd.cncf.notary.signature'
  )
    type = 'SIGNATURE';
  else if (configType === 'application/vnd.dev.cosign.artifact.sig.v1+json') type = 'SIGNATURE';
  return {
    digest: sha256Digest(bytes),
    manifestMediaType,
    mediaType: isIndex ? manifestMediaType : configType || manifestMediaType,
    artifactType: doc.artifactType ?? (isIndex ? '' : configType),
    type,
    ownSize: bytes.length + (isIndex ? 0 : (doc.config?.size ?? 0) + layersSize),
    config: isIndex ? undefined : doc.config,
    children: isIndex ? (doc.manifests ?? []) : [],
    annotations: doc.annotations ?? null,
    subject: doc.subject,
  };
}
