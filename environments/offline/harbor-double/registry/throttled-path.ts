// The `registry-path-throttled` fault profile: responses core relays from the registry for manifest and
// blob reads start late and stream at a capped rate, as when the storage behind the registry (or a proxy
// between core and the registry) is throttled. Pacing is per response, without buffering.
import { Transform, type TransformCallback } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';

export const THROTTLE_FIRST_BYTE_DELAY_MS = 6000;
export const THROTTLE_BYTES_PER_SECOND = 512 * 1024;

export function isThrottledRead(method: string, upstreamPath: string): boolean {
  return (method === 'GET' || method === 'HEAD') && /\/(manifests|blobs)\/[^/]+$/.test(upstreamPath);
}

/** Delay before the relayed response's headers (the storage's slow first byte). */
export function throttledFirstByte(): Promise<void> {
  return delay(THROTTLE_FIRST_BYTE_DELAY_MS);
}

/** Passes chunks through no faster than `bytesPerSecond`, measured from the first chunk. */
export function pacedStream(bytesPerSecond = THROTTLE_BYTES_PER_SECOND): Transform {
  let started = 0;
  let sent = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      if (started === 0) started = performance.now();
      sent += chunk.byteLength;
      const due = started + (sent / bytesPerSecond) * 1000;
      const wait = due - performance.now();
      if (wait <= 1) return callback(null, chunk);
      setTimeout(() => callback(null, chunk), wait);
    },
  });
}
