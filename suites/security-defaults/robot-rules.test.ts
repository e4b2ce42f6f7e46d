import { describe, expect, it } from 'vitest';
import type { Robot } from '../../lib/harbor-api-types.ts';
import { loadDefaultPolicy } from '../../policies/security-policy.ts';
import { robotExpiryViolations, robotPrivilegeViolations } from './robot-rules.ts';

const now = 1_800_000_000;
const robot = (fields: Partial<Robot>): Robot => ({
  id: 1,
  name: 'robot$p+ci',
  level: 'project',
  duration: 30,
  expires_at: now + 30 * 86_400,
  permissions: [],
  ...fields,
});
const rules = loadDefaultPolicy().robots;

describe('robot rules', () => {
  it('flags never-expiring and over-long robots, not disabled or already expired ones', () => {
    expect(
      robotExpiryViolations(
        [
          robot({ name: 'robot$ok' }),
          robot({ name: 'robot$forever', duration: -1, expires_at: -1 }),
          robot({ name: 'robot$long', duration: 365, expires_at: now + 365 * 86_400 }),
          robot({ name: 'robot$off', duration: -1, expires_at: -1, disable: true }),
          robot({ name: 'robot$gone', duration: 365, expires_at: now - 1 }),
        ],
        rules,
        now,
      ),
    ).toEqual(['robot$forever: never expires (duration -1)', 'robot$long: lives 365 days (policy: at most 90)']);
  });

  it('flags system-level, all-project and administrative robots', () => {
    const admin = robot({
      name: 'robot$ops',
      level: 'system',
      permissions: [
        {
          kind: 'system',
          namespace: '/',
          access: [
            { resource: 'robot', action: 'create' },
            { resource: 'catalog', action: 'read' },
          ],
        },
        { kind: 'project', namespace: '*', access: [{ resource: 'repository', action: 'pull' }] },
      ],
    });
    expect(robotPrivilegeViolations([robot({}), admin], rules)).toEqual([
      'robot$ops: system-level robot',
      'robot$ops: administrative system permissions robot:create',
      'robot$ops: covers every project (namespace "*")',
    ]);
    expect(
      robotPrivilegeViolations([admin], {
        ...rules,
        allowSystemLevel: true,
        allowAllProjects: true,
        forbiddenSystemPermissions: [],
      }),
    ).toEqual([]);
  });
});
