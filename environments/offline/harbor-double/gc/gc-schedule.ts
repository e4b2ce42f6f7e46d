// The scheduled garbage collection (goharbor/harbor src/controller/gc/controller.go CreateSchedule and the
// scheduler's callback, src/pkg/scheduler@v2.15.2): the stored schedule (Hourly, Daily, Weekly or a Custom 6-field
// cron) starts a collection with the schedule's parameters and job_kind SCHEDULE when it fires. The double checks it
// at each minute boundary of its clock (server.ts, with the replication and retention schedules).
import { readGcSchedule } from '../api/gc-schedule-routes.ts';
import type { DoubleServices } from '../double-services.ts';
import { cronMatches } from '../replication/replication-schedule.ts';
import { startGc } from './gc-queue.ts';

export async function fireDueGcSchedule(services: DoubleServices, at: Date): Promise<number | undefined> {
  const stored = await readGcSchedule(services);
  if (!stored || !cronMatches(stored.cron, at)) return undefined;
  return startGc(services, 'SCHEDULE', stored.parameters);
}
