// A Harbor the harness provisions (offline, official, kind) is deployed with the settings of the
// security policy, as the team's own deployment would be ("same version, same settings"): the system
// settings, and the project baseline on the projects the fresh install ships (Harbor's public `library`,
// created by goharbor/harbor make/migrations/postgresql/0001_initial_schema.up.sql@v2.15.x).
// An external Harbor is never changed: there the security-defaults suite reports how it differs from the policy.
import { HarborApiClient } from '../lib/harbor-api.ts';
import type { Project } from '../lib/harbor-api-types.ts';
import type { Target } from '../lib/target.ts';
import type { SecurityPolicy } from '../policies/security-policy.ts';

/** The policy's system settings that are set (Harbor configuration keys and their values). */
export function systemSettingsOf(policy: SecurityPolicy): Record<string, string | boolean> {
  return Object.fromEntries(Object.entries(policy.system).filter(([, value]) => value !== undefined)) as Record<
    string,
    string | boolean
  >;
}

export async function applyDeploymentSettings(
  target: Target,
  policy: SecurityPolicy,
  log: (line: string) => void,
): Promise<void> {
  if (target.kind === 'external') return;
  const settings = systemSettingsOf(policy);
  const api = new HarborApiClient({ baseUrl: target.url, credentials: target.admin });
  if (Object.keys(settings).length > 0) {
    if (target.systemSettingsDeployed) {
      // CONFIG_OVERWRITE_JSON makes Harbor's configuration read-only: a PUT would be refused with 403
      log(
        `the ${target.kind} Harbor was deployed with the policy's system settings (CONFIG_OVERWRITE_JSON): ${Object.keys(settings).join(', ')}`,
      );
    } else {
      log(
        `deploying the ${target.kind} Harbor with the policy's system settings: ${Object.entries(settings)
          .map(([k, v]) => `${k}=${String(v)}`)
          .join(', ')}`,
      );
      await api.updateConfigurations(settings);
    }
  }
  // The team schedules garbage collection where its policy asks; a Harbor that cannot (no such API) is left as is.
  if (policy.schedules.garbageCollection && !(await hasGcSchedule(api))) {
    const body = { schedule: { type: 'Daily' }, parameters: { delete_untagged: false, workers: 1 } };
    const response = await api.request('POST', '/system/gc/schedule', { body, expect: [201, 404] });
    if (response.status === 201)
      log(
        `deploying the ${target.kind} Harbor with a daily garbage-collection schedule (policy schedules.garbageCollection)`,
      );
  }
  const baseline = policy.projectBaseline.metadata;
  const perProject = policy.schedules.retentionForEveryProject || Object.keys(baseline).length > 0;
  if (!perProject) return;
  const shipped = (await api.listAll<Project>('/projects')).filter(
    (p) => !policy.projectBaseline.exempt.includes(p.name),
  );
  if (policy.schedules.retentionForEveryProject) {
    for (const project of shipped) {
      if (await ensureRetentionSchedule(api, project))
        log(
          `deploying project ${project.name} with a scheduled retention policy (policy schedules.retentionForEveryProject)`,
        );
    }
  }
  if (Object.keys(baseline).length === 0) return;
  for (const project of shipped) {
    log(`deploying project ${project.name} with the policy's project baseline`);
    await api.updateProjectMetadata(project.project_id, baseline);
  }
}

/**
 * Gives a project without one a daily retention policy that keeps everything (`always` on every repository and
 * tag, untagged included): the schedule the policy asks for, deleting nothing a team has not chosen to delete.
 * False when the project has one already or the Harbor has no retention API.
 */
export async function ensureRetentionSchedule(
  api: HarborApiClient,
  project: Pick<Project, 'project_id' | 'metadata'>,
): Promise<boolean> {
  if (project.metadata?.retention_id) return false;
  const all = { kind: 'doublestar', pattern: '**' };
  const body = {
    algorithm: 'or',
    rules: [
      {
        action: 'retain',
        template: 'always',
        params: {},
        tag_selectors: [{ ...all, decoration: 'matches', extras: '{"untagged":true}' }],
        scope_selectors: { repository: [{ ...all, decoration: 'repoMatches' }] },
      },
    ],
    trigger: { kind: 'Schedule', settings: { cron: '0 0 0 * * *' }, references: {} },
    scope: { level: 'project', ref: project.project_id },
  };
  const response = await api.request('POST', '/retentions', { body, expect: [201, 404] });
  return response.status === 201;
}

/**
 * Whether Harbor already has a GC schedule (a kept stack deployed by an earlier run): POST would add a
 * second one. No schedule is a 200 with an empty body (or type None) on v2.15 (seen on the real binaries).
 */
async function hasGcSchedule(api: HarborApiClient): Promise<boolean> {
  const response = await api.request<{ schedule?: { type?: string } } | null>('GET', '/system/gc/schedule', {
    expect: [200, 404],
  });
  const type = response.status === 200 ? response.data?.schedule?.type : undefined;
  return type !== undefined && type !== '' && type !== 'None';
}
