// A Harbor the harness provisions (offline, official, kind) is deployed with the system settings of the
// security policy, as the team's own deployment would be ("same version, same settings"). An external
// Harbor is never changed: there the security-defaults suite reports how it differs from the policy.
import { HarborApiClient } from '../lib/harbor-api.ts';
import type { Target } from '../lib/target.ts';
import type { SecurityPolicy } from '../policies/security-policy.ts';

export async function applyDeploymentSettings(target: Target, policy: SecurityPolicy, log: (line: string) => void): Promise<void> {
  if (target.kind === 'external') return;
  const api = new HarborApiClient({ baseUrl: target.url, credentials: target.admin });
  const settings = Object.fromEntries(Object.entries(policy.system).filter(([, value]) => value !== undefined)) as Record<string, string | boolean>;
  if (Object.keys(settings).length > 0) {
    log(`deploying the ${target.kind} Harbor with the policy's system settings: ${Object.entries(settings).map(([k, v]) => `${k}=${String(v)}`).join(', ')}`);
    await api.updateConfigurations(settings);
  }
  // The team schedules garbage collection where its policy asks; a Harbor that cannot (no such API) is left as is.
  if (policy.schedules.garbageCollection) {
    const body = { schedule: { type: 'Daily' }, parameters: { delete_untagged: false, workers: 1 } };
    const response = await api.request('POST', '/system/gc/schedule', { body, expect: [201, 404] });
    if (response.status === 201) log(`deploying the ${target.kind} Harbor with a daily garbage-collection schedule (policy schedules.garbageCollection)`);
  }
}
