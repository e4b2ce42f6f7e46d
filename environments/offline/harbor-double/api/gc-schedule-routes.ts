// /api/v2.0/system/gc/schedule (goharbor/harbor src/server/v2.0/handler/gc.go@v2.15.x): the garbage-collection
// schedule only. GET without a schedule answers 200 with an empty body; POST/PUT take Hourly, Daily, Weekly,
// Custom (6-field cron, seconds 0) or None (deletes it); Manual starts a collection now (gc/gc-queue.ts) and
// answers 201 with its Location. Stored in `properties` under a key no config item uses.
import type { FastifyInstance } from 'fastify';
import type { DoubleServices } from '../double-services.ts';
import { badRequest } from '../harbor-error.ts';
import { startGc } from '../gc/gc-queue.ts';
import { requireSystemAccess } from './api-support.ts';

const KEY = 'double_gc_schedule';
const CRONS: Record<string, string> = { Hourly: '0 0 * * * *', Daily: '0 0 0 * * *', Weekly: '0 0 0 * * 0' };

interface StoredSchedule {
  type: string;
  cron: string;
  parameters: Record<string, unknown>;
  creation_time: string;
  update_time: string;
}

export async function readGcSchedule(services: DoubleServices): Promise<StoredSchedule | undefined> {
  const result = await services.db.query<{ v: StoredSchedule }>('SELECT v FROM properties WHERE k = $1', [KEY]);
  return result.rows[0]?.v;
}

export async function deleteGcSchedule(services: DoubleServices): Promise<void> {
  await services.db.query('DELETE FROM properties WHERE k = $1', [KEY]);
}

export function registerGcScheduleRoutes(app: FastifyInstance, services: DoubleServices): void {
  app.get('/api/v2.0/system/gc/schedule', async (request, reply) => {
    await requireSystemAccess(services, request.security, 'garbage-collection', 'read');
    const stored = await readGcSchedule(services);
    if (!stored) return reply.status(200).send('');
    return {
      schedule: { type: stored.type, cron: stored.cron },
      parameters: stored.parameters,
      creation_time: stored.creation_time,
      update_time: stored.update_time,
    };
  });

  /** Returns the id of the collection a Manual schedule started. */
  const save = async (
    body: unknown,
    action: 'create' | 'update',
    request: { security: unknown },
  ): Promise<number | undefined> => {
    await requireSystemAccess(services, request.security as never, 'garbage-collection', action);
    const { schedule, parameters = {} } = (body ?? {}) as {
      schedule?: { type?: string; cron?: string };
      parameters?: Record<string, unknown>;
    };
    const type = schedule?.type ?? '';
    const workers = parameters['workers'];
    if (workers !== undefined && (typeof workers !== 'number' || workers < 1 || workers > 10)) {
      throw badRequest(
        `Error: Invalid number of workers:${String(workers)}. Workers must be greater than 0 and less than or equal to 10.`,
      );
    }
    if (type === 'None') {
      await deleteGcSchedule(services);
      return undefined;
    }
    if (type === 'Manual') return startGc(services, 'MANUAL', parameters);
    let cron = CRONS[type];
    if (type === 'Custom') {
      cron = schedule?.cron ?? '';
      const fields = cron.trim().split(/\s+/);
      if (fields.length !== 6 || fields[0] !== '0')
        throw badRequest(`invalid cron string for scheduled gc: ${cron}, error: 6 fields with seconds 0 expected`);
    }
    if (!cron) throw badRequest(`invalid schedule type: ${type}`);
    const now = new Date().toISOString();
    const previous = await readGcSchedule(services);
    const stored: StoredSchedule = {
      type,
      cron,
      parameters,
      creation_time: previous?.creation_time ?? now,
      update_time: now,
    };
    await services.db.query(
      'INSERT INTO properties (k, v) VALUES ($1, $2::jsonb) ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v',
      [KEY, JSON.stringify(stored)],
    );
    return undefined;
  };

  app.post('/api/v2.0/system/gc/schedule', async (request, reply) => {
    const started = await save(request.body, 'create', request);
    if (started !== undefined) reply.header('Location', `/api/v2.0/system/gc/${started}`);
    return reply.status(201).send('');
  });
  app.put('/api/v2.0/system/gc/schedule', async (request, reply) => {
    await save(request.body, 'update', request);
    return reply.status(200).send('');
  });
}
