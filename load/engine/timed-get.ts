// One timed request: TTFB when the response headers arrive, total when the body has been read.
// Bodies are streamed through sha256 and counted, never buffered (except when `keepBody`, for manifests).
import { createHash } from 'node:crypto';
import type { Dispatcher } from 'undici';
import { DigestMismatchError, HttpStatusError } from './error-class.ts';

/** Body bytes read by this thread so far, counted per chunk (the progress line's current MB/s). */
export const streamed = { bytes: 0 };

export interface TimedGetOptions {
  method?: 'GET' | 'HEAD';
  headers?: Record<string, string>;
  /** sha256:… the body must hash to. */
  digest?: string;
  /** Keep the body (small manifests and token answers only). */
  keepBody?: boolean;
  /** Statuses that are an answer, not an error (default 200). */
  accept?: readonly number[];
  timeoutMs: number;
  what: string;
}

export interface TimedAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  bytes: number;
  body?: Buffer;
  ttfbMs: number;
  totalMs: number;
}

export async function timedGet(dispatcher: Dispatcher, url: URL, options: TimedGetOptions): Promise<TimedAnswer> {
  const started = performance.now();
  const response = await dispatcher.request({
    origin: url.origin,
    path: url.pathname + url.search,
    method: options.method ?? 'GET',
    headers: options.headers ?? {},
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
  });
  const ttfbMs = performance.now() - started;
  const accepted = options.accept ?? [200];
  if (!accepted.includes(response.statusCode)) {
    await response.body.dump().catch(() => {});
    throw new HttpStatusError(response.statusCode, options.what);
  }
  const hash = options.digest && response.statusCode === 200 ? createHash('sha256') : undefined;
  const kept: Buffer[] | undefined = options.keepBody ? [] : undefined;
  let bytes = 0;
  // 'data' events, not `for await`: async iteration costs a promise per chunk (several times slower on small bodies).
  await new Promise<void>((resolve, reject) => {
    const body = response.body;
    body.on('data', (buffer: Buffer) => {
      bytes += buffer.byteLength;
      streamed.bytes += buffer.byteLength;
      hash?.update(buffer);
      kept?.push(buffer);
    });
    body.once('end', resolve);
    body.once('error', reject);
  });
  if (hash && options.digest) {
    const actual = `sha256:${hash.digest('hex')}`;
    if (actual !== options.digest)
      throw new DigestMismatchError(`${options.what}: body hashes to ${actual}, expected ${options.digest}`);
  }
  return {
    status: response.statusCode,
    headers: response.headers,
    bytes,
    ...(kept ? { body: Buffer.concat(kept) } : {}),
    ttfbMs,
    totalMs: performance.now() - started,
  };
}
