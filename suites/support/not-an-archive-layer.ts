// A layer declared tar+gzip whose bytes are neither gzip nor tar: no scanner can analyse an image made of it, so its
// scan ends in Error (a scan failure a check can cause on purpose).
import { Readable } from 'node:stream';
import type { Layer } from '../../fixtures/images/layer.ts';
import { sha256Digest } from '../../lib/oci/digest.ts';

export function notAnArchiveLayer(label: string): Layer {
  const bytes = Buffer.from(`harbor-conformance ${label}: this layer is not a gzip archive\n`.repeat(16));
  return {
    digest: sha256Digest(bytes),
    size: bytes.byteLength,
    diffId: sha256Digest(bytes),
    uncompressedSize: bytes.byteLength,
    compression: 'gzip',
    bytes,
    open: () => Readable.from([bytes]),
  };
}
