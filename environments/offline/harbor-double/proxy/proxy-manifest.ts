// Manifest GET/HEAD in a proxy-cache project: Harbor's repoproxy ManifestMiddleware in front of the local
// handler (which holds the content-trust and vulnerability checks). What the upstream answers directly never
// passes those checks: they only see what is served locally (goharbor/harbor src/server/registry/route.go,
// src/server/middleware/repoproxy/proxy.go handleManifest@v2.15.2).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DoubleServices } from '../double-services.ts';
import { HarborError, notFound } from '../harbor-error.ts';
import { findArtifact, isDigest } from '../store/artifacts.ts';
import { isTrue, type ProjectRow } from '../store/projects.ts';
import { cachedIndex, ensureTagLater, fillManifest } from './cache-fill.ts';
import { acquireUpstreamConnection } from './connection-limit.ts';
import { decideManifest, needsUpstream, type UpstreamHead } from './manifest-decision.ts';
import { proxyEndpointOf } from './proxy-registry.ts';
import { UpstreamError, UpstreamRegistry } from './upstream-registry.ts';

export const tooManyRequests = () => new HarborError('TOO_MANY_REQUEST', 'too many requests to upstream registry');

/** The remote repository: the local one without its project (controller.go getRemoteRepo). */
export const remoteRepositoryOf = (project: ProjectRow, repository: string) =>
  repository.startsWith(`${project.name}/`) ? repository.slice(project.name.length + 1) : repository;

/** The upstream when the proxy may contact it (canProxy: a registry whose stored status is healthy). */
export async function upstreamOf(services: DoubleServices, project: ProjectRow): Promise<UpstreamRegistry | undefined> {
  const endpoint = await proxyEndpointOf(services, project.registry_id);
  return endpoint ? new UpstreamRegistry(endpoint) : undefined;
}

export async function proxyManifest(
  services: DoubleServices,
  request: FastifyRequest,
  reply: FastifyReply,
  repository: string,
  reference: string,
  project: ProjectRow,
  local: () => Promise<void>,
): Promise<void> {
  const upstream = await upstreamOf(services, project);
  if (!upstream) return local();
  const remote = remoteRepositoryOf(project, repository);
  const byDigest = isDigest(reference);
  const artifact = await findArtifact(services.db, repository, reference);
  let head: UpstreamHead | undefined;
  const cacheSwallowsFailures = services.faults.has('proxy-cache-stale-tag');
  // proxy-manifest-always-from-upstream: the cached copy is never served while the upstream has the manifest
  const alwaysUpstream = services.faults.has('proxy-manifest-always-from-upstream');
  if ((needsUpstream(artifact?.digest, byDigest) || alwaysUpstream) && !(cacheSwallowsFailures && artifact)) {
    try {
      const found = await upstream.manifestExists(remote, reference);
      head = found ? { kind: 'found', digest: found.digest } : { kind: 'not-found' };
    } catch (error) {
      const upstreamError = error instanceof UpstreamError ? error : new UpstreamError(0, (error as Error).message);
      head = { kind: 'error', rateLimited: upstreamError.rateLimited, message: upstreamError.message };
    }
  }
  const upstreamDigest = head?.kind === 'found' ? head.digest : undefined;
  const index = upstreamDigest
    ? await cachedIndex(services, repository, byDigest ? reference : upstreamDigest)
    : undefined;
  let decision = decideManifest(
    {
      localDigest: artifact?.digest,
      byDigest,
      upstream: head,
      localOnNotFound:
        isTrue(project.metadata['proxy_cache_local_on_not_found']) &&
        !services.faults.has('proxy-local-on-not-found-ignored'),
      cachedIndex: index !== undefined,
    },
    repository,
    byDigest ? '' : reference,
  );
  // proxy-cache-stale-tag: a cached tag is answered from the cache without asking the upstream
  if (cacheSwallowsFailures && artifact) decision = { serve: 'local' };
  if (alwaysUpstream && decision.serve === 'local' && head?.kind === 'found') decision = { serve: 'upstream' };
  switch (decision.serve) {
    case 'local':
      return local();
    case 'not-found':
      throw notFound(decision.message);
    case 'too-many-requests':
      throw tooManyRequests();
    case 'fallback-local':
      if (services.faults.has('proxy-cache-no-local-fallback')) throw new HarborError('UNKNOWN', decision.reason);
      log(`failed to proxy manifest, fallback to local, request uri: ${request.url}, error: ${decision.reason}`);
      return local();
    case 'cached-index': {
      if (!index || !upstreamDigest) return local();
      return answer(reply, request.method, index.contentType, index.body.length, upstreamDigest, index.body);
    }
    case 'upstream':
      break;
  }
  const release = await acquireUpstreamConnection(services, project, repository, reference);
  try {
    if (request.method === 'HEAD') {
      const found = await upstream.manifestExists(remote, reference);
      if (!found) throw notFound(`the tag ${repository}:${reference} is not found`);
      if (!byDigest) ensureTagLater(services, repository, reference, found.digest);
      return answer(reply, 'HEAD', found.mediaType, found.size, found.digest);
    }
    const manifest = await upstream.manifest(remote, reference);
    fillManifest({ services, project, upstream, remoteRepository: remote, repository, reference, manifest });
    // setHeaders(w, len(payload), ct, art.Digest): art.Digest is empty for a pull by tag
    return answer(reply, 'GET', manifest.mediaType, manifest.body.length, byDigest ? reference : '', manifest.body);
  } catch (error) {
    if (error instanceof HarborError && (error.code === 'NOT_FOUND' || error.code === 'TOO_MANY_REQUEST')) throw error;
    if (error instanceof UpstreamError && error.status === 404) throw notFound(error.message);
    if (error instanceof UpstreamError && error.rateLimited) throw tooManyRequests();
    if (services.faults.has('proxy-cache-no-local-fallback'))
      throw new HarborError('UNKNOWN', (error as Error).message);
    log(`Proxy to remote failed, fallback to local repo, error: ${(error as Error).message}`);
    return local();
  } finally {
    await release();
  }
}

/** A manifest answer with Harbor's headers; a HEAD carries the length of the body it leaves out. */
function answer(
  reply: FastifyReply,
  method: string,
  contentType: string,
  length: number,
  digest: string,
  body?: Buffer,
): void {
  reply.hijack();
  reply.raw.writeHead(200, {
    'Content-Length': String(length),
    'Content-Type': contentType,
    'Docker-Content-Digest': digest,
    Etag: digest,
    'Docker-Distribution-Api-Version': 'registry/2.0',
  });
  reply.raw.end(method === 'GET' ? body : undefined);
}

function log(line: string): void {
  process.stdout.write(`harbor-double: proxy cache: ${line}\n`);
}
