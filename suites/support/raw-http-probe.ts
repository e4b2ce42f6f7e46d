// Sends a request with its path exactly as written (node:http, no URL normalisation: `..`, `//` and
// percent-escapes reach the server untouched), over a keep-alive agent so thousands of probes stay fast.
// Probes are not recorded one by one: the caller keeps the exchanges it wants as evidence.
import { Agent, request } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface RawProbe {
  method: string;
  /** Path and query, sent verbatim. */
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  /** The body, cut at 4 KiB (enough to judge a denial or a listing). */
  body: string;
}

export class RawHttpProber {
  readonly #base: URL;
  readonly #agent: Agent;
  readonly #timeoutMs: number;

  constructor(baseUrl: string, options: { maxSockets?: number; timeoutMs?: number } = {}) {
    this.#base = new URL(baseUrl);
    const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 16 };
    this.#agent = this.#base.protocol === 'https:' ? new HttpsAgent(agentOptions) : new Agent(agentOptions);
    this.#timeoutMs = options.timeoutMs ?? 60_000;
  }

  send(probe: RawProbe): Promise<RawAnswer> {
    const send = this.#base.protocol === 'https:' ? httpsRequest : request;
    const body = probe.body === undefined ? undefined : Buffer.from(probe.body);
    return new Promise((resolve, reject) => {
      const req = send(
        {
          host: this.#base.hostname,
          port: this.#base.port,
          method: probe.method,
          path: probe.path,
          agent: this.#agent,
          headers: {
            accept: 'application/json',
            'user-agent': 'harbor-conformance',
            ...probe.headers,
            ...(body ? { 'content-length': String(body.length) } : {}),
          },
          timeout: this.#timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            if (size < 4096) chunks.push(chunk);
            size += chunk.length;
          });
          res.on('end', () => {
            const headers: Record<string, string> = {};
            for (const [name, value] of Object.entries(res.headers))
              if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
            resolve({
              status: res.statusCode ?? 0,
              headers,
              body: Buffer.concat(chunks).toString('utf8').slice(0, 4096),
            });
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () =>
        req.destroy(new Error(`${probe.method} ${probe.path}: no answer within ${this.#timeoutMs} ms`)),
      );
      req.on('error', reject);
      if (body) req.write(body);
      req.end();
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}

/** Runs `fn` over `items` with at most `limit` in flight; results in input order. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export interface PatientAnswer {
  answer: RawAnswer | undefined;
  /** Why there is no answer (transport error), when there is none. */
  error?: string;
  /** The first answer when it was a 5xx or none and the probe was sent again. */
  retried?: string;
}

/**
 * For tables in which no cell expects a 5xx: a 5xx or a transport error is sent again (twice at most, after a
 * pause) and the first answer is kept, so an overloaded stack does not turn a cell red while a persistent 5xx does.
 */
export async function sendPatiently(prober: RawHttpProber, probe: RawProbe, attempts = 3): Promise<PatientAnswer> {
  let retried: string | undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      const answer = await prober.send(probe);
      if (answer.status < 500 || attempt === attempts) return { answer, ...(retried ? { retried } : {}) };
      retried ??= `${answer.status} ${answer.body.slice(0, 120)}`;
    } catch (error) {
      const message = (error as Error).message;
      if (attempt === attempts) return { answer: undefined, error: message, ...(retried ? { retried } : {}) };
      retried ??= `no answer: ${message}`;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000 * attempt));
  }
}
