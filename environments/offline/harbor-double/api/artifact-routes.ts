// Repositories, artifacts and tags under /api/v2.0/projects/{p}/repositories (what was pushed through
// /v2), with deletion that also removes the manifest from the registry.
import { deletionEvent, replicateDeletion } from '../replication/replication-events.ts';
import type { FastifyInstance } from 'fastify';
import type { DoubleServices } from '../double-services.ts';
import { badRequest, conflict, notFound } from '../harbor-error.ts';
import { usernameOf } from '../security/security-context.ts';
import {
  artifactsOfRepository,
  deleteRepository,
  deleteTag,
  findArtifact,
  findArtifactByDigest,
  findRepository,
  listArtifacts,
  listReferences,
  listRepositories,
  setTag,
  tagsOf,
  type ArtifactRow,
  type RepositoryRow,
  type TagRow,
} from '../store/artifacts.ts';
import type { ProjectRow } from '../store/projects.ts';
import { acceptedReportTypes, scanOverview } from '../scan/scan-overview.ts';
import { deleteAccessoriesOf } from '../registry/accessory-recording.ts';
import { refreshProjectQuota } from '../quota/project-quota.ts';
import { deleteArtifactDeeply } from '../store/artifact-deletion.ts';
import { withAccessories } from './accessory-routes.ts';
import {
  cannotBeDeleted,
  askedImmutableTags,
  isTagImmutable,
  requireArtifactDeletable,
} from '../immutable/immutable-status.ts';
import { isoTime, paging, parseQ, projectForAccess, setListHeaders } from './api-support.ts';

const ZERO_TIME = '0001-01-01T00:00:00.000Z';

interface RepoParams {
  project: string;
  repository: string;
}

/** Repository names in the path are URL-encoded twice when they contain a slash (a%252Fb). */
function repositoryName(project: ProjectRow, raw: string): string {
  return `${project.name}/${decodeURIComponent(raw)}`;
}

function repositoryModel(row: RepositoryRow): Record<string, unknown> {
  return {
    id: row.repository_id,
    project_id: row.project_id,
    name: row.name,
    description: row.description,
    artifact_count: row.artifact_count,
    pull_count: row.pull_count,
    creation_time: isoTime(row.creation_time),
    update_time: isoTime(row.update_time),
  };
}

function tagModel(tag: TagRow, repositoryId: number, immutable = false): Record<string, unknown> {
  return {
    id: tag.id,
    repository_id: repositoryId,
    artifact_id: tag.artifact_id,
    name: tag.name,
    push_time: isoTime(tag.push_time),
    pull_time: tag.pull_time ? isoTime(tag.pull_time) : ZERO_TIME,
    immutable,
  };
}

