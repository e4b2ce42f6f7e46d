// Content digests (sha256 only: what registries and Harbor use).
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';

const DIGEST = /^sha256:[a-f0-9]{64}$/;

export function sha256Digest(data: string | Uint8Array): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

export function isDigest(reference: string): boolean {
  return DIGEST.test(reference);
}

/** Hex part of a digest, e.g. for cosign's `sha256-<hex>` tags. */
export function digestHex(digest: string): string {
  if (!isDigest(digest)) throw new Error(`not a sha256 digest: ${digest}`);
  return digest.slice('sha256:'.length);
}

/** Reads a stream to its end, returning digest and size without keeping the bytes. */
export async function digestOfStream(stream: Readable): Promise<{ digest: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream) {
    const bytes = chunk as Buffer;
    hash.update(bytes);
    size += bytes.byteLength;
  }
  return { digest: `sha256:${hash.digest('hex')}`, size };
}
