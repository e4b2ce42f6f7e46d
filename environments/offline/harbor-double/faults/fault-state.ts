// Deployment state some fault profiles model (a misconfiguration of the estate rather than of Harbor's code),
// put in place when the profile is switched on through the control endpoint. Profiles that change behaviour
// need nothing here: their enforcement points ask `services.faults.has(name)`.
import { randomBytes } from 'node:crypto';
import { deleteGcSchedule } from '../api/gc-schedule-routes.ts';
import type { DoubleServices } from '../double-services.ts';
import { insertRobot } from '../store/robots.ts';
import type { FaultProfileName } from './fault-profiles.ts';

export async function applyProfileState(services: DoubleServices, names: ReadonlySet<FaultProfileName>): Promise<void> {
  if (names.has('unhardened-defaults')) await leaveHarborDefaults(services);
}

/**
 * unhardened-defaults: every project keeps only `public` (Harbor's defaults leave auto_scan, prevent_vul,
 * severity and content trust unset) and no retention policy, no garbage-collection schedule (Harbor ships with none), and a CI robot made the quick way exists: system level, never
 * expiring, allowed to create robots and projects. Its secret is random and never handed out.
 */
async function leaveHarborDefaults(services: DoubleServices): Promise<void> {
  await services.db.query("DELETE FROM project_metadata WHERE name <> 'public'");
  await services.db.query('DELETE FROM retention_policy');
  await deleteGcSchedule(services);
  await insertRobot(services.db, {
    name: 'ci-automation',
    description: 'created with "Never expire" and every system permission ticked',
    project_id: 0,
    level: 'system',
    secret_hash: randomBytes(32).toString('hex'),
    salt: randomBytes(16).toString('hex'),
    duration: -1,
    expires_at: -1,
    disabled: false,
    creator_type: 'local',
    creator_ref: 1,
    permissions: [
      {
        kind: 'system',
        namespace: '/',
        access: [
          { resource: 'robot', action: 'create' },
          { resource: 'project', action: 'create' },
        ],
      },
    ],
  });
}
