// HTTP exchanges as evidence: what a check sent and what came back, redacted and truncated.
// Clients (OCI, Harbor API) hand every exchange to an ExchangeRecorder; checks take the slice they
// produced (mark()/since()) and attach it to their result.
import { REDACTED, type SecretRegistry, redactBody, redactHeader, redactUrl } from './redact.ts';

export interface RecordedMessage {
  headers: Record<string, string>;
  /** Redacted, truncated body text; binary and streamed bodies are described, never included. */
  body?: string;
}

export interface HttpExchange {
  /** Sequence number within the recorder. */
  seq: number;
  startedAt: string;
  durationMs: number;
  method: string;
  url: string;
  request: RecordedMessage;
  response?: RecordedMessage & { status: number };
  /** Transport failure (connection refused, timeout), redacted. */
  error?: string;
}

/** A body as the transport saw it, before redaction. */
export type RawBody =
  | { kind: 'none' }
  | { kind: 'bytes'; bytes: Uint8Array; contentType?: string }
  | { kind: 'stream'; length?: number };

export interface RawExchange {
  startedAt: Date;
  durationMs: number;
  method: string;
  url: string;
  requestHeaders: Record<string, string>;
  requestBody: RawBody;
  status?: number;
  responseHeaders?: Record<string, string>;
  responseBody?: RawBody;
  error?: unknown;
}

/** Headers kept in evidence (lower case). Credential headers among them are reduced to their scheme. */
export const DEFAULT_RECORDED_HEADERS: readonly string[] = [
  'accept',
  'authorization',
  'content-type',
  'content-length',
  'content-range',
  'range',
  'location',
  'link',
  'www-authenticate',
  'docker-content-digest',
  'docker-upload-uuid',
  'docker-distribution-api-version',
  'oci-subject',
  'oci-filters-applied',
  'x-total-count',
  'x-request-id',
  'x-harbor-csrf-token',
  'etag',
  'retry-after',
];

export interface ExchangeRecorderOptions {
  secrets?: SecretRegistry;
  /** Bodies longer than this (after redaction) are cut. Default 4096 characters. */
  maxBodyChars?: number;
  /** Header names to keep (lower case). Default DEFAULT_RECORDED_HEADERS. */
  headers?: readonly string[];
}

const TEXTUAL_TYPE = /json|text|xml|x-www-form-urlencoded|yaml|javascript/i;

export class ExchangeRecorder {
  readonly secrets: SecretRegistry | undefined;
  readonly #maxBodyChars: number;
  readonly #headers: Set<string>;
  readonly #exchanges: HttpExchange[] = [];
  readonly #listeners = new Set<(exchange: HttpExchange) => void>();
  #seq = 0;

  constructor(options: ExchangeRecorderOptions = {}) {
    this.secrets = options.secrets;
    this.#maxBodyChars = options.maxBodyChars ?? 4096;
    this.#headers = new Set((options.headers ?? DEFAULT_RECORDED_HEADERS).map((h) => h.toLowerCase()));
  }

  /** Redacts and stores one exchange; returns what was stored. */
  record(raw: RawExchange): HttpExchange {
    const exchange: HttpExchange = {
      seq: ++this.#seq,
      startedAt: raw.startedAt.toISOString(),
      durationMs: Math.round(raw.durationMs * 10) / 10,
      method: raw.method,
      url: redactUrl(raw.url, this.secrets),
      request: this.#message(raw.requestHeaders, raw.requestBody),
    };
    if (raw.status !== undefined) {
      exchange.response = {
        status: raw.status,
        ...this.#message(raw.responseHeaders ?? {}, raw.responseBody ?? { kind: 'none' }),
      };
    }
    if (raw.error !== undefined) {
      const text = raw.error instanceof Error ? `${raw.error.name}: ${raw.error.message}` : String(raw.error);
      exchange.error = this.#cut(redactBody(text, this.secrets));
    }
    this.#exchanges.push(exchange);
    for (const listener of this.#listeners) listener(exchange);
    return exchange;
  }

  /** All exchanges recorded so far. */
  get exchanges(): readonly HttpExchange[] {
    return this.#exchanges;
  }

  /** A position to pass to since() later. */
  mark(): number {
    return this.#seq;
  }

  /** Exchanges recorded after mark. */
  since(mark: number): HttpExchange[] {
    return this.#exchanges.filter((e) => e.seq > mark);
  }

  clear(): void {
    this.#exchanges.length = 0;
  }

  /** Calls listener with every exchange recorded from now on; returns an unsubscribe function. */
  onExchange(listener: (exchange: HttpExchange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #message(headers: Record<string, string>, body: RawBody): RecordedMessage {
    const kept: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
      const lower = name.toLowerCase();
      if (this.#headers.has(lower)) kept[lower] = redactHeader(lower, value, this.secrets);
    }
    const message: RecordedMessage = { headers: kept };
    const text = this.#bodyText(body, headers);
    if (text !== undefined) message.body = text;
    return message;
  }

  #bodyText(body: RawBody, headers: Record<string, string>): string | undefined {
    if (body.kind === 'none') return undefined;
    if (body.kind === 'stream')
      return `[stream${body.length !== undefined ? ` of ${body.length} bytes` : ''}, not recorded]`;
    if (body.bytes.byteLength === 0) return undefined;
    const contentType = body.contentType ?? headerValue(headers, 'content-type') ?? '';
    const bytes = Buffer.from(body.bytes.buffer, body.bytes.byteOffset, body.bytes.byteLength);
    // Redact before cutting, so a secret is never half-kept; bound the work for very large bodies.
    const limit = Math.max(this.#maxBodyChars * 16, 1 << 20);
    const slice = bytes.subarray(0, limit);
    const textual = TEXTUAL_TYPE.test(contentType) || (contentType === '' && looksLikeText(slice));
    if (!textual) return `[${contentType || 'binary'} body of ${bytes.byteLength} bytes, not recorded]`;
    const redacted = redactBody(slice.toString('utf8'), this.secrets);
    const more = bytes.byteLength > limit ? ` (${bytes.byteLength} bytes in all)` : '';
    return this.#cut(redacted) + more;
  }

  #cut(text: string): string {
    if (text.length <= this.#maxBodyChars) return text;
    // Never leave a partial "[REDACTED" marker that reads like content.
    let cut = text.slice(0, this.#maxBodyChars);
    const marker = cut.lastIndexOf('[');
    if (marker >= 0 && REDACTED.startsWith(cut.slice(marker)) && cut.slice(marker) !== REDACTED)
      cut = cut.slice(0, marker);
    return `${cut}… [truncated, ${text.length} chars]`;
  }
}

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return undefined;
}

function looksLikeText(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.byteLength, 512);
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if (b < 9) return false; // NUL and other low control bytes: binary
  }
  return true;
}
