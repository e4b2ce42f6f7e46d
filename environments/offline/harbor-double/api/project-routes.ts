// /api/v2.0/projects: create, head, list, get, update (metadata merge), delete (goharbor/harbor src/server/v2.0/handler/project.go@v2.15.x).
import type { FastifyInstance } from 'fastify';
import { inTransaction } from '../database.ts';
import type { DoubleServices } from '../double-services.ts';
import { badRequest, conflict, forbidden, HarborError, notFound, unauthorized } from '../harbor-error.ts';
import { isAuthenticated, isSysAdmin, usernameOf, type SecurityContext } from '../security/security-context.ts';
import { setProjectQuota } from '../quota/project-quota.ts';
import {
  deleteProject,
  findProject,
  insertProject,
  listProjects,
  memberProjectIds,
  projectFacts,
  upsertMetadata,
  type ProjectListFilter,
  type ProjectRow,
} from '../store/projects.ts';
import { lowestSysadminId, memberRole } from '../store/users.ts';
import { getAllowlist, putAllowlist } from '../scan/scan-store.ts';
import { allowlistModel, parseAllowlistBody } from './scan-routes.ts';
import { allowed, isoTime, paging, parseQ, projectForAccess, setListHeaders } from './api-support.ts';
import { isValidProjectName } from './name-rules.ts';
import { proxyCacheRegistryId } from '../proxy/proxy-project-create.ts';

interface ProjectReq {
  project_name?: unknown;
  public?: unknown;
  metadata?: unknown;
  storage_limit?: unknown;
  registry_id?: unknown;
  cve_allowlist?: unknown;
}

function stringMetadata(raw: unknown): Record<string, string> {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw badRequest('metadata must be an object');
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value !== 'string') throw badRequest(`metadata.${key} must be a string`);
    result[key] = value;
  }
  return result;
}

function projectSort(sort: unknown): string {
  const columns: Record<string, string> = {
    name: 'p.name',
    creation_time: 'p.creation_time',
    update_time: 'p.update_time',
    project_id: 'p.project_id',
  };
  if (typeof sort !== 'string' || sort === '') return 'p.creation_time DESC, p.project_id DESC';
  const parts = sort.split(',').map((part) => {
    const desc = part.startsWith('-');
    const column = columns[desc ? part.slice(1) : part];
    if (!column) throw badRequest(`the sort key "${part}" is not supported`);
    return `${column} ${desc ? 'DESC' : 'ASC'}`;
  });
  return parts.join(', ');
}

async function projectModel(
  services: DoubleServices,
  ctx: SecurityContext,
  row: ProjectRow,
): Promise<Record<string, unknown>> {
  const role = ctx.kind === 'local' ? await memberRole(services.db, ctx.user.userId, row.project_id) : undefined;
  const metadata: Record<string, string> = { ...row.metadata };
  if (metadata['severity'] !== undefined) metadata['severity'] = normaliseSeverity(metadata['severity']);
  return {
    project_id: row.project_id,
    owner_id: row.owner_id,
    name: row.name,
    registry_id: row.registry_id,
    creation_time: isoTime(row.creation_time),
    update_time: isoTime(row.update_time),
    deleted: false,
    owner_name: row.owner_name,
    togglable: await allowed(services, ctx, { type: 'project', project: projectFacts(row) }, 'metadata', 'update'),
    current_user_role_id: role ?? 0,
    current_user_role_ids: role === undefined ? [] : [role],
    repo_count: row.repo_count,
    metadata,
    // The project's own list, never the system one (goharbor/harbor src/pkg/allowlist/models/cve_allowlist.go@v2.15.x).
    cve_allowlist: allowlistModel(row.project_id, await getAllowlist(services.db, row.project_id)),
  };
}

function normaliseSeverity(value: string): string {
  const lower = value.toLowerCase();
  if (lower === 'negligible') return 'none';
  return ['none', 'low', 'medium', 'high', 'critical'].includes(lower) ? lower : 'unknown';
}

/** Harbor accepts `public` only as the strings "true"/"false" (and the legacy top-level bool). */
function publicValue(
  req: ProjectReq,
  metadata: Record<string, string>,
  fallback: string | undefined,
): string | undefined {
  if (metadata['public'] !== undefined) {
    const value = metadata['public'];
    if (value !== 'true' && value !== 'false') {
      throw badRequest(`metadata.public should only be 'true' or 'false', but got: '${value}'`);
    }
    return value;
  }
  if (typeof req.public === 'boolean') return String(req.public);
  return fallback;
}

