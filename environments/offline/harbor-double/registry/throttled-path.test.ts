import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { isThrottledRead, pacedStream } from './throttled-path.ts';

describe('registry-path-throttled', () => {
  it('applies to manifest and blob reads only', () => {
    expect(isThrottledRead('GET', '/v2/p/r/blobs/sha256:abc')).toBe(true);
    expect(isThrottledRead('HEAD', '/v2/p/r/manifests/sha256:abc')).toBe(true);
    expect(isThrottledRead('PUT', '/v2/p/r/manifests/v1')).toBe(false);
    expect(isThrottledRead('GET', '/v2/p/r/blobs/uploads/123')).toBe(false);
  });

  it('paces a body to the rate without changing it', async () => {
    const chunks = Array.from({ length: 8 }, (_, i) => Buffer.alloc(32 * 1024, i));
    const out: Buffer[] = [];
    const started = performance.now();
    await pipeline(Readable.from(chunks), pacedStream(1024 * 1024), async (source: AsyncIterable<unknown>) => {
      for await (const chunk of source) out.push(chunk as Buffer);
    });
    // 256 KiB at 1 MiB/s: the last chunk is due ~218 ms after the first
    expect(performance.now() - started).toBeGreaterThan(200);
    expect(Buffer.concat(out).equals(Buffer.concat(chunks))).toBe(true);
  });
});
