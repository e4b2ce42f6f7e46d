// What a team's Harbor holds and a fresh stack does not: one private project carrying the policy's baseline
// metadata (and its scheduled retention policy where the policy asks for one). Created before the selftest's snapshot, so read-only checks (anonymous project lists, the project
// baseline) look at an estate that is correct on the correct stack and wrong under the profiles that model it.
import { HarborApiClient } from '../lib/harbor-api.ts';
import type { Target } from '../lib/target.ts';
import type { SecurityPolicy } from '../policies/security-policy.ts';
import { ensureRetentionSchedule } from './deployment-settings.ts';

export const ESTATE_PROJECT = 'team-apps';

export async function provisionEstate(target: Target, policy: SecurityPolicy): Promise<void> {
  const api = new HarborApiClient({ baseUrl: target.url, credentials: target.admin });
  const id = await api.createProject({
    project_name: ESTATE_PROJECT,
    metadata: { public: 'false', ...policy.projectBaseline.metadata },
  });
  if (policy.schedules.retentionForEveryProject) await ensureRetentionSchedule(api, { project_id: id, metadata: {} });
}
