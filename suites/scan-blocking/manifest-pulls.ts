// Manifest pulls as docker and containerd make them (bearer token from /service/token, then GET or
// HEAD /v2/<repo>/manifests/<tag|digest>), answered as outcomes rather than exceptions: Harbor's pull
// blocker answers 412 PROJECTPOLICYVIOLATION on GET (with its message) and a bare 412 on HEAD.
import type { RegistryClient } from '../../lib/oci/registry-client.ts';
import { RegistryError } from '../../lib/oci/registry-error.ts';

export type PullMethod = 'GET' | 'HEAD';

export interface PullOutcome {
  method: PullMethod;
  reference: string;
  status: number;
  code: string;
  message: string;
  /** Digest of the manifest received (GET) or announced (HEAD) on 200. */
  digest?: string;
}

export async function pullManifest(client: RegistryClient, repository: string, reference: string, method: PullMethod): Promise<PullOutcome> {
  try {
    if (method === 'GET') {
      const manifest = await client.getManifest(repository, reference);
      return { method, reference, status: 200, code: '', message: '', digest: manifest.digest };
    }
    const head = await client.headManifest(repository, reference);
    if (!head) return { method, reference, status: 404, code: 'MANIFEST_UNKNOWN', message: '' };
    return { method, reference, status: 200, code: '', message: '', digest: head.digest };
  } catch (error) {
    if (error instanceof RegistryError) return { method, reference, status: error.status, code: error.code, message: error.registryMessage };
    throw error;
  }
}

/** GET and HEAD, by tag and by digest. */
export async function pullEveryWay(client: RegistryClient, repository: string, tag: string, digest: string): Promise<PullOutcome[]> {
  const outcomes: PullOutcome[] = [];
  for (const reference of [tag, digest]) {
    for (const method of ['GET', 'HEAD'] as const) outcomes.push(await pullManifest(client, repository, reference, method));
  }
  return outcomes;
}

export const describePull = (o: PullOutcome): string => `${o.method} ${o.reference}`;

/** One line per outcome, for failure messages and evidence. */
export function showPulls(outcomes: readonly PullOutcome[]): string {
  return outcomes.map((o) => `${describePull(o)} → ${o.status}${o.code ? ` ${o.code}` : ''}${o.message ? `: ${o.message}` : ''}`).join('\n');
}
