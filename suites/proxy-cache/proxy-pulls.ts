// Pulls through Harbor's proxy-cache project as a client makes them: a bearer token for the repository, the
// manifest by tag or digest, then (for an image) its config and layers, each blob's bytes checked against its
// digest and its framing (Content-Length, Docker-Content-Digest) kept. Every pull is timed; a bounded pull gives
// up after `boundMs` and says so, so a black-holed upstream behind Harbor never holds a check past its timeout.
import { createHash } from 'node:crypto';
import { pullScope } from '../../lib/oci/registry-client.ts';
import type { CheckContext } from '../check.ts';
import { MANIFEST_TYPES } from '../support/manifest-pulls.ts';

export interface BlobFetch {
  digest: string;
  status: number;
  /** The body's sha256 matches the digest asked for. */
  intact: boolean;
  contentLength: string | undefined;
  dockerContentDigest: string | undefined;
}

export interface ProxyPull {
  what: string;
  status: number;
  /** Harbor's error code and message, when it answered one. */
  error?: string;
  /** The digest of the manifest received (computed from its bytes). */
  digest?: string;
  mediaType?: string;
  body?: Buffer;
  blobs: BlobFetch[];
  ms: number;
  /** No answer within the bound. */
  timedOut: boolean;
}

const sha256 = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

async function bearer(ctx: CheckContext, repository: string): Promise<string> {
  const issued = await ctx.registry.tokenFor([pullScope(repository)]);
  ctx.secret(issued.token);
  return issued.token;
}

/**
 * GET (or HEAD) a manifest through Harbor and, with `blobs`, the image's config and layers. An index is
 * fetched as it is; pull one of its children by digest with another call.
 */
export async function pullThroughHarbor(
  ctx: CheckContext,
  repository: string,
  reference: string,
  options: { method?: 'GET' | 'HEAD'; blobs?: boolean; boundMs?: number } = {},
): Promise<ProxyPull> {
  const method = options.method ?? 'GET';
  const what = `${method} ${repository}${reference.startsWith('sha256:') ? '@' : ':'}${reference}`;
  const token = await bearer(ctx, repository);
  const started = performance.now();
  const signal = options.boundMs ? AbortSignal.timeout(options.boundMs) : ctx.signal;
  const result: ProxyPull = { what, status: 0, blobs: [], ms: 0, timedOut: false };
  try {
    const response = await fetch(`${ctx.target.url}/v2/${repository}/manifests/${reference}`, {
      method,
      headers: { authorization: `Bearer ${token}`, accept: MANIFEST_TYPES.join(', ') },
      signal,
    });
    const body = Buffer.from(await response.arrayBuffer());
    result.status = response.status;
    if (response.status !== 200) {
      const first = parseError(body);
      if (first) result.error = first;
    } else {
      result.mediaType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
      result.digest = method === 'GET' ? sha256(body) : (response.headers.get('docker-content-digest') ?? undefined);
      if (method === 'GET') result.body = body;
      if (options.blobs && method === 'GET') {
        const manifest = JSON.parse(body.toString('utf8')) as {
          config?: { digest: string };
          layers?: Array<{ digest: string }>;
        };
        const digests = [...(manifest.config ? [manifest.config.digest] : []), ...(manifest.layers ?? [])].map((d) =>
          typeof d === 'string' ? d : d.digest,
        );
        for (const digest of digests) result.blobs.push(await fetchBlob(ctx, repository, digest, token, signal));
      }
    }
  } catch (error) {
    if ((error as Error).name !== 'TimeoutError' && (error as Error).name !== 'AbortError') throw error;
    result.timedOut = true;
  }
  result.ms = Math.round(performance.now() - started);
  ctx.evidence.note(what, JSON.stringify({ ...result, body: undefined }));
  return result;
}

async function fetchBlob(
  ctx: CheckContext,
  repository: string,
  digest: string,
  token: string,
  signal: AbortSignal,
): Promise<BlobFetch> {
  const response = await fetch(`${ctx.target.url}/v2/${repository}/blobs/${digest}`, {
    headers: { authorization: `Bearer ${token}` },
    signal,
  });
  const body = Buffer.from(await response.arrayBuffer());
  return {
    digest,
    status: response.status,
    intact: response.status === 200 && sha256(body) === digest,
    contentLength: response.headers.get('content-length') ?? undefined,
    dockerContentDigest: response.headers.get('docker-content-digest') ?? undefined,
  };
}

function parseError(body: Buffer): string | undefined {
  try {
    const first = (JSON.parse(body.toString('utf8')) as { errors?: Array<{ code: string; message: string }> })
      .errors?.[0];
    return first ? `${first.code} ${first.message}` : undefined;
  } catch {
    return undefined;
  }
}

/** One line per pull, for failure messages and the console. */
export function describePulls(pulls: readonly ProxyPull[]): string {
  return pulls
    .map(
      (p) =>
        `${p.what} → ${p.timedOut ? `no answer within ${p.ms} ms` : `${p.status}${p.error ? ` ${p.error}` : ''}`} (${p.ms} ms)` +
        (p.blobs.length > 0
          ? `; blobs ${p.blobs.map((b) => `${b.status}${b.intact ? '' : ' CORRUPT'}`).join(',')}`
          : ''),
    )
    .join('\n');
}

/** Pulled completely: manifest 200 with the expected digest, every blob 200 with its bytes. */
export function pulledImage(pull: ProxyPull, digest: string): boolean {
  return pull.status === 200 && pull.digest === digest && pull.blobs.every((b) => b.intact);
}
