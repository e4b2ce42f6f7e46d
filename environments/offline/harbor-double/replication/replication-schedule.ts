// The scheduled trigger (goharbor/harbor src/controller/replication/policy.go, src/pkg/scheduler@v2.15.2): a policy
// with trigger `scheduled` gets a schedule on its 6-field cron (seconds first, always 0 for replication, so minute
// resolution); when it fires, an execution with trigger SCHEDULE starts. The double checks every policy at each
// minute boundary of its clock. `POST /_double/replication/policies/{id}/scheduled-run` (fault-control token) fires a
// policy's schedule now, so no check waits for the clock.
import type { FastifyInstance } from 'fastify';
import type { DoubleServices } from '../double-services.ts';
import { notFound } from '../harbor-error.ts';
import { allPolicies, findPolicy } from '../store/replication.ts';
import { startExecution } from './replication-flow.ts';

function fieldMatches(field: string, value: number, min: number): boolean {
  return field.split(',').some((part) => {
    const [range = '*', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    let from = min;
    let to = Number.MAX_SAFE_INTEGER;
    if (range !== '*' && range !== '?') {
      const [a, b] = range.split('-');
      from = Number(a);
      to = b === undefined ? (stepText === undefined ? from : Number.MAX_SAFE_INTEGER) : Number(b);
    }
    return value >= from && value <= to && (value - from) % step === 0;
  });
}

/** robfig/cron's 6-field spec (seconds, minutes, hours, day of month, month, day of week), numbers only. */
export function cronMatches(cron: string, at: Date): boolean {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 6) return false;
  const [sec, min, hour, dom, month, dow] = fields as [string, string, string, string, string, string];
  return (
    fieldMatches(sec, at.getUTCSeconds(), 0) &&
    fieldMatches(min, at.getUTCMinutes(), 0) &&
    fieldMatches(hour, at.getUTCHours(), 0) &&
    fieldMatches(dom, at.getUTCDate(), 1) &&
    fieldMatches(month, at.getUTCMonth() + 1, 1) &&
    fieldMatches(dow, at.getUTCDay(), 0)
  );
}

export async function fireDueSchedules(services: DoubleServices, at: Date): Promise<number[]> {
  const started: number[] = [];
  for (const policy of await allPolicies(services.db)) {
    const cron = policy.trigger?.type === 'scheduled' ? policy.trigger.trigger_settings?.cron : undefined;
    if (policy.enabled && cron && cronMatches(cron, at))
      started.push(await startExecution(services, policy, 'SCHEDULE'));
  }
  return started;
}

/**
 * jobservice's scheduler for the double: at each minute boundary every schedule whose cron matches that minute fires
 * (replication policies here; `fire` adds the GC and retention schedules). A failing one is logged and never stops
 * the others.
 */
export function startReplicationScheduler(
  services: DoubleServices,
  options: {
    log?: (line: string) => void;
    now?: () => number;
    also?: Array<{ what: string; fire: (at: Date) => Promise<unknown> }>;
  } = {},
): { stop(): void } {
  const now = options.now ?? Date.now;
  const firers = [{ what: 'replication', fire: (at: Date) => fireDueSchedules(services, at) }, ...(options.also ?? [])];
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    const next = Math.floor(now() / 60_000) * 60_000 + 60_000;
    timer = setTimeout(() => {
      for (const { what, fire } of firers)
        void fire(new Date(next)).catch((error: unknown) =>
          options.log?.(`scheduled ${what} failed: ${(error as Error).message}`),
        );
      arm();
    }, next - now());
    timer.unref();
  };
  arm();
  return { stop: () => clearTimeout(timer) };
}

export function registerReplicationScheduleControlRoute(app: FastifyInstance, services: DoubleServices): void {
  app.post('/_double/replication/policies/:id/scheduled-run', async (request) => {
    const id = Number((request.params as { id: string }).id);
    const policy = await findPolicy(services.db, id);
    if (!policy) throw notFound(`replication policy ${id} not found`);
    return { execution_id: await startExecution(services, policy, 'SCHEDULE') };
  });
}
