// The /v2 API: Harbor's v2auth checks, then either core's own answers (catalog, tags list, manifests
// resolved through its database) or a streaming reverse proxy to the backend registry with the
// registry credential. Bodies are never buffered except manifests (small, needed for the digest).
import type { IncomingHttpHeaders } from 'node:http';
import { posix } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { allowed } from '../api/api-support.ts';
import { inTransaction } from '../database.ts';
import type { DoubleServices } from '../double-services.ts';
import { badRequest, errorResponse, HarborError, notFound, unauthorized } from '../harbor-error.ts';
import { unfixed } from '../faults/previous-patch.ts';
import { isAuthenticated, usernameOf, type SecurityContext } from '../security/security-context.ts';
import {
  addReferences,
  catalogNames,
  ensureRepository,
  findArtifact,
  findArtifactByDigest,
  findRepository,
  isDigest,
  markPulled,
  setTag,
  tagNames,
  tagsOf,
  upsertArtifact,
} from '../store/artifacts.ts';
import { findProject, projectFacts, type ProjectRow } from '../store/projects.ts';
import { enforceVulnerabilityPolicy } from '../scan/pull-policy.ts';
import { scanOnPush } from '../scan/scan-on-push.ts';
import { deletionEvent, replicateDeletion, replicateOnPush } from '../replication/replication-events.ts';
import { REGISTRY_SERVICE } from '../token/registry-token.ts';
import { deleteAccessoriesOf, recordAccessories } from './accessory-recording.ts';
import { refreshProjectQuota } from '../quota/project-quota.ts';
import { deleteArtifactDeeply } from '../store/artifact-deletion.ts';
import {
  checkHeadBlob,
  completedDigest,
  recordCompletedBlob,
  requireBlobStorage,
  requireManifestStorage,
} from './blob-recording.ts';
import {
  cannotBeUpdated,
  isTagImmutable,
  pushRefused,
  requireArtifactDeletable,
} from '../immutable/immutable-status.ts';
import { enforceContentTrust } from './content-trust.ts';
import { parseManifest } from './manifest-info.ts';
import { storeManifest } from './manifest-store.ts';
import { proxyBlob } from '../proxy/proxy-blob.ts';
import { proxyManifest } from '../proxy/proxy-manifest.ts';
import { proxyTagNames } from '../proxy/proxy-tags.ts';
import { refusePushIntoProxyProject } from '../proxy/push-block.ts';
import { serveReferrers } from './referrers.ts';
import { isThrottledRead, pacedStream, throttledFirstByte } from './throttled-path.ts';
import { actionForMethod, challengeScope, classifyV2Path, type V2Target } from './v2-path.ts';

const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
  'expect',
]);

class V2Denied extends Error {
  readonly challenge: string;
  constructor(message: string, challenge: string) {
    super(message);
    this.challenge = challenge;
  }
}

function sendV2Error(reply: FastifyReply, error: unknown): void {
  if (error instanceof V2Denied) {
    reply.header('Docker-Distribution-Api-Version', 'registry/2.0');
    reply.header('Www-Authenticate', error.challenge);
    reply.status(401).send({ errors: [{ code: 'UNAUTHORIZED', message: error.message }] });
    return;
  }
  if (!(error instanceof HarborError)) reply.log.error({ err: (error as Error).message }, 'v2 request failed');
  const { status, body } = errorResponse(error);
  reply.status(status).send(body);
}

function externalOrigin(services: DoubleServices, request: FastifyRequest): string {
  const host = request.headers.host ?? new URL(services.config.extEndpoint).host;
  const core = new URL(services.config.coreUrl);
  if (host === core.host) return core.origin;
  const scheme = new URL(services.config.extEndpoint).protocol;
  return `${scheme}//${host}`;
}

function challengeFor(services: DoubleServices, request: FastifyRequest, target: V2Target, scopes: string[]): string {
  if (request.headers.authorization || target.kind === 'catalog') return 'Basic realm="harbor"';
  const realm = `${externalOrigin(services, request)}/service/token`;
  const base = `Bearer realm="${realm}",service="${REGISTRY_SERVICE}"`;
  return scopes.length > 0 ? `${base},scope="${scopes.join(' ')}"` : base;
}

/** Harbor's wrapped-error message: "<msg>: <msg>" (goharbor/harbor src/server/middleware/v2auth/auth.go@v2.15.x). */
const doubled = (message: string) => `${message}: ${message}`;

