// HTTP for checks: every exchange lands in the check's evidence (redacted). No cookies are kept, so
// Harbor's CSRF protection never applies (it only does when a `sid` cookie is sent back).
import { HttpTransport } from '../lib/http-transport.ts';
import type { Credentials, Target } from '../lib/target.ts';
import type { EvidenceRecorder } from './evidence.ts';

export type Auth = 'admin' | 'anonymous' | { basic: Credentials } | { bearer: string };

export interface RequestOptions {
  auth?: Auth;
  headers?: Record<string, string>;
  /** JSON-serialised when it is not a string or bytes. */
  body?: unknown;
}

export interface CheckResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string>;
  bytes: Buffer;
  text(): string;
  json<T = unknown>(): T;
}

export class CheckHttp {
  readonly #target: Target;
  readonly #transport: HttpTransport;
  readonly #signal: AbortSignal | undefined;

  constructor(target: Target, evidence: EvidenceRecorder, signal?: AbortSignal) {
    this.#target = target;
    this.#transport = new HttpTransport({ recorder: evidence.exchanges, timeoutMs: 60_000 });
    this.#signal = signal;
  }

  /** `path` is relative to the Harbor URL (e.g. `/api/v2.0/ping`) or an absolute URL. */
  async request(method: string, path: string, options: RequestOptions = {}): Promise<CheckResponse> {
    const url = /^https?:\/\//.test(path) ? path : `${this.#target.url}${path}`;
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    const auth = options.auth ?? 'anonymous';
    if (auth === 'admin') headers.authorization = basic(this.#target.admin);
    else if (auth !== 'anonymous')
      headers.authorization = 'basic' in auth ? basic(auth.basic) : `Bearer ${auth.bearer}`;
    let body: string | Uint8Array | undefined;
    if (options.body !== undefined) {
      if (typeof options.body === 'string' || options.body instanceof Uint8Array) body = options.body;
      else {
        body = JSON.stringify(options.body);
        headers['content-type'] ??= 'application/json';
      }
    }
    const response = await this.#transport.send({
      method,
      url,
      headers,
      ...(body !== undefined ? { body } : {}),
      ...(this.#signal ? { signal: this.#signal } : {}),
    });
    const text = () => response.body.toString('utf8');
    return {
      status: response.status,
      headers: response.headers,
      bytes: response.body,
      text,
      json: <T>() => {
        try {
          return JSON.parse(text()) as T;
        } catch {
          throw new Error(
            `${method} ${path} answered ${response.status} with a body that is not JSON: ${text().slice(0, 200)}`,
          );
        }
      },
    };
  }

  get(path: string, options?: RequestOptions): Promise<CheckResponse> {
    return this.request('GET', path, options);
  }
}

function basic(credentials: Credentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}
