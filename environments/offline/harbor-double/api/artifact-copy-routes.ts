// POST /api/v2.0/projects/{p}/repositories/{r}/artifacts?from=<project>/<repo>(:<tag>|@<digest>): copy an
// artifact (goharbor/harbor src/server/v2.0/handler/artifact.go CopyArtifact, src/controller/artifact/controller.go
// copyDeeply@v2.15.x). artifact:create on the destination, artifact:read on the source; an accessory is refused;
// the manifest (children first) and blobs are copied in the registry, then the artifact is ensured in the
// destination with every tag of the source artifact, through the tag controller's Ensure: an existing immutable
// tag on another artifact refuses the copy with 412 and the request's transaction leaves nothing behind.
// Accessories of the source are not copied by the double.
import type { FastifyInstance } from 'fastify';
import { inTransaction } from '../database.ts';
import type { DoubleServices } from '../double-services.ts';
import { HarborError, badRequest, notFound } from '../harbor-error.ts';
import { cannotBeUpdated, isTagImmutable } from '../immutable/immutable-status.ts';
import { copyInRegistry } from '../registry/registry-copy.ts';
import { usernameOf } from '../security/security-context.ts';
import {
  addReferences,
  ensureRepository,
  findArtifact,
  findArtifactByDigest,
  findArtifactByTag,
  isDigest,
  listReferences,
  setTag,
  tagsOf,
  upsertArtifact,
  type ArtifactRow,
} from '../store/artifacts.ts';
import type { Queryable } from '../database.ts';
import { projectForAccess } from './api-support.ts';

/** handler parse(): `<repository>(:<tag>)?(@<digest>)?`. */
function parseFrom(from: string): { repository: string; reference: string } {
  const match =
    /^([a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)+)(?::([\w][\w.-]{0,127}))?(?:@([a-z0-9]+:[a-f0-9]+))?$/.exec(
      from,
    );
  if (!match) throw badRequest(`invalid input: ${from}`);
  const digest = match[3];
  if (digest !== undefined && !isDigest(digest)) throw badRequest(`invalid input: ${from}`);
  return { repository: match[1]!, reference: digest ?? match[2] ?? '' };
}

async function ensureCopy(
  db: Queryable,
  source: ArtifactRow,
  projectId: number,
  repositoryId: number,
  destination: string,
): Promise<number> {
  const children = await listReferences(db, source.id);
  for (const child of children) {
    const row = await findArtifactByDigest(db, source.repository_name, child.child_digest);
    if (row && !(await findArtifactByDigest(db, destination, row.digest)))
      await ensureCopy(db, { ...row }, projectId, repositoryId, destination);
  }
  const { id } = await upsertArtifact(db, {
    project_id: projectId,
    repository_id: repositoryId,
    repository_name: destination,
    digest: source.digest,
    type: source.type,
    media_type: source.media_type,
    manifest_media_type: source.manifest_media_type,
    artifact_type: source.artifact_type,
    size: source.size,
    extra_attrs: source.extra_attrs,
    annotations: source.annotations,
  });
  await addReferences(
    db,
    id,
    children.map((c) => ({ digest: c.child_digest, platform: c.platform ?? undefined })),
  );
  return id;
}

export function registerArtifactCopyRoutes(app: FastifyInstance, services: DoubleServices): void {
  app.post('/api/v2.0/projects/:project/repositories/:repository/artifacts', async (request, reply) => {
    const params = request.params as { project: string; repository: string };
    const project = await projectForAccess(services, request.security, params.project, 'artifact', 'create', true);
    const from = (request.query as Record<string, string | undefined>)['from'] ?? '';
    const { repository: source, reference } = parseFrom(from);
    await projectForAccess(services, request.security, source.split('/')[0]!, 'artifact', 'read', true);
    const artifact = await findArtifact(services.db, source, reference);
    if (!artifact) throw notFound(`artifact ${source}${isDigest(reference) ? '@' : ':'}${reference} not found`);
    if (await isAccessory(services, artifact))
      throw new HarborError('DENIED', "the operation isn't supported for an artifact accessory");
    const destination = `${project.name}/${decodeURIComponent(params.repository)}`;
    const tags = (await tagsOf(services.db, artifact.id)).map((t) => t.name);
    if (!(await findArtifactByDigest(services.db, destination, artifact.digest)))
      await copyInRegistry(services.registry, source, artifact.digest, destination);
    await inTransaction(services.db, async (client) => {
      const repositoryId = await ensureRepository(client, project.project_id, destination);
      const id = await ensureCopy(client, artifact, project.project_id, repositoryId, destination);
      for (const tag of tags) {
        const current = await findArtifactByTag(client, destination, tag);
        if (current?.id === id) continue;
        if (current && (await isTagImmutable(services, project.project_id, destination, tag)))
          throw cannotBeUpdated(tag);
        await setTag(client, repositoryId, id, tag);
      }
    });
    await services.events.publish({
      type: 'AUDIT',
      entry: {
        projectId: project.project_id,
        username: usernameOf(request.security),
        resource: `${destination}@${artifact.digest}`,
        resourceType: 'artifact',
        operation: 'create',
        operationDescription: `copy artifact: ${source}@${artifact.digest} to ${destination}`,
      },
    });
    reply
      .status(201)
      .header('Location', `${request.url.split('?')[0]!.replace(/\/$/, '')}/${reference}`)
      .send();
  });
}

/** Whether the artifact is itself an accessory of another (its own accessory rows name it as the accessory). */
async function isAccessory(services: DoubleServices, artifact: ArtifactRow): Promise<boolean> {
  const result = await services.db.query('SELECT 1 FROM artifact_accessory WHERE artifact_id = $1 LIMIT 1', [
    artifact.id,
  ]);
  return (result.rowCount ?? 0) > 0;
}