async function artifactModel(
  services: DoubleServices,
  artifact: ArtifactRow,
  project: ProjectRow,
  withTag: boolean,
  /** Report types for scan_overview (with_scan_overview=true), else undefined. */
  overviewTypes?: readonly string[],
  /** with_immutable_status=true: tags carry their immutable status (else always false, as in Harbor). */
  withImmutableStatus = false,
): Promise<Record<string, unknown>> {
  const repoInPath = encodeURIComponent(encodeURIComponent(artifact.repository_name.slice(project.name.length + 1)));
  const base = `/api/v2.0/projects/${project.name}/repositories/${repoInPath}/artifacts/${artifact.digest}/additions`;
  const references = await Promise.all(
    (await listReferences(services.db, artifact.id)).map(async (ref) => ({
      parent_id: artifact.id,
      child_id: (await findArtifactByDigest(services.db, artifact.repository_name, ref.child_digest))?.id ?? 0,
      child_digest: ref.child_digest,
      platform: ref.platform ?? undefined,
    })),
  );
  const model: Record<string, unknown> = {
    id: artifact.id,
    type: artifact.type,
    media_type: artifact.media_type,
    manifest_media_type: artifact.manifest_media_type,
    artifact_type: artifact.artifact_type,
    project_id: artifact.project_id,
    repository_id: artifact.repository_id,
    repository_name: artifact.repository_name,
    digest: artifact.digest,
    size: artifact.size,
    icon: '',
    push_time: isoTime(artifact.push_time),
    pull_time: artifact.pull_time ? isoTime(artifact.pull_time) : ZERO_TIME,
    extra_attrs: artifact.extra_attrs,
    annotations: artifact.annotations ?? undefined,
    references: references.length > 0 ? references : undefined,
    addition_links:
      artifact.type === 'IMAGE' && references.length === 0
        ? {
            build_history: { href: `${base}/build_history`, absolute: false },
            vulnerabilities: { href: `${base}/vulnerabilities`, absolute: false },
          }
        : {},
    labels: null,
    accessories: null,
  };
  if (overviewTypes) {
    const overview = await scanOverview(services, project, artifact, overviewTypes);
    if (overview) model['scan_overview'] = overview;
  }
  if (withTag) {
    const tags = await tagsOf(services.db, artifact.id);
    const immutable = await askedImmutableTags(
      services,
      artifact,
      tags.map((t) => t.name),
      withImmutableStatus,
    );
    model['tags'] =
      tags.length > 0 ? tags.map((t) => tagModel(t, artifact.repository_id, immutable.has(t.name))) : null;
  }
  return model;
}

function boolParam(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw badRequest(`invalid boolean value: ${value}`);
}

/** The artifact controller's Delete after its checks: accessories, the row with its tags, the registry manifest, the audit entry. */
export async function removeArtifact(
  services: DoubleServices,
  username: string,
  project: ProjectRow,
  artifact: ArtifactRow,
): Promise<void> {
  const tags = (await tagsOf(services.db, artifact.id)).map((t) => t.name);
  const deleted = await deletionEvent(services, artifact);
  await deleteAccessoriesOf(services, artifact);
  await deleteArtifactDeeply(services, artifact);
  replicateDeletion(services, deleted, username);
  await services.events.publish({
    type: 'DELETE_ARTIFACT',
    operator: username,
    occurAt: new Date(),
    projectId: project.project_id,
    repository: artifact.repository_name,
    digest: artifact.digest,
    tags,
  });
}