async function projectOfRepository(services: DoubleServices, repository: string): Promise<ProjectRow> {
  const name = repository.split('/')[0] ?? '';
  const project = await findProject(services.db, name, true);
  if (!project) throw new V2Denied(doubled(`project ${name} not found`), '');
  return project;
}

/** v2auth: returns the project the request touches (if any) or throws V2Denied. */
async function authorize(
  services: DoubleServices,
  request: FastifyRequest,
  target: V2Target,
): Promise<ProjectRow | undefined> {
  const ctx = request.security;
  if (target.kind === 'login') {
    // Distribution without core's v2auth answers GET /v2/ with 200 {} to anyone.
    if (services.faults.has('anonymous-catalog-leak')) return undefined;
    if (!isAuthenticated(ctx)) throw new V2Denied('unauthorized', challengeFor(services, request, target, []));
    return undefined;
  }
  if (target.kind === 'catalog') {
    if (services.faults.has('anonymous-catalog-leak')) return undefined;
    if (!(await allowed(services, ctx, { type: 'system' }, 'catalog', 'read'))) {
      throw new V2Denied(doubled('unauthorized to list catalog'), challengeFor(services, request, target, []));
    }
    return undefined;
  }
  if (target.kind === 'unknown') return undefined;
  const action = actionForMethod(request.method);
  if (!action) return undefined;
  const checks: Array<{ repository: string; action: 'pull' | 'push' | 'delete' }> = [
    { repository: target.repository, action },
  ];
  const query = request.query as Record<string, string | undefined>;
  // blob-mount-skips-source-pull: the mount source's pull is not checked, so a blob of any project can be mounted.
  if (
    target.kind === 'blob-upload' &&
    request.method === 'POST' &&
    query['mount'] &&
    query['from'] &&
    !services.faults.has('blob-mount-skips-source-pull')
  ) {
    checks.push({ repository: query['from'], action: 'pull' });
  }
  const scopes = checks.map((c) => challengeScope(c.repository, c.action));
  if (!request.headers.authorization && (request.method === 'HEAD' || request.method === 'GET')) {
    // v2auth (auth.go@v2.15.2) challenges every repository GET and HEAD without an Authorization header, so that
    // clients fetch a token (goharbor/harbor#11271); public projects are pulled with an anonymous token.
    throw new V2Denied(
      'authorize header needed to send HEAD to repository',
      challengeFor(services, request, target, scopes),
    );
  }
  let touched: ProjectRow | undefined;
  for (const check of checks) {
    const project = await projectOfRepository(services, check.repository);
    if (
      !(await allowed(services, ctx, { type: 'project', project: projectFacts(project) }, 'repository', check.action))
    ) {
      throw new V2Denied(
        doubled(`unauthorized to access repository: ${check.repository}, action: ${check.action}`),
        challengeFor(services, request, target, scopes),
      );
    }
    touched ??= project;
  }
  return touched;
}

function forwardedRequestHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || name === 'host' || name === 'authorization' || name === 'cookie')
      continue;
    result[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return result;
}

async function relay(
  services: DoubleServices,
  request: FastifyRequest,
  reply: FastifyReply,
  upstreamPath: string,
  withBody: boolean,
): Promise<void> {
  const search = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
  const upstream = await services.registry.send(
    request.method as 'GET',
    upstreamPath + search,
    forwardedRequestHeaders(request.headers),
    withBody ? request.raw : undefined,
  );
  const origin = externalOrigin(services, request);
  const registryOrigin = new URL(services.registry.baseUrl).origin;
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(upstream.headers)) {
    if (value === undefined || HOP_BY_HOP.has(name)) continue;
    if (name === 'location' && typeof value === 'string' && value.startsWith(registryOrigin)) {
      headers[name] = origin + value.slice(registryOrigin.length);
    } else {
      headers[name] = value;
    }
  }
  const throttled = services.faults.has('registry-path-throttled') && isThrottledRead(request.method, upstreamPath);
  if (throttled) await throttledFirstByte();
  reply.hijack();
  reply.raw.writeHead(upstream.statusCode, headers);
  if (throttled) await pipeline(upstream.body, pacedStream(), reply.raw);
  else await pipeline(upstream.body, reply.raw);
}

