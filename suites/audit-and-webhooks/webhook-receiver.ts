// The webhook receiver: an HTTP server the check starts on an address of this machine that Harbor reaches
// (Target.webhookReceiverHost), as a team's CI can start one. Every delivery — method, path, headers, body — is
// appended to <run dir>/webhook-recordings/<check>.jsonl, the file the check reads back. What is recorded is
// redacted: the Authorization header becomes [REDACTED] with its sha256 beside it (so the check can compare it
// with the header it configured), and any registered secret in the body is replaced, with the delivery marked
// `redacted_secrets` (a payload that carried a credential fails the check that reads it).
import { createHash } from 'node:crypto';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { SecretRegistry } from '../../lib/redact.ts';

export interface RecordedDelivery {
  seq: number;
  received_at: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  authorization_sha256?: string;
  body: string;
  /** The status the receiver answered. */
  answered: number;
  /** Set when the body carried a registered secret (replaced by [REDACTED] here). */
  redacted_secrets?: true;
}

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export class WebhookReceiver {
  readonly #server: Server;
  readonly #file: string;
  readonly #host: string;
  readonly #failures = new Map<string, { remaining: number; status: number }>();
  #seq = 0;
  #writes: Promise<void> = Promise.resolve();

  private constructor(server: Server, file: string, host: string) {
    this.#server = server;
    this.#file = file;
    this.#host = host;
  }

  /** Listens on `host` (an address of this machine), recording into `<recordingsDir>/<name>.jsonl`. */
  static async start(
    host: string,
    recordingsDir: string,
    name: string,
    secrets: SecretRegistry,
  ): Promise<WebhookReceiver> {
    await mkdir(recordingsDir, { recursive: true });
    const file = join(recordingsDir, `${name}.jsonl`);
    let receiver: WebhookReceiver | undefined;
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const path = request.url ?? '/';
        const failure = receiver!.#failures.get(path);
        const answered = failure && failure.remaining !== 0 ? failure.status : 200;
        if (failure && failure.remaining > 0) failure.remaining--;
        const raw = Buffer.concat(chunks).toString('utf8');
        const body = secrets.scrub(raw);
        const headers: Record<string, string> = {};
        for (const [key, value] of Object.entries(request.headers))
          headers[key] = key === 'authorization' ? '[REDACTED]' : secrets.scrub(String(value));
        const auth = request.headers.authorization;
        const delivery: RecordedDelivery = {
          seq: ++receiver!.#seq,
          received_at: new Date().toISOString(),
          method: request.method ?? '',
          path,
          headers,
          ...(auth ? { authorization_sha256: sha256(auth) } : {}),
          body,
          answered,
          ...(body !== raw ? { redacted_secrets: true as const } : {}),
        };
        receiver!.#writes = receiver!.#writes.then(() => appendFile(file, `${JSON.stringify(delivery)}\n`));
        void receiver!.#writes.then(() =>
          response.writeHead(answered).end(answered === 200 ? 'ok' : 'failing on purpose'),
        );
      });
    });
    receiver = new WebhookReceiver(server, file, host);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, host, () => resolve());
    });
    return receiver;
  }

  /** The address a webhook target names for `path` (e.g. /hook/default). */
  url(path: string): string {
    return `http://${this.#host}:${(this.#server.address() as AddressInfo).port}${path}`;
  }

  /** Answer the next `times` deliveries to `path` with `status` (-1: every delivery). */
  fail(path: string, times: number, status = 503): void {
    this.#failures.set(path, { remaining: times, status });
  }

  /** Every delivery recorded so far, read back from the recording file. */
  async deliveries(path?: string): Promise<RecordedDelivery[]> {
    await this.#writes;
    let text = '';
    try {
      text = await readFile(this.#file, 'utf8');
    } catch {
      return [];
    }
    const all = text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as RecordedDelivery);
    return path === undefined ? all : all.filter((d) => d.path === path);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
    await this.#writes;
  }
}
