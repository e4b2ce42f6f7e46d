// Harbor's client of a pluggable scanner (goharbor/harbor src/pkg/scan/rest/v1/client.go@v2.15.x, client.go): base URL = registration url +
// /api/v1, 5 s timeout, no redirects followed, the registration's auth header, the spec's media types.
import { request } from 'undici';

export const METADATA_MIME = 'application/vnd.scanner.adapter.metadata+json; version=1.0';
export const SCAN_REQUEST_MIME = 'application/vnd.scanner.adapter.scan.request+json; version=1.0';
export const SCAN_RESPONSE_MIME = 'application/vnd.scanner.adapter.scan.response+json; version=1.0';
export const VULN_REPORT_MIME = 'application/vnd.security.vulnerability.report; version=1.1';
export const HARBOR_VULN_REPORT_MIME = 'application/vnd.scanner.adapter.vuln.report.harbor+json; version=1.0';
export const SBOM_REPORT_MIME = 'application/vnd.security.sbom.report+json; version=1.0';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';

const TIMEOUT_MS = 5_000;

export interface AdapterAuth {
  auth: string;
  accessCredential: string;
}

export interface AdapterMetadata {
  scanner: { name: string; vendor: string; version: string };
  capabilities: { type?: string; consumes_mime_types: string[]; produces_mime_types: string[] }[];
  properties?: Record<string, string>;
}

export class AdapterError extends Error {
  override name = 'AdapterError';
}

export function authHeaders(auth: AdapterAuth): Record<string, string> {
  switch (auth.auth) {
    case '':
      return {};
    case 'Basic':
      return { authorization: `Basic ${Buffer.from(auth.accessCredential).toString('base64')}` };
    case 'Bearer':
      return { authorization: `Bearer ${auth.accessCredential}` };
    case 'APIKey':
      return { 'x-scanneradapter-api-key': auth.accessCredential };
    default:
      throw new AdapterError(`unsupported auth type ${auth.auth}`);
  }
}

/** Harbor's metadata validation (models.go:84-114). */
export function validateMetadata(value: unknown): AdapterMetadata {
  const m = value as Partial<AdapterMetadata> | undefined;
  if (!m?.scanner?.name || !m.scanner.vendor || !m.scanner.version)
    throw new AdapterError('invalid metadata: scanner name, vendor and version are required');
  if (!Array.isArray(m.capabilities) || m.capabilities.length === 0)
    throw new AdapterError('invalid metadata: no capabilities');
  for (const c of m.capabilities) {
    if (!c.consumes_mime_types?.includes(DOCKER_MANIFEST))
      throw new AdapterError(`invalid metadata: a capability does not consume ${DOCKER_MANIFEST}`);
    if (
      !c.produces_mime_types?.some((t) => [VULN_REPORT_MIME, HARBOR_VULN_REPORT_MIME, SBOM_REPORT_MIME].includes(t))
    ) {
      throw new AdapterError('invalid metadata: a capability produces no report type Harbor knows');
    }
  }
  return m as AdapterMetadata;
}

export type ReportPoll = { kind: 'ready'; report: unknown } | { kind: 'pending'; refreshAfterSeconds: number };

export class AdapterClient {
  readonly #base: string;
  readonly #headers: Record<string, string>;

  constructor(url: string, auth: AdapterAuth) {
    this.#base = `${url.replace(/\/+$/, '')}/api/v1`;
    this.#headers = authHeaders(auth);
  }

  async metadata(): Promise<AdapterMetadata> {
    const { status, text } = await this.#call('GET', '/metadata', { accept: METADATA_MIME });
    if (status !== 200) throw new AdapterError(`scanner metadata: HTTP ${status}${errorSuffix(text)}`);
    return validateMetadata(parseJson(text));
  }

  async submitScan(body: unknown): Promise<string> {
    const { status, text } = await this.#call(
      'POST',
      '/scan',
      { 'content-type': SCAN_REQUEST_MIME, accept: SCAN_RESPONSE_MIME },
      JSON.stringify(body),
    );
    if (status !== 202) throw new AdapterError(`scanner refused the scan request: HTTP ${status}${errorSuffix(text)}`);
    const id = (parseJson(text) as { id?: unknown } | undefined)?.id;
    if (typeof id !== 'string' || id === '') throw new AdapterError('scanner accepted the scan without an id');
    return id;
  }

  async report(id: string, mimeType: string): Promise<ReportPoll> {
    const { status, text, headers } = await this.#call('GET', `/scan/${encodeURIComponent(id)}/report`, {
      accept: mimeType,
    });
    if (status === 200) return { kind: 'ready', report: parseJson(text) };
    if (status === 302) {
      // Refresh-After is parsed as an int8 by Harbor: at most 127; absent or bad → 5 s.
      const value = Number.parseInt(String(headers['refresh-after'] ?? ''), 10);
      return { kind: 'pending', refreshAfterSeconds: Number.isInteger(value) && value > 0 && value <= 127 ? value : 5 };
    }
    throw new AdapterError(`scanner report ${id}: HTTP ${status}${errorSuffix(text)}`);
  }

  async #call(method: 'GET' | 'POST', path: string, headers: Record<string, string>, body?: string) {
    const response = await request(`${this.#base}${path}`, {
      method,
      headers: { ...this.#headers, ...headers },
      ...(body !== undefined ? { body } : {}),
      headersTimeout: TIMEOUT_MS,
      bodyTimeout: TIMEOUT_MS,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    return { status: response.statusCode, headers: response.headers, text: await response.body.text() };
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new AdapterError('scanner answered with a body that is not JSON');
  }
}

function errorSuffix(text: string): string {
  try {
    const message = (JSON.parse(text) as { error?: { message?: string } }).error?.message;
    return message ? `: ${message}` : '';
  } catch {
    return '';
  }
}
