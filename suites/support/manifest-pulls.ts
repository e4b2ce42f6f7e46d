// Manifest pulls as docker and containerd make them (bearer token from /service/token, then GET or HEAD
// /v2/<repo>/manifests/<tag|digest>), or with basic credentials straight on /v2, answered as outcomes rather
// than exceptions. Harbor's pull blockers (vulnerability and content trust) answer 412 PROJECTPOLICYVIOLATION
// with their message on GET, and a bare 412 on HEAD: a HEAD answer carries no body (goharbor/harbor
// src/server/middleware/vulnerable/vulnerable.go, src/server/middleware/contenttrust/contentrust.go@v2.15.x).
import type { RegistryClient } from '../../lib/oci/registry-client.ts';
import { RegistryError } from '../../lib/oci/registry-error.ts';
import type { CheckHttp } from '../check-http.ts';

export type PullMethod = 'GET' | 'HEAD';

export interface PullOutcome {
  /** How the pull authenticated, e.g. `token`, `basic-auth`, `push robot UA "cosign/v2"`. */
  how: string;
  method: PullMethod;
  reference: string;
  status: number;
  /** The first error's code (GET only: HEAD answers carry no body). */
  code: string;
  message: string;
  /** Digest of the manifest received (GET) or announced (HEAD) on 200. */
  digest?: string;
}

/** Every manifest type docker, containerd and the signing tools ask for. */
export const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];

/** One manifest GET or HEAD with the client's credentials (a bearer token, as docker gets one). */
export async function pullManifest(
  client: RegistryClient,
  repository: string,
  reference: string,
  method: PullMethod,
  how = 'token',
): Promise<PullOutcome> {
  const base = { how, method, reference };
  try {
    if (method === 'GET') {
      const manifest = await client.getManifest(repository, reference, { accept: MANIFEST_TYPES });
      return { ...base, status: 200, code: '', message: '', digest: manifest.digest };
    }
    const head = await client.headManifest(repository, reference, { accept: MANIFEST_TYPES });
    if (!head) return { ...base, status: 404, code: 'MANIFEST_UNKNOWN', message: '' };
    return { ...base, status: 200, code: '', message: '', digest: head.digest };
  } catch (error) {
    if (error instanceof RegistryError)
      return { ...base, status: error.status, code: error.code, message: error.registryMessage };
    throw error;
  }
}

/** GET and HEAD, by tag and by digest: the four ways a client asks for one image. */
export async function pullEveryWay(
  client: RegistryClient,
  repository: string,
  tag: string,
  digest: string,
  how = 'token',
): Promise<PullOutcome[]> {
  const outcomes: PullOutcome[] = [];
  for (const reference of [tag, digest]) {
    for (const method of ['GET', 'HEAD'] as const)
      outcomes.push(await pullManifest(client, repository, reference, method, how));
  }
  return outcomes;
}

/** GET and HEAD by tag and digest with the admin's basic credentials sent straight to /v2 (no token). */
export async function basicAuthPullsEveryWay(
  http: CheckHttp,
  registryBaseUrl: string,
  repository: string,
  tag: string,
  digest: string,
): Promise<PullOutcome[]> {
  const outcomes: PullOutcome[] = [];
  for (const reference of [tag, digest]) {
    for (const method of ['GET', 'HEAD'] as const) {
      const response = await http.request(method, `${registryBaseUrl}/v2/${repository}/manifests/${reference}`, {
        auth: 'admin',
        headers: { accept: MANIFEST_TYPES.join(', ') },
      });
      let code = '';
      let message = '';
      if (method === 'GET' && response.status >= 400) {
        try {
          const first = response.json<{ errors?: Array<{ code?: string; message?: string }> }>().errors?.[0];
          code = first?.code ?? '';
          message = first?.message ?? '';
        } catch {
          message = response.text().slice(0, 200);
        }
      }
      const digestHeader = response.headers['docker-content-digest'];
      outcomes.push({
        how: 'basic-auth',
        method,
        reference,
        status: response.status,
        code,
        message,
        ...(response.status === 200 && digestHeader ? { digest: digestHeader } : {}),
      });
    }
  }
  return outcomes;
}

export const describePull = (o: PullOutcome): string => `${o.how} ${o.method} ${o.reference}`;

/** One line per outcome, for failure messages and evidence. */
export function showPulls(outcomes: readonly PullOutcome[]): string {
  return outcomes
    .map((o) => `${describePull(o)} → ${o.status}${o.code ? ` ${o.code}` : ''}${o.message ? `: ${o.message}` : ''}`)
    .join('\n');
}

export const isRefused = (o: PullOutcome): boolean => o.status === 412;

/**
 * Every outcome is a refusal by a pull policy: 412 on every pull; a GET also carries PROJECTPOLICYVIOLATION
 * and a message equal to `message` (string) or matching it (RegExp). The one rule for HEAD: 412, nothing more
 * (Harbor answers HEAD without a body).
 */
export function expectRefused(outcomes: readonly PullOutcome[], message: string | RegExp, what: string): void {
  const wrong = outcomes.filter((o) => {
    if (o.status !== 412) return true;
    if (o.method === 'HEAD') return false;
    if (o.code !== 'PROJECTPOLICYVIOLATION') return true;
    return typeof message === 'string' ? o.message !== message : !message.test(o.message);
  });
  if (wrong.length > 0) {
    const shown = typeof message === 'string' ? `"${message}"` : String(message);
    throw new Error(
      `${what}: expected 412 PROJECTPOLICYVIOLATION ${shown} on every pull, got:\n${showPulls(outcomes)}`,
    );
  }
}

/** Every outcome is a 200 with the expected digest. */
export function expectAllowed(outcomes: readonly PullOutcome[], digest: string, what: string): void {
  const wrong = outcomes.filter((o) => o.status !== 200 || o.digest !== digest);
  if (wrong.length > 0)
    throw new Error(`${what}: expected 200 with ${digest} on every pull, got:\n${showPulls(outcomes)}`);
}
