// /api/v2.0/system/gc, /system/gc/{id} (GET, PUT = stop) and /system/gc/{id}/log (goharbor/harbor
// src/server/v2.0/handler/gc.go, handler/model/gc.go@v2.15.2): the raw job status, the trigger as job_kind and as
// schedule type, and job_parameters as a JSON string holding the parameters and the job's check-in results.
import type { FastifyInstance } from 'fastify';
import type { DoubleServices } from '../double-services.ts';
import { findGcExecution, type GcExecutionRow, listGcExecutions, requestGcStop } from '../gc/gc-store.ts';
import { badRequest, notFound } from '../harbor-error.ts';
import { isoTime, paging, requireSystemAccess, setListHeaders } from './api-support.ts';

function historyModel(row: GcExecutionRow): Record<string, unknown> {
  const type = row.job_kind === 'MANUAL' ? 'Manual' : 'Schedule';
  return {
    id: row.id,
    job_name: 'GARBAGE_COLLECTION',
    job_kind: row.job_kind,
    job_parameters: JSON.stringify({ ...row.parameters, ...(row.results ?? {}) }),
    schedule: { type, cron: '' },
    job_status: row.job_status === 'Pending' ? 'Running' : row.job_status,
    deleted: false,
    creation_time: isoTime(row.creation_time),
    update_time: isoTime(row.update_time),
  };
}

async function execution(services: DoubleServices, raw: string): Promise<GcExecutionRow> {
  const id = Number(raw);
  if (!Number.isInteger(id) || id <= 0) throw badRequest(`invalid gc_id: ${raw}`);
  const row = await findGcExecution(services.db, id);
  if (!row) throw notFound(`execution ${id} not found`);
  return row;
}

export function registerGcRoutes(app: FastifyInstance, services: DoubleServices): void {
  app.get('/api/v2.0/system/gc', async (request, reply) => {
    await requireSystemAccess(services, request.security, 'garbage-collection', 'list');
    const page = paging(request.query as Record<string, unknown>);
    const { total, rows } = await listGcExecutions(services.db, page.page, page.pageSize);
    setListHeaders(request, reply, total, page);
    return rows.map(historyModel);
  });

  app.get('/api/v2.0/system/gc/:id', async (request) => {
    await requireSystemAccess(services, request.security, 'garbage-collection', 'read');
    return historyModel(await execution(services, (request.params as { id: string }).id));
  });

  app.put('/api/v2.0/system/gc/:id', async (request, reply) => {
    await requireSystemAccess(services, request.security, 'garbage-collection', 'stop');
    const row = await execution(services, (request.params as { id: string }).id);
    await requestGcStop(services.db, row.id);
    return reply.status(200).send();
  });

  app.get('/api/v2.0/system/gc/:id/log', async (request, reply) => {
    await requireSystemAccess(services, request.security, 'garbage-collection', 'read');
    const raw = (request.params as { id: string }).id;
    const id = Number(raw);
    const row = Number.isInteger(id) ? await findGcExecution(services.db, id) : undefined;
    if (!row || (row.log === '' && row.job_status === 'Pending'))
      throw notFound(`garbage collection ${raw} log is not found`);
    return reply.header('content-type', 'text/plain; charset=utf-8').send(row.log);
  });
}
