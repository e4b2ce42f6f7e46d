// A Harbor the harness provisions (offline, official, kind) is deployed with the settings of the
// security policy, as the team's own deployment would be ("same version, same settings"): the system
// settings, and the project baseline on the projects the fresh install ships (Harbor's public `library`,
// created by goharbor/harbor make/migrations/postgresql/0001_initial_schema.up.sql@v2.15.x).
// An external Harbor is never changed: there the security-defaults suite reports how it differs from the policy.
import { HarborApiClient } from '../lib/harbor-api.ts';
import type { Project } from '../lib/harbor-api-types.ts';
import type { Target } from '../lib/target.ts';
import type { SecurityPolicy } from '../suites/security-defaults/security-policy.ts';

export async function applyDeploymentSettings(target: Target, policy: SecurityPolicy, log: (line: string) => void): Promise<void> {
  if (target.kind === 'external') return;
  const api = new HarborApiClient({ baseUrl: target.url, credentials: target.admin });
  const settings = Object.fromEntries(Object.entries(policy.system).filter(([, value]) => value !== undefined)) as Record<string, string | boolean>;
  if (Object.keys(settings).length > 0) {
    log(`deploying the ${target.kind} Harbor with the policy's system settings: ${Object.entries(settings).map(([k, v]) => `${k}=${String(v)}`).join(', ')}`);
    await api.updateConfigurations(settings);
  }
  const baseline = policy.projectBaseline.metadata;
  if (Object.keys(baseline).length === 0) return;
  const shipped = (await api.listAll<Project>('/projects')).filter((p) => !policy.projectBaseline.exempt.includes(p.name));
  for (const project of shipped) {
    log(`deploying project ${project.name} with the policy's project baseline`);
    await api.updateProjectMetadata(project.project_id, baseline);
  }
}
