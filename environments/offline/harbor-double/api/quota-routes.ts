// /api/v2.0/quotas and /quotas/{id} (goharbor/harbor src/server/v2.0/handler/quota.go,
// src/controller/quota/driver/project/project.go@v2.15.2): system access only; a quota names its project in `ref`,
// and only `storage` can be set, to -1 or a positive byte count up to 1024 TB.
import type { FastifyInstance } from 'fastify';
import type { DoubleServices } from '../double-services.ts';
import { badRequest, notFound } from '../harbor-error.ts';
import { listQuotas, quotaById, quotaLimitError, setProjectQuota, type QuotaRow } from '../quota/project-quota.ts';
import { findProject } from '../store/projects.ts';
import { isoTime, paging, requireSystemAccess, setListHeaders } from './api-support.ts';

async function quotaModel(services: DoubleServices, row: QuotaRow): Promise<Record<string, unknown>> {
  const project = await findProject(services.db, row.project_id);
  return {
    id: row.id,
    ref: project ? { id: project.project_id, name: project.name, owner_name: project.owner_name } : null,
    hard: { storage: row.hard },
    used: { storage: row.used },
    creation_time: isoTime(row.creation_time),
    update_time: isoTime(row.update_time),
  };
}

export function registerQuotaRoutes(app: FastifyInstance, services: DoubleServices): void {
  app.get('/api/v2.0/quotas', async (request, reply) => {
    await requireSystemAccess(services, request.security, 'quota', 'list');
    const query = request.query as Record<string, string | undefined>;
    const page = paging(query);
    let projectId: number | undefined;
    if (query['reference_id'] !== undefined && query['reference_id'] !== '') {
      projectId = Number(query['reference_id']);
      if (!Number.isInteger(projectId)) return reply.header('X-Total-Count', '0').send([]);
    }
    // the project driver is the only reference Harbor registers
    const rows = query['reference'] && query['reference'] !== 'project' ? [] : await listQuotas(services.db, projectId);
    if (query['sort'] === '-used.storage' || query['sort'] === 'used.storage') {
      const sign = query['sort'].startsWith('-') ? -1 : 1;
      rows.sort((a, b) => sign * (a.used - b.used));
    }
    setListHeaders(request, reply, rows.length, page);
    const shown = rows.slice((page.page - 1) * page.pageSize, page.page * page.pageSize);
    return Promise.all(shown.map((row) => quotaModel(services, row)));
  });

  app.get('/api/v2.0/quotas/:id', async (request) => {
    await requireSystemAccess(services, request.security, 'quota', 'read');
    const id = Number((request.params as { id: string }).id);
    const row = Number.isInteger(id) ? await quotaById(services.db, id) : undefined;
    if (!row) throw notFound(`quota ${id} not found`);
    return quotaModel(services, row);
  });

  app.put('/api/v2.0/quotas/:id', async (request, reply) => {
    await requireSystemAccess(services, request.security, 'quota', 'update');
    const body = (request.body ?? {}) as { hard?: Record<string, unknown> };
    if (!body.hard || Object.keys(body.hard).length === 0) throw badRequest('hard required in body');
    const id = Number((request.params as { id: string }).id);
    const row = Number.isInteger(id) ? await quotaById(services.db, id) : undefined;
    if (!row) throw notFound(`quota ${id} not found`);
    for (const name of Object.keys(body.hard)) if (name !== 'storage') throw badRequest(`resource ${name} not support`);
    const storage = body.hard['storage'];
    if (typeof storage !== 'number' || !Number.isInteger(storage)) throw badRequest('storage must be an integer');
    const problem = quotaLimitError(storage);
    if (problem) throw badRequest(problem);
    await setProjectQuota(services.db, row.project_id, storage);
    return reply.status(200).send();
  });
}
