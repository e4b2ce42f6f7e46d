// Garbage collection runs as a jobservice job (vendor type GARBAGE_COLLECTION, MaxCurrency 1): core creates the
// execution and pushes the job onto its Redis queue; the double's jobservice half takes it off and runs it
// (goharbor/harbor src/controller/gc/controller.go Start, src/jobservice/job/impl/gc@v2.15.2).
import type { DoubleServices } from '../double-services.ts';
import type { GcJob } from './garbage-collection.ts';
import { createGcExecution, type GcExecutionRow, type GcParameters } from './gc-store.ts';

export const GC_QUEUE = '{harbor_job_service_namespace}:jobs:GARBAGE_COLLECTION';

/** The parameters the job gets: the request's, delete_tag false unless given, the configured time window. */
export function jobParameters(services: DoubleServices, given: Record<string, unknown>): GcParameters {
  return {
    // parseParams: an absent delete_untagged counts as true
    delete_untagged: given['delete_untagged'] !== false,
    delete_tag: given['delete_tag'] === true,
    dry_run: given['dry_run'] === true,
    workers: typeof given['workers'] === 'number' && given['workers'] > 0 ? given['workers'] : 1,
    time_window: services.config.gcTimeWindowHours,
  };
}

export async function startGc(
  services: DoubleServices,
  kind: GcExecutionRow['job_kind'],
  given: Record<string, unknown>,
): Promise<number> {
  const parameters = jobParameters(services, given);
  const stored = { ...given, delete_tag: parameters.delete_tag, time_window: parameters.time_window };
  const id = await createGcExecution(services.db, kind, stored as unknown as GcParameters);
  const job: GcJob = { executionId: id, parameters };
  await services.redis.lpush(GC_QUEUE, JSON.stringify(job));
  return id;
}
