import { describe, expect, it } from 'vitest';
import { manifestReferences } from './blob-recording.ts';

describe('manifestReferences', () => {
  it('lists config and layers of an image and the manifests of an index', () => {
    const image = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: 'sha256:c', size: 2 },
        layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: 'sha256:l', size: 3 }],
      }),
    );
    expect(manifestReferences(image)).toEqual([
      { digest: 'sha256:c', size: 2, mediaType: 'application/vnd.oci.image.config.v1+json' },
      { digest: 'sha256:l', size: 3, mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip' },
    ]);
    const index = Buffer.from(
      JSON.stringify({
        manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: 'sha256:m', size: 5 }],
      }),
    );
    expect(manifestReferences(index)).toEqual([
      { digest: 'sha256:m', size: 5, mediaType: 'application/vnd.oci.image.manifest.v1+json' },
    ]);
  });
});
