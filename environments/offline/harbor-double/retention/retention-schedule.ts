// The scheduled retention run (goharbor/harbor src/controller/retention/controller.go CreateRetention /
// UpdateRetention, callback.go retentionCallback, src/pkg/scheduler@v2.15.2): a policy whose trigger is `Schedule`
// with a cron gets a schedule; when it fires, a real run (not a dry run) starts with trigger Schedule. The double
// checks every policy at each minute boundary of its clock (server.ts, with the replication and GC schedules).
import type { DoubleServices } from '../double-services.ts';
import { cronMatches } from '../replication/replication-schedule.ts';
import { allPolicies } from '../store/retention.ts';
import { triggerRetentionExecution } from './retention-launcher.ts';

export async function fireDueRetentionSchedules(services: DoubleServices, at: Date): Promise<number[]> {
  const started: number[] = [];
  for (const policy of await allPolicies(services.db)) {
    const cron = policy.trigger.kind === 'Schedule' ? policy.trigger.settings['cron'] : undefined;
    // the callback's operator is the one stored with the schedule; the double keeps none
    if (typeof cron === 'string' && cron !== '' && cronMatches(cron, at))
      started.push(await triggerRetentionExecution(services, policy, 'Schedule', false, ''));
  }
  return started;
}
