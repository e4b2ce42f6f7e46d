import { describe, expect, test } from 'vitest';
import { parseManifest, sha256Digest } from './manifest-info.ts';

describe('parseManifest', () => {
  test('an OCI image: size is manifest + config + layers, type IMAGE', () => {
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: 'sha256:c', size: 100 },
        layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: 'sha256:l', size: 1000 }],
      }),
    );
    const info = parseManifest(manifest, undefined);
    expect(info).toMatchObject({
      digest: sha256Digest(manifest),
      type: 'IMAGE',
      manifestMediaType: 'application/vnd.oci.image.manifest.v1+json',
      mediaType: 'application/vnd.oci.image.config.v1+json',
      ownSize: manifest.length + 1100,
      children: [],
    });
  });
  test('a docker manifest list: children listed, media type from the content type', () => {
    const list = Buffer.from(
      JSON.stringify({ schemaVersion: 2, manifests: [{ digest: 'sha256:a', size: 5, platform: { os: 'linux' } }] }),
    );
    const info = parseManifest(list, 'application/vnd.docker.distribution.manifest.list.v2+json');
    expect(info.type).toBe('IMAGE');
    expect(info.manifestMediaType).toBe('application/vnd.docker.distribution.manifest.list.v2+json');
    expect(info.children).toHaveLength(1);
    expect(info.ownSize).toBe(list.length);
  });
});
