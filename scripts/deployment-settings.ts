// A Harbor the harness provisions (offline, official, kind) is deployed with the system settings of the
// security policy, as the team's own deployment would be ("same version, same settings"). An external
// Harbor is never changed: there the security-defaults suite reports how it differs from the policy.
import { HarborApiClient } from '../lib/harbor-api.ts';
import type { Target } from '../lib/target.ts';
import type { SecurityPolicy } from '../suites/security-defaults/security-policy.ts';

/** The policy's system settings that are set (Harbor configuration keys and their values). */
export function systemSettingsOf(policy: SecurityPolicy): Record<string, string | boolean> {
  return Object.fromEntries(Object.entries(policy.system).filter(([, value]) => value !== undefined)) as Record<string, string | boolean>;
}

export async function applyDeploymentSettings(target: Target, policy: SecurityPolicy, log: (line: string) => void): Promise<void> {
  if (target.kind === 'external') return;
  const settings = systemSettingsOf(policy);
  if (Object.keys(settings).length === 0) return;
  if (target.systemSettingsDeployed) {
    // CONFIG_OVERWRITE_JSON makes Harbor's configuration read-only: a PUT would be refused with 403
    log(`the ${target.kind} Harbor was deployed with the policy's system settings (CONFIG_OVERWRITE_JSON): ${Object.keys(settings).join(', ')}`);
    return;
  }
  log(`deploying the ${target.kind} Harbor with the policy's system settings: ${Object.entries(settings).map(([k, v]) => `${k}=${String(v)}`).join(', ')}`);
  await new HarborApiClient({ baseUrl: target.url, credentials: target.admin }).updateConfigurations(settings);
}
