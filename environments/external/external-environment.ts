// An existing Harbor (production, staging): nothing is started or stopped. Read-only by default —
// mutating checks run only when the operator allows them — and down() is a no-op.
import type { Environment } from '../environment.ts';
import { EnvironmentError } from '../environment.ts';
import { HttpTransport } from '../../lib/http-transport.ts';
import type { Capabilities, Target } from '../../lib/target.ts';

export interface ExternalEnvironmentOptions {
  url: string;
  username: string;
  password: string;
  /** Allow checks that create projects, robots and artifacts (inside run-id-named projects). */
  mutating: boolean;
  runId: string;
  log?: (line: string) => void;
  signal?: AbortSignal;
  /** Per-request timeout (ms). Default 10 s. */
  timeoutMs?: number;
}

interface Answer {
  status: number;
  text: string;
}

export async function connectExternalEnvironment(options: ExternalEnvironmentOptions): Promise<Environment> {
  const url = options.url.replace(/\/+$/, '');
  const log = options.log ?? (() => {});
  const auth = `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`;
  const call = (path: string, withAuth: boolean, accept = 'application/json') =>
    request(url, path, withAuth ? auth : undefined, options, accept);

  // ping produces text/plain; asked for JSON, real Harbor answers the JSON string "Pong" (go-swagger's
  // content negotiation, goharbor/harbor api/v2.0/swagger.yaml /ping + src/server/v2.0/handler/ping.go@v2.15.2)
  const ping = await call('/api/v2.0/ping', false, 'text/plain');
  if (ping.status !== 200 || ping.text.trim() !== 'Pong') {
    throw new EnvironmentError(
      `cannot reach Harbor at ${url}: /api/v2.0/ping answered HTTP ${ping.status}, not Pong (is this a Harbor URL?); check --url / HARBOR_URL`,
    );
  }

  const current = await call('/api/v2.0/users/current', true);
  if (current.status === 401 || current.status === 403) {
    throw new EnvironmentError(
      `Harbor at ${url} refused the credentials of user ${options.username} (HTTP ${current.status}); check HARBOR_USERNAME / HARBOR_PASSWORD`,
    );
  }
  if (current.status !== 200)
    throw new EnvironmentError(`Harbor at ${url}: /api/v2.0/users/current answered HTTP ${current.status}`);
  const user = parseJson<{ sysadmin_flag?: boolean }>(current.text);
  if (!user?.sysadmin_flag) {
    throw new EnvironmentError(
      `user ${options.username} is not a Harbor system administrator; the checks need an admin account (HARBOR_USERNAME)`,
    );
  }

  const info = await call('/api/v2.0/systeminfo', true);
  const version = parseJson<{ harbor_version?: string }>(info.text)?.harbor_version;
  if (info.status !== 200 || !version)
    throw new EnvironmentError(
      `Harbor at ${url}: /api/v2.0/systeminfo did not report harbor_version (HTTP ${info.status})`,
    );

  const scanners = await call('/api/v2.0/scanners', true);
  const scannerList =
    scanners.status === 200
      ? (parseJson<Array<{ is_default?: boolean; disabled?: boolean }>>(scanners.text) ?? [])
      : [];
  const capabilities: Capabilities = {
    scanner: scannerList.some((s) => s.is_default && !s.disabled),
    ...signatureSupport(version),
    faultInjection: false,
    mutating: options.mutating,
  };
  log(
    `external Harbor ${version} at ${url} (${options.mutating ? 'mutating checks allowed' : 'read-only: mutating checks are skipped'})`,
  );

  const target: Target = {
    kind: 'external',
    runId: options.runId,
    url,
    registryHost: new URL(url).host,
    admin: { username: options.username, password: options.password },
    harborVersion: version,
    capabilities,
    // Whatever scanner the team runs: its findings are a superset of the fixtures'; Trivy may fetch its DB first.
    scanning: { exactAdvisorySet: false, scanDeadlineMs: 180_000, scanStartDeadlineMs: 30_000 },
    peers: {},
  };
  return { target, down: async () => {} };
}

/** Harbor shows cosign signatures as accessories since v2.5 and notation signatures since v2.9. */
export function signatureSupport(version: string): { cosign: boolean; notation: boolean } {
  const match = /^v?(\d+)\.(\d+)/.exec(version);
  if (!match) return { cosign: false, notation: false };
  const [major, minor] = [Number(match[1]), Number(match[2])];
  const atLeast = (m: number, n: number) => major > m || (major === m && minor >= n);
  return { cosign: atLeast(2, 5), notation: atLeast(2, 9) };
}

async function request(
  url: string,
  path: string,
  authorization: string | undefined,
  options: ExternalEnvironmentOptions,
  accept: string,
): Promise<Answer> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const signals = [AbortSignal.timeout(timeoutMs), ...(options.signal ? [options.signal] : [])];
  try {
    const response = await new HttpTransport({ timeoutMs }).send({
      method: 'GET',
      url: `${url}${path}`,
      headers: { accept, ...(authorization ? { authorization } : {}) },
      signal: AbortSignal.any(signals),
    });
    return { status: response.status, text: response.body.toString('utf8') };
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new EnvironmentError(
      `cannot reach Harbor at ${url}: ${networkReason(error, timeoutMs)}; check --url / HARBOR_URL`,
    );
  }
}

function networkReason(error: unknown, timeoutMs: number): string {
  const err = error as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError' || err.code === 'UND_ERR_HEADERS_TIMEOUT' || err.code === 'UND_ERR_CONNECT_TIMEOUT') {
    return `no answer within ${timeoutMs / 1000} s`;
  }
  return err.cause?.message ?? err.message ?? err.code ?? String(error);
}

function parseJson<T>(text: string): T | undefined {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}
