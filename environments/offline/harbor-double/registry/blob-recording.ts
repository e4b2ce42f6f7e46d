// Core's blob and quota middlewares on the /v2 push path (goharbor/harbor src/server/middleware/blob/*.go,
// src/server/middleware/quota/{put_blob_upload,post_initiate_blob_upload,put_manifest}.go@v2.15.2):
// - before a blob upload completes (PUT …/uploads/<id>?digest=, POST …/uploads/?digest=, a mount), the quota must
//   hold the blob unless the project already has it; after the registry's 201 the blob is recorded and the project
//   holds it;
// - HEAD of a blob GC is deleting answers 404 so the client uploads it again; any other HEAD touches the blob;
// - before a manifest PUT the quota must hold the manifest and every reference the project lacks; after the 201
//   every reference and the manifest itself are recorded, held by the project and linked to the artifact.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Queryable } from '../database.ts';
import type { DoubleServices } from '../double-services.ts';
import { HarborError } from '../harbor-error.ts';
import { type QuotaRequest, refreshProjectQuota, requireStorage } from '../quota/project-quota.ts';
import { untrash } from '../store/artifact-trash.ts';
import {
  associateWithArtifact,
  associateWithProject,
  ensureBlob,
  findBlob,
  isForeignLayer,
  missingFromProject,
  projectHasBlob,
  touchBlob,
} from '../store/blobs.ts';
import type { ProjectRow } from '../store/projects.ts';

export interface Reference {
  digest: string;
  size: number;
  mediaType: string;
}

/** What a manifest references: config and layers of an image, the manifests of an index. */
export function manifestReferences(body: Buffer): Reference[] {
  const doc = JSON.parse(body.toString('utf8')) as {
    config?: { digest?: string; size?: number; mediaType?: string };
    layers?: Array<{ digest?: string; size?: number; mediaType?: string }>;
    manifests?: Array<{ digest?: string; size?: number; mediaType?: string }>;
  };
  const all = [...(doc.config ? [doc.config] : []), ...(doc.layers ?? []), ...(doc.manifests ?? [])];
  return all
    .filter((d): d is { digest: string; size?: number; mediaType?: string } => typeof d.digest === 'string')
    .map((d) => ({ digest: d.digest, size: d.size ?? 0, mediaType: d.mediaType ?? '' }));
}

/** putManifestResources: the bytes the manifest PUT adds to the project. */
export async function requireManifestStorage(
  services: DoubleServices,
  project: ProjectRow,
  digest: string,
  body: Buffer,
  request: QuotaRequest,
): Promise<void> {
  if (await projectHasBlob(services.db, project.project_id, digest)) return;
  const references = manifestReferences(body);
  const missing = await missingFromProject(
    services.db,
    project.project_id,
    references.map((r) => r.digest),
  );
  let size = body.length;
  for (const reference of references) {
    if (missing.has(reference.digest) && !isForeignLayer({ content_type: reference.mediaType })) size += reference.size;
  }
  await requireStorage(services, project, size, request);
}

/** After the registry stored the manifest: blobs recorded, held by the project, linked to the artifact. */
export async function recordManifestBlobs(
  services: DoubleServices,
  project: ProjectRow,
  repository: string,
  manifest: { digest: string; mediaType: string; body: Buffer },
  db: Queryable = services.db,
): Promise<void> {
  const references = manifestReferences(manifest.body);
  const ids: number[] = [];
  for (const reference of references) {
    const blob = await ensureBlob(db, {
      digest: reference.digest,
      size: reference.size,
      contentType: reference.mediaType,
    });
    ids.push(blob.id);
  }
  const own = await ensureBlob(db, {
    digest: manifest.digest,
    size: manifest.body.length,
    contentType: manifest.mediaType,
  });
  ids.push(own.id);
  await associateWithProject(db, project.project_id, ids);
  await associateWithArtifact(db, manifest.digest, [...references.map((r) => r.digest), manifest.digest]);
  await untrash(db, repository, manifest.digest);
  await refreshProjectQuota(services, project.project_id, 'push', db);
}

/** The blob an upload request completes (or mounts), if it is one: the digest it names. */
export function completedDigest(request: FastifyRequest): string | undefined {
  const query = request.query as Record<string, string | undefined>;
  if (request.method === 'PUT' && query['digest']) return query['digest'];
  if (request.method === 'POST' && query['digest']) return query['digest'];
  if (request.method === 'POST' && query['mount']) return query['mount'];
  return undefined;
}

/** putBlobUploadResources / postInitiateBlobUploadResources: the bytes completing this upload adds. */
export async function requireBlobStorage(
  services: DoubleServices,
  request: FastifyRequest,
  project: ProjectRow,
  digest: string,
  uploadStatusPath: string | undefined,
  quotaRequest: QuotaRequest,
): Promise<void> {
  if (await projectHasBlob(services.db, project.project_id, digest)) return;
  const query = request.query as Record<string, string | undefined>;
  let size = Number(request.headers['content-length'] ?? 0);
  if (request.method === 'POST' && query['mount']) size = (await findBlob(services.db, digest))?.size ?? 0;
  else if (!(size > 0) && uploadStatusPath) size = await acceptedUploadSize(services, uploadStatusPath);
  await requireStorage(services, project, size, quotaRequest);
}

/** GetAcceptedBlobSize: what the upload session holds so far, from the registry's upload status (Range: 0-<last>). */
async function acceptedUploadSize(services: DoubleServices, uploadPath: string): Promise<number> {
  const response = await services.registry.send('GET', uploadPath);
  await response.body.dump();
  const range = response.headers['range'];
  const match = typeof range === 'string' ? /^0-(\d+)$/.exec(range) : null;
  return match ? Number(match[1]) + 1 : 0;
}

/** After the registry's 201 for a completed upload or mount: the blob is recorded and held by the project. */
export async function recordCompletedBlob(
  services: DoubleServices,
  reply: FastifyReply,
  project: ProjectRow,
  repository: string,
  digest: string,
): Promise<void> {
  if (reply.raw.statusCode !== 201) return;
  const sent = Number(reply.request.headers['content-length'] ?? 0);
  const isMount = (reply.request.query as Record<string, string | undefined>)['mount'] !== undefined;
  // a monolithic upload sent the whole blob in this request; a chunked one or a mount is asked for its size
  let size = !isMount && reply.request.method === 'POST' && sent > 0 ? sent : 0;
  if (size === 0) size = (await findBlob(services.db, digest))?.size ?? 0;
  if (size === 0) {
    const head = await services.registry.send('HEAD', `/v2/${repository}/blobs/${digest}`);
    await head.body.dump();
    size = Number(head.headers['content-length'] ?? 0);
  }
  const blob = await ensureBlob(services.db, { digest, size });
  await associateWithProject(services.db, project.project_id, [blob.id]);
  await refreshProjectQuota(services, project.project_id, 'push');
}

/** HeadBlobMiddleware: a blob GC is deleting (or failed to delete) does not exist; any other is touched. */
export async function checkHeadBlob(services: DoubleServices, digest: string): Promise<void> {
  const blob = await findBlob(services.db, digest);
  if (!blob) return;
  if (blob.status === 'deleting')
    throw new HarborError('NOT_FOUND', `the asking blob is in GC, mark it as non existing, digest: ${digest}`);
  if (blob.status === 'deletefailed')
    throw new HarborError('NOT_FOUND', `the asking blob is delete failed, mark it as non existing, digest: ${digest}`);
  await touchBlob(services.db, digest);
}
