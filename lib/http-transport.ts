// The one place the clients touch the network: undici requests, every exchange handed to the
// recorder (redacted there), manual redirects (blob GETs may be sent to object storage).
import { Readable } from 'node:stream';
import { type Dispatcher, request } from 'undici';
import type { ExchangeRecorder, RawBody } from './http-exchange.ts';

/** A request body the transport can send again (a retry after 401 needs a fresh stream). */
export type RequestBody = string | Uint8Array | { stream: () => Readable; length: number };

export interface HttpRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: RequestBody;
  /** Follow 301/302/303/307/308 up to this many times (default 0). Authorization is dropped on a host change. */
  followRedirects?: number;
  signal?: AbortSignal;
}

export interface HttpResponseHead {
  status: number;
  /** Lower-case names; repeated headers joined with ", " (set-cookie with "\n"). */
  headers: Record<string, string>;
  /** URL that answered (after redirects). */
  url: string;
}

export interface BufferedResponse extends HttpResponseHead {
  body: Buffer;
}

export interface StreamingResponse extends HttpResponseHead {
  body: Readable;
}

export interface HttpTransportOptions {
  recorder?: ExchangeRecorder;
  dispatcher?: Dispatcher;
  userAgent?: string;
  /** Per-request header and body timeouts (ms). Default 300 000 (large blobs). */
  timeoutMs?: number;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export class HttpTransport {
  readonly recorder: ExchangeRecorder | undefined;
  readonly #dispatcher: Dispatcher | undefined;
  readonly #userAgent: string;
  readonly #timeoutMs: number;

  constructor(options: HttpTransportOptions = {}) {
    this.recorder = options.recorder;
    this.#dispatcher = options.dispatcher;
    this.#userAgent = options.userAgent ?? 'harbor-conformance';
    this.#timeoutMs = options.timeoutMs ?? 300_000;
  }

  /** Sends a request and reads the whole response body. */
  async send(req: HttpRequest): Promise<BufferedResponse> {
    const response = await this.#sendFollowing(req, 'buffer');
    return response as BufferedResponse;
  }

  /** Sends a request and hands back the response body as a stream (recorded as "streamed"). */
  async sendStreaming(req: HttpRequest): Promise<StreamingResponse> {
    const response = await this.#sendFollowing(req, 'stream');
    return response as StreamingResponse;
  }

  async #sendFollowing(req: HttpRequest, mode: 'buffer' | 'stream'): Promise<BufferedResponse | StreamingResponse> {
    let current = req;
    for (let hop = 0; ; hop++) {
      const canFollow = hop < (req.followRedirects ?? 0);
      // In stream mode, non-2xx answers (redirects included) come back buffered: they are small.
      const response = await this.#sendOnce(current, mode);
      const location = response.headers.location;
      if (!canFollow || !REDIRECTS.has(response.status) || !location) return response;
      const next = new URL(location, current.url);
      const headers = { ...current.headers };
      if (next.host !== new URL(current.url).host) {
        for (const name of Object.keys(headers)) if (name.toLowerCase() === 'authorization') delete headers[name];
      }
      const method = response.status === 303 ? 'GET' : current.method;
      current = {
        ...current,
        method,
        url: next.toString(),
        headers,
        ...(response.status === 303 ? { body: undefined } : {}),
      };
    }
  }

  async #sendOnce(req: HttpRequest, mode: 'buffer' | 'stream'): Promise<BufferedResponse | StreamingResponse> {
    const headers: Record<string, string> = { 'user-agent': this.#userAgent, ...lowerKeys(req.headers ?? {}) };
    let body: string | Uint8Array | Readable | undefined;
    let rawRequestBody: RawBody = { kind: 'none' };
    if (typeof req.body === 'string' || req.body instanceof Uint8Array) {
      body = req.body;
      const bytes = typeof req.body === 'string' ? Buffer.from(req.body) : req.body;
      rawRequestBody = {
        kind: 'bytes',
        bytes,
        ...(headers['content-type'] ? { contentType: headers['content-type'] } : {}),
      };
      headers['content-length'] = String(bytes.byteLength);
    } else if (req.body) {
      body = req.body.stream();
      headers['content-length'] = String(req.body.length);
      rawRequestBody = { kind: 'stream', length: req.body.length };
    }
    const startedAt = new Date();
    const t0 = performance.now();
    const record = (fields: {
      status?: number;
      responseHeaders?: Record<string, string>;
      responseBody?: RawBody;
      error?: unknown;
    }) =>
      this.recorder?.record({
        startedAt,
        durationMs: performance.now() - t0,
        method: req.method,
        url: req.url,
        requestHeaders: headers,
        requestBody: rawRequestBody,
        ...fields,
      });

    let result: Dispatcher.ResponseData;
    try {
      result = await request(req.url, {
        method: req.method as Dispatcher.HttpMethod,
        headers,
        body: body ?? null,
        ...(this.#dispatcher ? { dispatcher: this.#dispatcher } : {}),
        headersTimeout: this.#timeoutMs,
        bodyTimeout: this.#timeoutMs,
        ...(req.signal ? { signal: req.signal } : {}),
      });
    } catch (error) {
      record({ error });
      throw error;
    }
    const responseHeaders = normaliseHeaders(result.headers);
    const head = { status: result.statusCode, headers: responseHeaders, url: req.url };
    if (mode === 'stream' && result.statusCode < 300) {
      record({ status: result.statusCode, responseHeaders, responseBody: { kind: 'stream' } });
      return { ...head, body: result.body };
    }
    let bytes: Buffer;
    try {
      bytes = Buffer.from(await result.body.arrayBuffer());
    } catch (error) {
      record({ status: result.statusCode, responseHeaders, error });
      throw error;
    }
    record({ status: result.statusCode, responseHeaders, responseBody: { kind: 'bytes', bytes } });
    if (mode === 'stream') return { ...head, body: Readable.from([bytes]) };
    return { ...head, body: bytes };
  }
}

function lowerKeys(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = v;
  return out;
}

function normaliseHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    out[lower] = Array.isArray(value) ? value.join(lower === 'set-cookie' ? '\n' : ', ') : value;
  }
  return out;
}
