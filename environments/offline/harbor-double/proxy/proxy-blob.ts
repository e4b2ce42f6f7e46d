// Blob GET in a proxy-cache project (goharbor/harbor src/server/middleware/repoproxy/proxy.go handleBlob,
// src/controller/proxy/controller.go ProxyBlob@v2.15.2): a local blob (or an upstream the proxy may not
// contact) is served by the registry; otherwise the upstream's blob is streamed to the client — at
// proxy_speed_kb KB/s when set — and pushed into the local registry in the background.
//
// As in every v2.15 release, the blob headers are set after the body was copied (setHeaders after io.CopyN),
// so they never reach the client: a proxied blob goes out chunked, without Content-Length and without
// Docker-Content-Digest (goharbor/harbor#23373, fixed on main for 2.16.0 by serveBlob). Upstream errors are
// not retried locally: 404 stays 404, anything else is a masked 500.
import { pipeline } from 'node:stream/promises';
import type { FastifyReply } from 'fastify';
import type { DoubleServices } from '../double-services.ts';
import { HarborError, notFound } from '../harbor-error.ts';
import { pacedStream } from '../registry/throttled-path.ts';
import type { ProjectRow } from '../store/projects.ts';
import { fillBlob, localBlobExists } from './cache-fill.ts';
import { acquireUpstreamConnection } from './connection-limit.ts';
import { remoteRepositoryOf, upstreamOf } from './proxy-manifest.ts';
import { UpstreamError } from './upstream-registry.ts';

/** Serves the blob from the upstream and returns true, or returns false for the local registry to serve it. */
export async function proxyBlob(
  services: DoubleServices,
  reply: FastifyReply,
  repository: string,
  digest: string,
  project: ProjectRow,
): Promise<boolean> {
  const upstream = await upstreamOf(services, project);
  if (!upstream || (await localBlobExists(services, repository, digest))) return false;
  const release = await acquireUpstreamConnection(services, project, repository, digest);
  try {
    const remote = remoteRepositoryOf(project, repository);
    let blob: Awaited<ReturnType<typeof upstream.blob>>;
    try {
      blob = await upstream.blob(remote, digest);
    } catch (error) {
      if (error instanceof UpstreamError && error.status === 404) throw notFound(error.message);
      throw new HarborError('UNKNOWN', (error as Error).message);
    }
    fillBlob(services, upstream, remote, repository, digest);
    const speedKb = Number.parseInt(project.metadata['proxy_speed_kb'] ?? '', 10);
    reply.hijack();
    reply.raw.writeHead(200, { 'Docker-Distribution-Api-Version': 'registry/2.0' });
    if (speedKb > 0) await pipeline(blob.body, pacedStream(speedKb * 1024), reply.raw);
    else await pipeline(blob.body, reply.raw);
    return true;
  } finally {
    await release();
  }
}
