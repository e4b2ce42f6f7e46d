// Endpoints of resources the double does not model yet (preheat rules, labels), answered as a fresh Harbor
// answers them: after the permission check of their handler (goharbor/harbor src/server/v2.0/handler/
// {preheat,label}.go@v2.15.2) an empty list with X-Total-Count 0. Also the project summary and one
// metadata key (project.go GetProjectSummary, project_metadata.go GetProjectMetadata).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DoubleServices } from '../double-services.ts';
import { badRequest, notFound } from '../harbor-error.ts';
import { projectQuota } from '../quota/project-quota.ts';
import { findProject, projectFacts } from '../store/projects.ts';
import { allowed, projectForAccess, requireProjectAccess } from './api-support.ts';

const empty = (reply: FastifyReply) => reply.header('X-Total-Count', '0').send([]);

export function registerUnmodelledResourceRoutes(app: FastifyInstance, services: DoubleServices): void {
  const projectList = (path: string, resource: string) =>
    app.get(`/api/v2.0/projects/:project${path}`, async (request, reply) => {
      await projectForAccess(
        services,
        request.security,
        (request.params as { project: string }).project,
        resource,
        'list',
      );
      return empty(reply);
    });
  projectList('/preheat/policies', 'preheat-policy');

  // label.go ListLabels: scope g needs nothing but a caller; scope p needs project label:list (by id, like project 0 when missing).
  app.get('/api/v2.0/labels', async (request: FastifyRequest, reply) => {
    const query = request.query as Record<string, string | undefined>;
    if (query['scope'] === 'p') {
      const id = Number(query['project_id']);
      if (!Number.isInteger(id) || id <= 0)
        throw badRequest('must provide a valid project_id when listing project labels');
      await requireProjectAccess(services, request.security, await findProject(services.db, id), 'label', 'list');
    } else if (query['scope'] !== 'g') {
      throw badRequest(`invalid scope: ${query['scope'] ?? ''}`);
    }
    return empty(reply);
  });

  app.get('/api/v2.0/projects/:project/summary', async (request) => {
    const ctx = request.security;
    const project = await projectForAccess(
      services,
      ctx,
      (request.params as { project: string }).project,
      'project',
      'read',
    );
    const facts = { type: 'project' as const, project: projectFacts(project) };
    const summary: Record<string, unknown> = { repo_count: project.repo_count };
    if (await allowed(services, ctx, facts, 'member', 'list')) {
      const roles = await services.db.query<{ role: number; n: number }>(
        'SELECT role, count(*)::int AS n FROM project_member WHERE project_id = $1 GROUP BY role',
        [project.project_id],
      );
      const count = (role: number) => roles.rows.find((r) => r.role === role)?.n ?? 0;
      Object.assign(summary, {
        project_admin_count: count(1),
        maintainer_count: count(4),
        developer_count: count(2),
        guest_count: count(3),
        limited_guest_count: count(5),
      });
    }
    if (await allowed(services, ctx, facts, 'quota', 'read')) {
      const quota = await projectQuota(services.db, project.project_id);
      summary['quota'] = { hard: { storage: quota.hard }, used: { storage: quota.used } };
    }
    return summary;
  });

  app.get('/api/v2.0/projects/:project/metadatas/:key', async (request) => {
    const { project: p, key } = request.params as { project: string; key: string };
    const project = await projectForAccess(services, request.security, p, 'metadata', 'read');
    const value = project.metadata[key];
    if (value === undefined) throw notFound(`metadata ${key} of project ${project.project_id} not found`);
    return { [key]: value };
  });
}
