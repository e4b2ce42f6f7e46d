// Errors by class, as the result schema counts them.
import type { ErrorClass } from '../results/result-schema.ts';

export class HttpStatusError extends Error {
  override name = 'HttpStatusError';
  readonly status: number;
  constructor(status: number, what: string) {
    super(`${what}: HTTP ${status}`);
    this.status = status;
  }
}

export class DigestMismatchError extends Error {
  override name = 'DigestMismatchError';
}

const resetCodes = new Set(['ECONNRESET', 'EPIPE', 'ECONNREFUSED', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);
const timeoutCodes = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'ETIMEDOUT',
]);

export function classifyError(error: unknown): ErrorClass {
  if (error instanceof HttpStatusError) return 'http-status';
  if (error instanceof DigestMismatchError) return 'digest-mismatch';
  const e = error as { code?: string; name?: string; cause?: { code?: string } };
  const code = e?.code ?? e?.cause?.code;
  if (e?.name === 'TimeoutError' || (code && timeoutCodes.has(code))) return 'timeout';
  if (code && resetCodes.has(code)) return 'reset';
  if (e?.name === 'SocketError') return 'reset';
  return 'other';
}
