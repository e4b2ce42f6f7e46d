// Harbor's error model (goharbor/harbor src/lib/errors/errors.go@v2.15.x): every error body is {"errors":[{"code","message"}]},
// the code decides the status, and every 5xx is masked to UNKNOWN "internal server error".

export type HarborErrorCode =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'DENIED'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'CONFLICT'
  | 'PRECONDITION'
  | 'PROJECTPOLICYVIOLATION'
  | 'UNSUPPORTED'
  | 'MANIFEST_INVALID'
  | 'DIGEST_INVALID'
  | 'REQUEST_ENTITY_TOO_LARGE'
  | 'TOO_MANY_REQUEST'
  | 'UNKNOWN';

const statusByCode: Record<HarborErrorCode, number> = {
  BAD_REQUEST: 400,
  UNSUPPORTED: 400,
  MANIFEST_INVALID: 400,
  DIGEST_INVALID: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  DENIED: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  PRECONDITION: 412,
  PROJECTPOLICYVIOLATION: 412,
  REQUEST_ENTITY_TOO_LARGE: 413,
  TOO_MANY_REQUEST: 429,
  UNKNOWN: 500,
};

export class HarborError extends Error {
  override name = 'HarborError';
  readonly code: HarborErrorCode;
  constructor(code: HarborErrorCode, message: string) {
    super(message);
    this.code = code;
  }
  get status(): number {
    return statusByCode[this.code];
  }
}

export const badRequest = (message: string) => new HarborError('BAD_REQUEST', message);
export const unauthorized = (message = 'unauthorized') => new HarborError('UNAUTHORIZED', message);
export const forbidden = (message = 'forbidden') => new HarborError('FORBIDDEN', message);
export const notFound = (message: string) => new HarborError('NOT_FOUND', message);
export const conflict = (message: string) => new HarborError('CONFLICT', message);

export interface ErrorBody {
  errors: Array<{ code: string; message: string }>;
}

/** Status and body Harbor would send for any thrown value (non-Harbor errors are masked as 500). */
export function errorResponse(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof HarborError && error.status < 500) {
    return { status: error.status, body: { errors: [{ code: error.code, message: error.message }] } };
  }
  return { status: 500, body: { errors: [{ code: 'UNKNOWN', message: 'internal server error' }] } };
}
