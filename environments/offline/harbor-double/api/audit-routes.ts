// Audit logs (goharbor/harbor src/pkg/auditext/model/model.go@v2.15.x). v2.15.2 writes only audit_log_ext: /auditlog-exts lists the
// entries; the deprecated /audit-logs and /projects/{p}/logs read the legacy table, which nothing
// writes, so they list only pre-upgrade rows (none here), exactly as on a fresh Harbor.
import type { FastifyInstance } from 'fastify';
import type { DoubleServices } from '../double-services.ts';
import { badRequest, unauthorized } from '../harbor-error.ts';
import { isAuthenticated, usernameOf } from '../security/security-context.ts';
import { listAudit, type AuditQuery, type AuditRow } from '../store/audit-log.ts';
import { findProject, memberProjectIds, projectFacts } from '../store/projects.ts';
import {
  allowed,
  isoTime,
  paging,
  parseQ,
  projectForAccess,
  requireSystemAccess,
  setListHeaders,
} from './api-support.ts';

const EVENT_TYPES = [
  'create_artifact',
  'delete_artifact',
  'pull_artifact',
  'create_project',
  'delete_project',
  'delete_repository',
  'login_user',
  'logout_user',
  'create_user',
  'delete_user',
  'update_user',
  'create_robot',
  'delete_robot',
  'update_configuration',
];

function auditModel(row: AuditRow): Record<string, unknown> {
  return {
    id: row.id,
    username: row.username,
    resource: row.resource,
    resource_type: row.resource_type,
    operation: row.operation,
    operation_description: row.operation_description,
    operation_result: row.operation_result,
    op_time: isoTime(row.op_time),
  };
}

function auditQuery(query: Record<string, string | undefined>): Omit<AuditQuery, 'projectId'> {
  const page = paging(query);
  const filters: AuditQuery['filters'] = [];
  for (const [key, filter] of parseQ(query['q'])) {
    if (key === 'username' || key === 'resource' || key === 'resource_type' || key === 'operation') {
      filters.push({ column: key, value: filter.value, fuzzy: filter.fuzzy });
    } else if (key !== 'op_time') {
      throw badRequest(`unsupported query key: ${key}`);
    }
  }
  const sort = query['sort'];
  return { filters, page: page.page, pageSize: page.pageSize, ascending: sort === 'op_time' };
}

export function registerAuditRoutes(app: FastifyInstance, services: DoubleServices): void {
  app.get('/api/v2.0/auditlog-exts', async (request, reply) => {
    // checkPermissionAndBuildQuery (handler/auditlog.go@v2.15.2): authenticated callers without system
    // audit-log:list see the logs of the projects they are a member of with log:list; robots see none.
    const ctx = request.security;
    if (!isAuthenticated(ctx)) throw unauthorized(usernameOf(ctx));
    let query = auditQuery(request.query as Record<string, string | undefined>);
    if (!(await allowed(services, ctx, { type: 'system' }, 'audit-log', 'list'))) {
      const projectIds: number[] = [];
      if (ctx.kind === 'local') {
        for (const id of await memberProjectIds(services.db, ctx.user.userId)) {
          const row = await findProject(services.db, id);
          if (row && (await allowed(services, ctx, { type: 'project', project: projectFacts(row) }, 'log', 'list')))
            projectIds.push(id);
        }
      }
      query = { ...query, projectIds };
    }
    const { total, rows } = await listAudit(services.db, query);
    setListHeaders(request, reply, total, { page: query.page, pageSize: query.pageSize });
    return rows.map(auditModel);
  });

  app.get('/api/v2.0/auditlog-exts/events', async (request) => {
    await requireSystemAccess(services, request.security, 'audit-log', 'list');
    return EVENT_TYPES.map((event_type) => ({ event_type }));
  });

  app.get('/api/v2.0/projects/:project/auditlog-exts', async (request, reply) => {
    const { project: p } = request.params as { project: string };
    const project = await projectForAccess(services, request.security, p, 'log', 'list', true);
    const query = auditQuery(request.query as Record<string, string | undefined>);
    const { total, rows } = await listAudit(services.db, { ...query, projectId: project.project_id });
    setListHeaders(request, reply, total, { page: query.page, pageSize: query.pageSize });
    return rows.map(auditModel);
  });

  app.get('/api/v2.0/audit-logs', async (request, reply) => {
    await requireSystemAccess(services, request.security, 'audit-log', 'list');
    const page = paging(request.query as Record<string, unknown>);
    setListHeaders(request, reply, 0, page);
    return [];
  });

  app.get('/api/v2.0/projects/:project/logs', async (request, reply) => {
    const { project: p } = request.params as { project: string };
    await projectForAccess(services, request.security, p, 'log', 'list', true);
    const page = paging(request.query as Record<string, unknown>);
    setListHeaders(request, reply, 0, page);
    return [];
  });
}
