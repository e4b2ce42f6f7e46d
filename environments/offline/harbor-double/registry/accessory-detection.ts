// Which accessories a pushed manifest is, decided the way Harbor's PUT middlewares do after the
// registry's 201 (goharbor/harbor src/server/middleware/subject/subject.go@v2.15.x): the cosign tag scheme (src/server/middleware/cosign/cosign.go)
// and any manifest with a `subject` (src/server/middleware/subject/subject.go). Pure: no I/O.
import type { AccessoryType } from '../store/accessories.ts';

export const COSIGN_SIMPLE_SIGNING_LAYER = 'application/vnd.dev.cosign.simplesigning.v1+json';
const COSIGN_ARTIFACT_SIG = 'application/vnd.dev.cosign.artifact.sig.v1+json';
const SIGSTORE_BUNDLE_V03 = 'application/vnd.dev.sigstore.bundle.v0.3+json';
const NOTATION_SIGNATURE = 'application/vnd.cncf.notary.signature';
const HARBOR_SBOM = 'application/vnd.goharbor.harbor.sbom.v1';
const IMAGE_CONFIGS = new Set([
  'application/vnd.oci.image.config.v1+json',
  'application/vnd.docker.container.image.v1+json',
]);
const NYDUS_BOOTSTRAP_ANNOTATION = 'containerd.io/snapshot/nydus-bootstrap';
const COSIGN_TAG = /^sha256-([a-f0-9]{64})\.sig$/;

export interface DetectedAccessory {
  type: AccessoryType;
  subjectDigest: string;
  /** Which Harbor middleware records it: the subject one also answers with OCI-Subject. */
  via: 'cosign-tag' | 'subject';
}

export interface DetectionOptions {
  /** Fault `cosign-bundle-not-recognised`: Harbor ≤ 2.14 typed cosign 3 bundles as subject.accessory. */
  bundleUnrecognised?: boolean;
}

interface ManifestShape {
  artifactType?: string;
  config?: { mediaType?: string };
  layers?: Array<{ mediaType?: string; annotations?: Record<string, string> }>;
  manifests?: Array<{ mediaType?: string }>;
  subject?: { digest?: string };
}

/** The accessory type of a manifest with `subject`: artifactType if set, else the config media type. */
export function subjectAccessoryType(manifest: ManifestShape, options: DetectionOptions = {}): AccessoryType {
  const from = manifest.artifactType || manifest.config?.mediaType || '';
  if (IMAGE_CONFIGS.has(from)) {
    const last = manifest.layers?.[manifest.layers.length - 1];
    return last?.annotations?.[NYDUS_BOOTSTRAP_ANNOTATION] !== undefined ? 'accelerator.nydus' : 'subject.accessory';
  }
  if (from === NOTATION_SIGNATURE) return 'signature.notation';
  if (from === COSIGN_ARTIFACT_SIG) return 'signature.cosign';
  if (from === SIGSTORE_BUNDLE_V03) return options.bundleUnrecognised ? 'subject.accessory' : 'signature.cosign';
  if (from === HARBOR_SBOM) return 'sbom.harbor';
  return 'subject.accessory';
}

/**
 * The accessories a manifest PUT records. `reference` is the tag or digest of the PUT path; the cosign
 * tag scheme needs a tag `sha256-<hex>.sig` and any referenced descriptor (config, layer or child) with
 * cosign's simple-signing media type — neither the payload nor the signature is looked at.
 */
export function detectAccessories(
  reference: string,
  body: Buffer,
  options: DetectionOptions = {},
): DetectedAccessory[] {
  let manifest: ManifestShape;
  try {
    manifest = JSON.parse(body.toString('utf8')) as ManifestShape;
  } catch {
    return [];
  }
  if (typeof manifest !== 'object' || manifest === null) return [];
  const found: DetectedAccessory[] = [];
  const cosignTag = COSIGN_TAG.exec(reference);
  if (cosignTag) {
    const references = [manifest.config, ...(manifest.layers ?? []), ...(manifest.manifests ?? [])];
    if (references.some((d) => d?.mediaType === COSIGN_SIMPLE_SIGNING_LAYER)) {
      found.push({ type: 'signature.cosign', subjectDigest: `sha256:${cosignTag[1]}`, via: 'cosign-tag' });
    }
  }
  if (typeof manifest.subject?.digest === 'string' && manifest.subject.digest !== '') {
    found.push({
      type: subjectAccessoryType(manifest, options),
      subjectDigest: manifest.subject.digest,
      via: 'subject',
    });
  }
  return found;
}
