import { describe, expect, it } from 'vitest';
import { detectAccessories, subjectAccessoryType } from './accessory-detection.ts';
import { digestProblem } from './referrers.ts';

const hex = 'a'.repeat(64);
const subject = {
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  digest: `sha256:${'b'.repeat(64)}`,
  size: 10,
};
const bytes = (doc: unknown) => Buffer.from(JSON.stringify(doc));
const imageConfig = {
  mediaType: 'application/vnd.oci.image.config.v1+json',
  digest: `sha256:${'c'.repeat(64)}`,
  size: 233,
};

describe('detectAccessories', () => {
  it('cosign tag scheme: sha256-<hex>.sig with a simple-signing layer → signature.cosign of sha256:<hex>', () => {
    const manifest = {
      schemaVersion: 2,
      config: imageConfig,
      layers: [{ mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json', digest: 'sha256:x', size: 1 }],
    };
    expect(detectAccessories(`sha256-${hex}.sig`, bytes(manifest))).toEqual([
      { type: 'signature.cosign', subjectDigest: `sha256:${hex}`, via: 'cosign-tag' },
    ]);
  });

  it('cosign tag scheme needs both the tag pattern and the layer media type', () => {
    const plainLayer = {
      schemaVersion: 2,
      config: imageConfig,
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: 'sha256:x', size: 1 }],
    };
    expect(detectAccessories(`sha256-${hex}.sig`, bytes(plainLayer))).toEqual([]);
    const signed = {
      ...plainLayer,
      layers: [{ mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json', digest: 'sha256:x', size: 1 }],
    };
    expect(detectAccessories('v1', bytes(signed))).toEqual([]);
    expect(detectAccessories(`sha256-${hex}.att`, bytes(signed))).toEqual([]);
    expect(detectAccessories(`sha256:${hex}`, bytes(signed))).toEqual([]);
  });

  it('subject manifests are typed from artifactType, else the config media type', () => {
    const of = (doc: Record<string, unknown>) =>
      detectAccessories(`sha256:${hex}`, bytes({ schemaVersion: 2, subject, ...doc }));
    expect(
      of({
        artifactType: 'application/vnd.cncf.notary.signature',
        config: { mediaType: 'application/vnd.oci.empty.v1+json' },
      })[0]?.type,
    ).toBe('signature.notation');
    expect(of({ config: { mediaType: 'application/vnd.cncf.notary.signature' } })[0]?.type).toBe('signature.notation');
    expect(of({ config: { mediaType: 'application/vnd.dev.cosign.artifact.sig.v1+json' } })[0]?.type).toBe(
      'signature.cosign',
    );
    expect(of({ artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json' })[0]?.type).toBe('signature.cosign');
    expect(of({ config: { mediaType: 'application/vnd.goharbor.harbor.sbom.v1' } })[0]?.type).toBe('sbom.harbor');
    expect(of({ artifactType: 'application/spdx+json' })[0]).toEqual({
      type: 'subject.accessory',
      subjectDigest: subject.digest,
      via: 'subject',
    });
    expect(
      of({
        config: imageConfig,
        layers: [{ mediaType: 'x', annotations: { 'containerd.io/snapshot/nydus-bootstrap': 'true' } }],
      })[0]?.type,
    ).toBe('accelerator.nydus');
    expect(of({ config: imageConfig, layers: [{ mediaType: 'x' }] })[0]?.type).toBe('subject.accessory');
  });

  it('an index with a subject is a subject.accessory', () => {
    const index = { schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [], subject };
    expect(detectAccessories(`sha256:${hex}`, bytes(index))).toEqual([
      { type: 'subject.accessory', subjectDigest: subject.digest, via: 'subject' },
    ]);
  });

  it('the cosign-bundle-not-recognised fault types bundles as Harbor 2.14 did', () => {
    expect(
      subjectAccessoryType(
        { artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json' },
        { bundleUnrecognised: true },
      ),
    ).toBe('subject.accessory');
  });

  it('plain images and unparsable bodies are no accessory', () => {
    expect(detectAccessories('v1', bytes({ schemaVersion: 2, config: imageConfig, layers: [] }))).toEqual([]);
    expect(detectAccessories('v1', Buffer.from('not json'))).toEqual([]);
    expect(detectAccessories('v1', Buffer.from('null'))).toEqual([]);
  });
});

describe('digestProblem (referrers reference)', () => {
  it('accepts sha256/384/512 digests and names what is wrong otherwise', () => {
    expect(digestProblem(`sha256:${hex}`)).toBeUndefined();
    expect(digestProblem(`sha512:${'0'.repeat(128)}`)).toBeUndefined();
    expect(digestProblem('latest')).toBe('invalid checksum digest format');
    expect(digestProblem(`md5:${hex}`)).toBe('unsupported digest algorithm');
    expect(digestProblem('sha256:abc')).toBe('invalid checksum digest length');
    expect(digestProblem(`sha256:${'A'.repeat(64)}`)).toBe('invalid checksum digest format');
  });
});