/**
 * The project's storage quota (project.go CreateProject@v2.15.2): a system admin's non-zero storage_limit, else
 * the configured storage_per_project; unlimited when quota_per_project_enable is off.
 */
async function storageLimitOf(services: DoubleServices, ctx: SecurityContext, limit: unknown): Promise<number> {
  if (!(await services.systemConfig.get<boolean>('quota_per_project_enable'))) return -1;
  if (typeof limit === 'number' && limit !== 0 && isSysAdmin(ctx)) return limit;
  return services.systemConfig.get<number>('storage_per_project');
}

export function registerProjectRoutes(app: FastifyInstance, services: DoubleServices): void {
  app.post('/api/v2.0/projects', async (request, reply) => {
    const ctx = request.security;
    if (!isAuthenticated(ctx)) throw unauthorized();
    const req = (request.body ?? {}) as ProjectReq;
    const restriction = services.faults.has('project-creation-open')
      ? 'everyone'
      : await services.systemConfig.get<string>('project_creation_restriction');
    if (ctx.kind === 'robot') {
      if (ctx.robot.level === 'project') throw forbidden('Only system level robot can create project');
      if (!(await allowed(services, ctx, { type: 'system' }, 'project', 'create'))) throw forbidden(usernameOf(ctx));
    } else if (restriction === 'adminonly' && !isSysAdmin(ctx) && ctx.kind !== 'secret') {
      throw forbidden('Only system admin can create project');
    }
    const name = typeof req.project_name === 'string' ? req.project_name : '';
    if (!isValidProjectName(name)) throw badRequest('project name is not in lower case or contains illegal characters');
    const metadata = stringMetadata(req.metadata);
    const registryId = await proxyCacheRegistryId(services, ctx, req.registry_id, metadata);
    if (metadata['retention_id'] !== undefined && metadata['retention_id'] !== '')
      throw badRequest('retention_id is not allowed when creating a project');
    metadata['public'] = publicValue(req, metadata, 'false') ?? 'false';
    if (req.storage_limit !== undefined && req.storage_limit !== null) {
      const limit = req.storage_limit;
      if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < -1) {
        throw badRequest('storage_limit must be -1 or a positive integer');
      }
    }
    const ownerId = ctx.kind === 'local' ? ctx.user.userId : await lowestSysadminId(services.db);
    const projectId = await inTransaction(services.db, async (client) => {
      if (await findProject(client, name, true)) throw conflict(`The project named ${name} already exists`);
      try {
        return await insertProject(client, {
          name,
          ownerId,
          metadata,
          memberUserId: ctx.kind === 'local' ? ctx.user.userId : undefined,
          registryId,
        });
      } catch (error) {
        if ((error as { code?: string }).code === '23505') throw conflict(`The project named ${name} already exists`);
        throw error;
      }
    });
    if (req.cve_allowlist !== undefined && req.cve_allowlist !== null) {
      const { items, expiresAt } = parseAllowlistBody(req.cve_allowlist);
      await putAllowlist(services.db, projectId, items, expiresAt);
    }
    await setProjectQuota(services.db, projectId, await storageLimitOf(services, ctx, req.storage_limit));
    await services.events.publish({
      type: 'AUDIT',
      entry: {
        projectId,
        username: usernameOf(ctx),
        resource: name,
        resourceType: 'project',
        operation: 'create',
        operationDescription: `create project: ${name}`,
      },
    });
    const byName = String(request.headers['x-resource-name-in-location']).toLowerCase() === 'true';
    reply
      .header('Location', `/api/v2.0/projects/${byName ? name : projectId}`)
      .status(201)
      .send();
  });

  app.head('/api/v2.0/projects', async (request, reply) => {
    const query = request.query as Record<string, string | undefined>;
    const name = query['project_name'];
    if (!name) throw badRequest('project_name is required');
    const project = await findProject(services.db, name, true);
    if (!project) throw notFound(`project ${name} not found`);
    reply.status(200).send();
  });

  app.get('/api/v2.0/projects', async (request, reply) => {
    const ctx = request.security;
    const query = request.query as Record<string, string | undefined>;
    const page = paging(query);
    const q = parseQ(query['q']);
    const filter: ProjectListFilter = { includePublic: true, all: false };
    const name = query['name'] ?? q.get('name')?.value;
    if (name !== undefined) filter.name = name;
    if (query['owner'] !== undefined) filter.owner = query['owner'];
    const publicParam = query['public'] ?? q.get('public')?.value;
    if (publicParam !== undefined) {
      if (!['true', 'false', '1', '0'].includes(publicParam)) throw badRequest(`invalid public: ${publicParam}`);
      filter.public = publicParam === 'true' || publicParam === '1';
    }
    if (
      isSysAdmin(ctx) ||
      ctx.kind === 'secret' ||
      (ctx.kind === 'anonymous' && services.faults.has('private-project-listed-to-anonymous'))
    ) {
      filter.all = true;
    } else if (ctx.kind === 'local') {
      filter.visibleIds = await memberProjectIds(services.db, ctx.user.userId);
    } else if (ctx.kind === 'robot') {
      const namespaces = ctx.robot.permissions.filter((p) => p.kind === 'project').map((p) => p.namespace);
      if (namespaces.includes('*')) filter.all = true;
      else filter.visibleNames = namespaces;
    }
    const { total, rows } = await listProjects(
      services.db,
      filter,
      page.page,
      page.pageSize,
      projectSort(query['sort']),
    );
    setListHeaders(request, reply, total, page);
    return Promise.all(rows.map((row) => projectModel(services, ctx, row)));
  });

  const isResourceName = (headers: Record<string, unknown>) =>
    String(headers['x-is-resource-name']).toLowerCase() === 'true';

  app.get('/api/v2.0/projects/:nameOrId', async (request) => {
    const { nameOrId } = request.params as { nameOrId: string };
    const project = await projectForAccess(
      services,
      request.security,
      nameOrId,
      'project',
      'read',
      isResourceName(request.headers),
    );
    return projectModel(services, request.security, project);
  });

  app.put('/api/v2.0/projects/:nameOrId', async (request, reply) => {
    const { nameOrId } = request.params as { nameOrId: string };
    const ctx = request.security;
    const project = await projectForAccess(
      services,
      ctx,
      nameOrId,
      'project',
      'update',
      isResourceName(request.headers),
    );
    const req = (request.body ?? {}) as ProjectReq;
    const metadata = stringMetadata(req.metadata);
    const pub = publicValue(req, metadata, undefined);
    if (pub !== undefined) metadata['public'] = pub;
    const allowlist = req.cve_allowlist as { project_id?: number } | undefined;
    if (
      allowlist &&
      allowlist.project_id !== undefined &&
      allowlist.project_id !== 0 &&
      allowlist.project_id !== project.project_id
    ) {
      throw badRequest(`project_id in cve_allowlist must be ${project.project_id} but it's ${allowlist.project_id}`);
    }
    await upsertMetadata(services.db, project.project_id, metadata);
    if (req.cve_allowlist !== undefined && req.cve_allowlist !== null) {
      const { items, expiresAt } = parseAllowlistBody(req.cve_allowlist);
      await putAllowlist(services.db, project.project_id, items, expiresAt);
    }
    reply.status(200).send();
  });

  app.delete('/api/v2.0/projects/:nameOrId', async (request, reply) => {
    const { nameOrId } = request.params as { nameOrId: string };
    const ctx = request.security;
    const project = await projectForAccess(
      services,
      ctx,
      nameOrId,
      'project',
      'delete',
      isResourceName(request.headers),
    );
    if (project.repo_count > 0)
      throw new HarborError('PRECONDITION', 'the project contains repositories, can not be deleted');
    await deleteProject(services.db, project.project_id);
    await services.events.publish({
      type: 'AUDIT',
      entry: {
        projectId: project.project_id,
        username: usernameOf(ctx),
        resource: project.name,
        resourceType: 'project',
        operation: 'delete',
        operationDescription: `delete project: ${project.name}`,
      },
    });
    reply.status(200).send();
  });

  app.get('/api/v2.0/projects/:nameOrId/_deletable', async (request) => {
    const { nameOrId } = request.params as { nameOrId: string };
    const project = await projectForAccess(
      services,
      request.security,
      nameOrId,
      'project',
      'delete',
      isResourceName(request.headers),
    );
    return project.repo_count > 0
      ? { deletable: false, message: 'the project contains repositories, can not be deleted' }
      : { deletable: true };
  });

  app.get('/api/v2.0/projects/:nameOrId/metadatas', async (request) => {
    const { nameOrId } = request.params as { nameOrId: string };
    const project = await projectForAccess(
      services,
      request.security,
      nameOrId,
      'metadata',
      'list',
      isResourceName(request.headers),
    );
    return project.metadata;
  });
}
