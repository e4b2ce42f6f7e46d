// Errors from the distribution API, carrying the status and the registry's own error code/message.

export interface DistributionErrorEntry {
  code: string;
  message: string;
  detail?: unknown;
}

export class RegistryError extends Error {
  override name = 'RegistryError';
  readonly status: number;
  /** First error code of the body (e.g. MANIFEST_UNKNOWN, UNAUTHORIZED, DENIED), or "" when the body had none. */
  readonly code: string;
  /** The registry's own message (first error), or the body text. */
  readonly registryMessage: string;
  readonly errors: DistributionErrorEntry[];
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;

  constructor(fields: {
    status: number;
    method: string;
    url: string;
    body: Uint8Array;
    headers: Record<string, string>;
    what?: string;
  }) {
    const { errors, text } = parseErrorBody(fields.body);
    const first = errors[0];
    const code = first?.code ?? '';
    const registryMessage = first?.message ?? text.slice(0, 300);
    const what = fields.what ?? `${fields.method} ${new URL(fields.url).pathname}`;
    super(
      `${what} failed: HTTP ${fields.status}${code ? ` ${code}` : ''}${registryMessage ? `: ${registryMessage}` : ''}`,
    );
    this.status = fields.status;
    this.code = code;
    this.registryMessage = registryMessage;
    this.errors = errors;
    this.method = fields.method;
    this.url = fields.url;
    this.headers = fields.headers;
  }
}

function parseErrorBody(body: Uint8Array): { errors: DistributionErrorEntry[]; text: string } {
  const text = Buffer.from(body).toString('utf8').trim();
  try {
    const parsed = JSON.parse(text) as { errors?: unknown };
    if (Array.isArray(parsed.errors)) {
      const errors = parsed.errors
        .filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null)
        .map((e) => ({
          code: String(e.code ?? ''),
          message: String(e.message ?? ''),
          ...(e.detail !== undefined ? { detail: e.detail } : {}),
        }));
      return { errors, text };
    }
  } catch {
    // not JSON
  }
  return { errors: [], text };
}
