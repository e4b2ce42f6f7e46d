// Manifest pulls as docker and containerd make them (bearer token, GET or HEAD by tag or digest), or
// with basic auth straight on /v2, answered as outcomes: Harbor's content-trust blocker answers 412
// PROJECTPOLICYVIOLATION with its message on GET and a bare 412 on HEAD (policy-facts §5, §5.3).
import type { RegistryClient } from '../../lib/oci/registry-client.ts';
import { RegistryError } from '../../lib/oci/registry-error.ts';
import type { CheckHttp } from '../check-http.ts';

export type PullMethod = 'GET' | 'HEAD';

export interface PullOutcome {
  how: string;
  method: PullMethod;
  reference: string;
  status: number;
  code: string;
  message: string;
  /** Digest of the manifest received (GET) or announced (HEAD) on 200. */
  digest?: string;
}

export const NOT_SIGNED_BY_COSIGN = 'The image is not signed by cosign.';
export const NOT_SIGNED_BY_NOTATION = 'The image is not signed by notation.';

const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];

export async function tokenPull(client: RegistryClient, repository: string, reference: string, method: PullMethod, how = 'token'): Promise<PullOutcome> {
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
    if (error instanceof RegistryError) return { ...base, status: error.status, code: error.code, message: error.registryMessage };
    throw error;
  }
}

/** GET and HEAD, by tag and by digest, with a bearer token. */
export async function tokenPullsEveryWay(client: RegistryClient, repository: string, tag: string, digest: string, how = 'token'): Promise<PullOutcome[]> {
  const outcomes: PullOutcome[] = [];
  for (const reference of [tag, digest]) {
    for (const method of ['GET', 'HEAD'] as const) outcomes.push(await tokenPull(client, repository, reference, method, how));
  }
  return outcomes;
}

/** GET and HEAD by tag and digest with the admin's basic credentials sent straight to /v2 (no token). */
export async function basicAuthPullsEveryWay(http: CheckHttp, registryBaseUrl: string, repository: string, tag: string, digest: string): Promise<PullOutcome[]> {
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

/** One line per outcome, for failure messages and evidence. */
export function showPulls(outcomes: readonly PullOutcome[]): string {
  return outcomes
    .map((o) => `${o.how} ${o.method} ${o.reference} → ${o.status}${o.code ? ` ${o.code}` : ''}${o.message ? `: ${o.message}` : ''}`)
    .join('\n');
}

/** Every outcome is a 412 PROJECTPOLICYVIOLATION; GETs carry exactly `message`. */
export function expectRefused(outcomes: readonly PullOutcome[], message: string, what: string): void {
  const wrong = outcomes.filter((o) => o.status !== 412 || (o.method === 'GET' && (o.code !== 'PROJECTPOLICYVIOLATION' || o.message !== message)));
  if (wrong.length > 0) throw new Error(`${what}: expected 412 PROJECTPOLICYVIOLATION "${message}" on every pull, got:\n${showPulls(outcomes)}`);
}

/** Every outcome is a 200 with the expected digest. */
export function expectAllowed(outcomes: readonly PullOutcome[], digest: string, what: string): void {
  const wrong = outcomes.filter((o) => o.status !== 200 || o.digest !== digest);
  if (wrong.length > 0) throw new Error(`${what}: expected 200 with ${digest} on every pull, got:\n${showPulls(outcomes)}`);
}

export const isRefused = (o: PullOutcome): boolean => o.status === 412;