export function registerArtifactRoutes(app: FastifyInstance, services: DoubleServices): void {
  const prefix = '/api/v2.0/projects/:project/repositories';

  app.get(prefix, async (request, reply) => {
    const { project: p } = request.params as { project: string };
    const project = await projectForAccess(services, request.security, p, 'repository', 'list', true);
    const query = request.query as Record<string, string | undefined>;
    const page = paging(query);
    const nameFilter = parseQ(query['q']).get('name')?.value;
    const { total, rows } = await listRepositories(
      services.db,
      project.project_id,
      nameFilter,
      page.page,
      page.pageSize,
    );
    setListHeaders(request, reply, total, page);
    return rows.map(repositoryModel);
  });

  app.get(`${prefix}/:repository`, async (request) => {
    const params = request.params as RepoParams;
    const project = await projectForAccess(services, request.security, params.project, 'repository', 'read', true);
    const name = repositoryName(project, params.repository);
    const repository = await findRepository(services.db, name);
    if (!repository) throw notFound(`repository ${name} not found`);
    return repositoryModel(repository);
  });

  app.delete(`${prefix}/:repository`, async (request, reply) => {
    const params = request.params as RepoParams;
    const project = await projectForAccess(services, request.security, params.project, 'repository', 'delete', true);
    const name = repositoryName(project, params.repository);
    const repository = await findRepository(services.db, name);
    if (!repository) throw notFound(`repository ${name} not found`);
    const artifacts = await artifactsOfRepository(services.db, repository.repository_id);
    // Every artifact goes through the artifact controller's Delete in one transaction: one immutable tag refuses all.
    for (const artifact of artifacts) await requireArtifactDeletable(services, artifact);
    const tags = new Map<number, string[]>();
    for (const artifact of artifacts)
      tags.set(
        artifact.id,
        (await tagsOf(services.db, artifact.id)).map((t) => t.name),
      );
    for (const artifact of artifacts) {
      await deleteAccessoriesOf(services, artifact);
      if (await findArtifactByDigest(services.db, name, artifact.digest))
        await deleteArtifactDeeply(services, artifact);
    }
    await deleteRepository(services.db, repository.repository_id);
    await refreshProjectQuota(services, project.project_id, 'delete');
    // The repository controller deletes every artifact through the artifact controller, each firing DELETE_ARTIFACT
    // (goharbor/harbor src/controller/repository/controller.go Delete, artifact/controller.go deleteDeeply@v2.15.2;
    // goharbor/harbor#11711); the repository is gone by then, so the payloads carry no date_created.
    for (const artifact of artifacts)
      await services.events.publish({
        type: 'DELETE_ARTIFACT',
        operator: usernameOf(request.security),
        occurAt: new Date(),
        projectId: project.project_id,
        repository: name,
        digest: artifact.digest,
        tags: tags.get(artifact.id) ?? [],
      });
    await services.events.publish({
      type: 'AUDIT',
      entry: {
        projectId: project.project_id,
        username: usernameOf(request.security),
        resource: name,
        resourceType: 'repository',
        operation: 'delete',
        operationDescription: `delete repository: ${name}`,
      },
    });
    reply.status(200).send();
  });

  app.get(`${prefix}/:repository/artifacts`, async (request, reply) => {
    const params = request.params as RepoParams;
    const project = await projectForAccess(services, request.security, params.project, 'artifact', 'list', true);
    const name = repositoryName(project, params.repository);
    const query = request.query as Record<string, string | undefined>;
    const page = paging(query);
    const repository = await findRepository(services.db, name);
    if (!repository) {
      setListHeaders(request, reply, 0, page);
      return [];
    }
    const { total, rows } = await listArtifacts(services.db, repository.repository_id, page.page, page.pageSize);
    setListHeaders(request, reply, total, page);
    const withTag = boolParam(query['with_tag'], true);
    const overviewTypes = boolParam(query['with_scan_overview'], false)
      ? acceptedReportTypes(request.headers['x-accept-vulnerabilities'])
      : undefined;
    const withAccessory = boolParam(query['with_accessory'], false);
    const withImmutableStatus = boolParam(query['with_immutable_status'], false);
    return Promise.all(
      rows.map(async (row) =>
        withAccessories(
          services.db,
          await artifactModel(services, row, project, withTag, overviewTypes, withImmutableStatus),
          row.id,
          withAccessory,
        ),
      ),
    );
  });

  app.get(`${prefix}/:repository/artifacts/:reference`, async (request) => {
    const params = request.params as RepoParams & { reference: string };
    const project = await projectForAccess(services, request.security, params.project, 'artifact', 'read', true);
    const name = repositoryName(project, params.repository);
    const artifact = await findArtifact(services.db, name, params.reference);
    if (!artifact) throw notFound(`artifact ${name}:${params.reference} not found`);
    const query = request.query as Record<string, string | undefined>;
    const overviewTypes = boolParam(query['with_scan_overview'], false)
      ? acceptedReportTypes(request.headers['x-accept-vulnerabilities'])
      : undefined;
    const model = await artifactModel(
      services,
      artifact,
      project,
      boolParam(query['with_tag'], true),
      overviewTypes,
      boolParam(query['with_immutable_status'], false),
    );
    return withAccessories(services.db, model, artifact.id, boolParam(query['with_accessory'], false));
  });

  app.delete(`${prefix}/:repository/artifacts/:reference`, async (request, reply) => {
    const params = request.params as RepoParams & { reference: string };
    const project = await projectForAccess(services, request.security, params.project, 'artifact', 'delete', true);
    const name = repositoryName(project, params.repository);
    const artifact = await findArtifact(services.db, name, params.reference);
    if (!artifact) throw notFound(`artifact ${name}:${params.reference} not found`);
    await requireArtifactDeletable(services, artifact);
    await removeArtifact(services, usernameOf(request.security), project, artifact);
    await refreshProjectQuota(services, project.project_id, 'delete');
    reply.status(200).send();
  });

  app.get(`${prefix}/:repository/artifacts/:reference/tags`, async (request, reply) => {
    const params = request.params as RepoParams & { reference: string };
    const project = await projectForAccess(services, request.security, params.project, 'tag', 'list', true);
    const name = repositoryName(project, params.repository);
    const artifact = await findArtifact(services.db, name, params.reference);
    if (!artifact) throw notFound(`artifact ${name}:${params.reference} not found`);
    const query = request.query as Record<string, string | undefined>;
    const page = paging(query);
    const tags = await tagsOf(services.db, artifact.id);
    setListHeaders(request, reply, tags.length, page);
    const shown = tags.slice((page.page - 1) * page.pageSize, page.page * page.pageSize);
    const immutable = await askedImmutableTags(
      services,
      artifact,
      shown.map((t) => t.name),
      boolParam(query['with_immutable_status'], false),
    );
    return shown.map((t) => tagModel(t, artifact.repository_id, immutable.has(t.name)));
  });

  app.post(`${prefix}/:repository/artifacts/:reference/tags`, async (request, reply) => {
    const params = request.params as RepoParams & { reference: string };
    const project = await projectForAccess(services, request.security, params.project, 'tag', 'create', true);
    const name = repositoryName(project, params.repository);
    const artifact = await findArtifact(services.db, name, params.reference);
    if (!artifact) throw notFound(`artifact ${name}:${params.reference} not found`);
    const tag = (request.body as { name?: unknown } | undefined)?.name;
    if (typeof tag !== 'string' || !/^[\w][\w.-]{0,127}$/.test(tag))
      throw badRequest(`invalid tag name: ${String(tag)}`);
    const existing = await findArtifact(services.db, name, tag);
    // tag dao Create (goharbor/harbor src/pkg/tag/dao/dao.go@v2.15.x): the repository by id
    if (existing) throw conflict(`tag ${tag} already exists under the repository ${artifact.repository_id}`);
    await setTag(services.db, artifact.repository_id, artifact.id, tag);
    await services.events.publish({
      type: 'AUDIT',
      entry: {
        projectId: project.project_id,
        username: usernameOf(request.security),
        resource: `${name}:${tag}`,
        resourceType: 'tag',
        operation: 'create',
      },
    });
    reply
      .status(201)
      .header('Location', `${request.url.split('?')[0]}/${tag}`)
      .send();
  });

  app.delete(`${prefix}/:repository/artifacts/:reference/tags/:tag`, async (request, reply) => {
    const params = request.params as RepoParams & { reference: string; tag: string };
    const project = await projectForAccess(services, request.security, params.project, 'tag', 'delete', true);
    const name = repositoryName(project, params.repository);
    const artifact = await findArtifact(services.db, name, params.reference);
    if (!artifact) throw notFound(`artifact ${name}:${params.reference} not found`);
    const attached = (await tagsOf(services.db, artifact.id)).some((t) => t.name === params.tag);
    if (attached && (await isTagImmutable(services, artifact.project_id, name, params.tag)))
      throw cannotBeDeleted(params.tag);
    if (!(await deleteTag(services.db, artifact.id, params.tag))) throw notFound(`tag ${params.tag} not found`);
    await services.events.publish({
      type: 'AUDIT',
      entry: {
        projectId: project.project_id,
        username: usernameOf(request.security),
        resource: `${name}:${params.tag}`,
        resourceType: 'tag',
        operation: 'delete',
      },
    });
    reply.status(200).send();
  });
}