async function readManifestBody(request: FastifyRequest): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request.raw) {
    size += (chunk as Buffer).length;
    if (size > MAX_MANIFEST_BYTES) throw new HarborError('REQUEST_ENTITY_TOO_LARGE', 'manifest too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

async function getManifest(
  services: DoubleServices,
  request: FastifyRequest,
  reply: FastifyReply,
  repository: string,
  reference: string,
  project: ProjectRow,
): Promise<void> {
  const artifact = await findArtifact(services.db, repository, reference);
  if (!artifact && services.faults.has('manifest-unknown-500'))
    throw new HarborError('UNKNOWN', 'internal server error');
  if (!artifact) throw notFound(`artifact ${repository}${isDigest(reference) ? '@' : ':'}${reference} not found`);
  try {
    await enforceContentTrust(services, request, project, artifact); // before the vulnerability check, as in Harbor
    await enforceVulnerabilityPolicy(services, request, project, artifact, reference);
  } catch (error) {
    // policy-refusal-answered-404: a front that rewrites the policy refusal into "not found".
    if (
      error instanceof HarborError &&
      error.code === 'PROJECTPOLICYVIOLATION' &&
      services.faults.has('policy-refusal-answered-404')
    )
      throw notFound(`artifact ${repository}${isDigest(reference) ? '@' : ':'}${reference} not found`);
    throw error;
  }
  await relay(services, request, reply, `/v2/${repository}/manifests/${artifact.digest}`, false);
  if (request.method === 'GET' && reply.raw.statusCode === 200) {
    const ctx = request.security;
    await markPulled(services.db, artifact, isDigest(reference) ? undefined : reference);
    await services.events.publish({
      type: 'PULL_ARTIFACT',
      operator: usernameOf(ctx),
      occurAt: new Date(),
      projectId: project.project_id,
      repository,
      digest: artifact.digest,
      tags: isDigest(reference) ? [] : [reference],
    });
  }
}

async function putManifest(
  services: DoubleServices,
  request: FastifyRequest,
  reply: FastifyReply,
  repository: string,
  reference: string,
  project: ProjectRow,
): Promise<void> {
  const body = await readManifestBody(request); // read first, so the connection stays usable after a refusal
  // The immutable push middleware (goharbor/harbor src/server/middleware/immutable/pushmf.go@v2.15.x) runs first:
  // an existing immutable tag refuses every push, whatever the digest. A new tag that a rule matches is pushed.
  // immutable-same-digest-repush-allowed: only the tag update below (which lets the same digest through) checks.
  if (
    !isDigest(reference) &&
    !services.faults.has('immutable-same-digest-repush-allowed') &&
    (await findArtifact(services.db, repository, reference)) &&
    (await isTagImmutable(services, project.project_id, repository, reference))
  ) {
    throw pushRefused(repository, reference);
  }
  let info: ReturnType<typeof parseManifest>;
  try {
    info = parseManifest(body, request.headers['content-type']);
  } catch {
    throw new HarborError('MANIFEST_INVALID', 'manifest invalid');
  }
  if (isDigest(reference) && reference !== info.digest)
    throw new HarborError('DIGEST_INVALID', `digest ${reference} does not match the manifest`);
  await requireManifestStorage(services, project, info.digest, body, {
    repository,
    operator: usernameOf(request.security),
    ...(isDigest(reference) ? {} : { tag: reference }),
    digest: info.digest,
  });
  const contentType = request.headers['content-type'] ?? info.manifestMediaType;
  const stored = await storeManifest(services, project, repository, reference, body, contentType, info);
  if (!stored.ok) {
    reply.status(stored.status).header('content-type', stored.contentType).send(stored.text);
    return;
  }
  await services.events.publish({
    type: 'PUSH_ARTIFACT',
    operator: usernameOf(request.security),
    occurAt: new Date(),
    projectId: project.project_id,
    repository,
    digest: info.digest,
    tags: isDigest(reference) ? [] : [reference],
  });
  scanOnPush(
    services,
    project,
    repository,
    info.digest,
    isDigest(reference) ? undefined : reference,
    usernameOf(request.security),
  );
  const subjectDigest = await recordAccessories(services, repository, reference, body, info.digest);
  replicateOnPush(
    services,
    repository,
    info.digest,
    isDigest(reference) ? undefined : reference,
    usernameOf(request.security),
  );
  if (subjectDigest && !services.faults.has('oci-subject-header-missing')) reply.header('OCI-Subject', subjectDigest);
  reply
    .status(201)
    .header('Location', `${externalOrigin(services, request)}/v2/${repository}/manifests/${info.digest}`)
    .header('Docker-Content-Digest', info.digest)
    .header('Docker-Distribution-Api-Version', 'registry/2.0')
    .send();
}

async function deleteManifest(
  services: DoubleServices,
  request: FastifyRequest,
  reply: FastifyReply,
  repository: string,
  reference: string,
  project: ProjectRow,
): Promise<void> {
  // manifest.go deleteManifest: digest.Parse first, wrapped (go-digest's ErrDigestInvalidFormat for a tag).
  if (!isDigest(reference))
    throw new HarborError('UNSUPPORTED', `unsupported digest ${reference}: invalid checksum digest format`);
  const artifact = await findArtifactByDigest(services.db, repository, reference);
  if (!artifact) throw notFound(`artifact ${repository}@${reference} not found`);
  await requireArtifactDeletable(services, artifact);
  if (services.faults.has('manifest-delete-not-applied')) {
    reply.status(202).header('Docker-Distribution-Api-Version', 'registry/2.0').send();
    return;
  }
  const tags = (await tagsOf(services.db, artifact.id)).map((t) => t.name);
  const deleted = await deletionEvent(services, artifact);
  await deleteAccessoriesOf(services, artifact);
  await deleteArtifactDeeply(services, artifact);
  await refreshProjectQuota(services, project.project_id, 'delete');
  replicateDeletion(services, deleted, usernameOf(request.security));
  await services.events.publish({
    type: 'DELETE_ARTIFACT',
    operator: usernameOf(request.security),
    occurAt: new Date(),
    projectId: project.project_id,
    repository,
    digest: artifact.digest,
    tags,
  });
  reply.status(202).header('Docker-Distribution-Api-Version', 'registry/2.0').send();
}

/** n/last pagination over a sorted list, with the Link header distribution sends. */
function paginate(request: FastifyRequest, reply: FastifyReply, all: string[], path: string): string[] {
  const query = request.query as Record<string, string | undefined>;
  const last = query['last'];
  let items = last ? all.filter((name) => name > last) : all;
  const n = query['n'] === undefined ? undefined : Number(query['n']);
  if (n !== undefined && Number.isInteger(n) && n >= 0 && items.length > n) {
    items = items.slice(0, n);
    const lastShown = items[items.length - 1];
    if (lastShown !== undefined)
      reply.header('Link', `<${path}?last=${encodeURIComponent(lastShown)}&n=${n}>; rel="next"`);
  }
  return items;
}

async function handleV2(services: DoubleServices, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const rawPath = request.url.split('?')[0] ?? '/';
  const dots = hasDotSegment(rawPath);
  // GHSA-qj39-pjf2-wmrc: since v2.15.3 a /v2/ path with "." or ".." segments is refused with 400. Before,
  // v2auth authorised the repository as written and the registry served the resolved path.
  const path = dots ? posix.normalize(rawPath.replace(/%2e/gi, '.')) : rawPath;
  const target = classifyV2Path(path);
  try {
    // v2-dot-dot-authorized-on-first-segment (access-matrix) is the same traversal defect found by the matrix.
    const traversalUnfixed =
      unfixed(services.faults, 'GHSA-qj39-pjf2-wmrc') || services.faults.has('v2-dot-dot-authorized-on-first-segment');
    if (dots && !traversalUnfixed) throw badRequest(`invalid path ${rawPath}: "." and ".." segments are not allowed`);
    const project = await authorize(services, request, dots ? asWritten(target, rawPath) : target);
    reply.header('Docker-Distribution-Api-Version', 'registry/2.0');
    const writes = ['PUT', 'POST', 'PATCH', 'DELETE'].includes(request.method);
    if (writes && (await services.systemConfig.get<boolean>('read_only'))) {
      throw new HarborError('DENIED', 'The system is in read only mode. Any modification is prohibited.');
    }
    switch (target.kind) {
      case 'login':
        reply.status(200).send({});
        return;
      case 'catalog': {
        const repositories = paginate(request, reply, await catalogNames(services.db), '/v2/_catalog');
        reply.send({ repositories });
        return;
      }
      case 'tags': {
        const proxied = project ? await proxyTagNames(services, project, target.repository) : undefined;
        if (!proxied && !(await findRepository(services.db, target.repository)))
          throw notFound(`repository ${target.repository} not found`);
        const tags = paginate(
          request,
          reply,
          proxied ?? (await tagNames(services.db, target.repository)),
          `/v2/${target.repository}/tags/list`,
        );
        reply.send({ name: target.repository, tags });
        return;
      }
      case 'referrers':
        // Core serves GET only; anything else goes to the registry like Harbor's catch-all route.
        if (request.method === 'GET')
          return await serveReferrers(services, request, reply, target.repository, target.digest);
        return await relay(services, request, reply, path, false);
      case 'manifest': {
        if (!project) throw unauthorized();
        if (request.method === 'GET' || request.method === 'HEAD') {
          const local = () => getManifest(services, request, reply, target.repository, target.reference, project);
          if (project.registry_id > 0)
            return await proxyManifest(services, request, reply, target.repository, target.reference, project, local);
          return await local();
        }
        if (
          request.method === 'PUT' &&
          (await refusePushIntoProxyProject(services, request, reply, project, 'manifest'))
        )
          return;
        if (request.method === 'PUT')
          return await putManifest(services, request, reply, target.repository, target.reference, project);
        if (request.method === 'DELETE')
          return await deleteManifest(services, request, reply, target.repository, target.reference, project);
        throw new HarborError('METHOD_NOT_ALLOWED', 'method not allowed');
      }
      case 'blob':
        if (request.method === 'GET' && services.faults.has('storage-redirect-to-internal-endpoint')) {
          // distribution's s3 driver with redirect on: a presigned URL of the in-cluster object store
          const hex = target.digest.replace(/^sha256:/, '');
          reply
            .status(307)
            .header(
              'Location',
              `http://object-storage:9000/harbor/docker/registry/v2/blobs/sha256/${hex.slice(0, 2)}/${hex}/data`,
            )
            .send();
          return;
        }
        if (request.method === 'HEAD') await checkHeadBlob(services, target.digest);
        if (request.method === 'GET' && project && project.registry_id > 0) {
          if (await proxyBlob(services, reply, target.repository, target.digest, project)) return;
        }
        return await relay(services, request, reply, path, !['GET', 'HEAD', 'DELETE'].includes(request.method));
      case 'blob-upload': {
        if (
          request.method === 'POST' &&
          project &&
          (await refusePushIntoProxyProject(services, request, reply, project, 'blob'))
        )
          return;
        const completed = project ? completedDigest(request) : undefined;
        if (project && completed)
          await requireBlobStorage(services, request, project, completed, request.method === 'PUT' ? path : undefined, {
            repository: target.repository,
            operator: usernameOf(request.security),
          });
        await relay(services, request, reply, path, !['GET', 'HEAD', 'DELETE'].includes(request.method));
        if (project && completed) await recordCompletedBlob(services, reply, project, target.repository, completed);
        return;
      }
      case 'unknown':
        throw notFound(`not found: ${path}`);
    }
  } catch (error) {
    if (reply.sent || reply.raw.headersSent) {
      reply.raw.destroy();
      return;
    }
    sendV2Error(reply, error);
  }
}

export function registerV2Routes(app: FastifyInstance, services: DoubleServices): void {
  app.register(async (scope) => {
    // Bodies stay unread streams: the handler relays them to the registry (or reads a manifest).
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
    const handler = (request: FastifyRequest, reply: FastifyReply) => handleV2(services, request, reply);
    const methods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
    scope.route({ method: [...methods], url: '/v2', handler, exposeHeadRoute: false });
    scope.route({ method: [...methods], url: '/v2/*', handler, exposeHeadRoute: false });
  });
}

export type { SecurityContext };

/** A "." or ".." path segment, also percent-encoded (Go's URL.Path is decoded before Harbor sees it). */
function hasDotSegment(rawPath: string): boolean {
  return rawPath.split('/').some((segment) => /^(?:\.|%2e){1,2}$/i.test(segment));
}

/** The target with the repository as the unfixed v2auth read it from the raw path: its project is the first segment. */
function asWritten(target: V2Target, rawPath: string): V2Target {
  if (!('repository' in target)) return target;
  const written = rawPath.replace(/^\/v2\//, '').replace(/\/(?:manifests|blobs|tags|referrers)\/.*$/, '');
  return { ...target, repository: written };
}
