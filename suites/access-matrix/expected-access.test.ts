import { describe, expect, test } from 'vitest';
import { projectPermission, systemPermission } from './expected-access.ts';
import type { Identity } from './identities.ts';
import { spellingsOf } from './path-spellings.ts';

const developer: Identity = { id: 'd', kind: 'member', role: 'developer' };
const pushRobot: Identity = { id: 'r', kind: 'project-robot', grants: ['repository:push'] };
const systemPushRobot: Identity = {
  id: 's',
  kind: 'system-robot',
  namespace: 'own',
  grants: ['repository:push'],
  systemGrants: ['catalog:read'],
};

describe('expected access (Harbor v2.15.2 tables)', () => {
  test('roles in their own project only', () => {
    expect(projectPermission(developer, 'repository:push', 'own')).toBe(true);
    expect(projectPermission(developer, 'artifact:delete', 'own')).toBe(false);
    expect(projectPermission(developer, 'repository:push', 'other')).toBe(false);
    expect(projectPermission({ id: 'm', kind: 'member', role: 'maintainer' }, 'metadata:update', 'own')).toBe(false);
    expect(projectPermission({ id: 'l', kind: 'member', role: 'limitedGuest' }, 'member:list', 'own')).toBe(false);
  });
  test('public projects give everybody the public policies, a missing project nobody but the admin', () => {
    expect(projectPermission({ id: 'anonymous', kind: 'anonymous' }, 'repository:pull', 'public')).toBe(true);
    expect(projectPermission({ id: 'anonymous', kind: 'anonymous' }, 'member:list', 'public')).toBe(false);
    expect(projectPermission(developer, 'repository:pull', 'missing')).toBe(false);
    expect(projectPermission({ id: 'sysadmin', kind: 'sysadmin' }, 'repository:pull', 'missing')).toBe(true);
    expect(projectPermission({ id: 'sysadmin', kind: 'sysadmin' }, 'repository:scanner-pull', 'own')).toBe(false);
  });
  test('push gives pull to project robots only', () => {
    expect(projectPermission(pushRobot, 'repository:pull', 'own')).toBe(true);
    expect(projectPermission(systemPushRobot, 'repository:pull', 'own')).toBe(false);
    expect(systemPermission(systemPushRobot, 'catalog:read')).toBe(true);
    expect(systemPermission(developer, 'catalog:read')).toBe(false);
  });
  test('spellings keep the query and name every variant', () => {
    const names = spellingsOf('/v2/priv/app/manifests/v1', { project: 'priv', publicProject: 'pub', scoped: true }).map(
      (s) => s.path,
    );
    expect(names).toContain('/v2/pub/../priv/app/manifests/v1');
    expect(names).toContain('/v2/%70riv/app/manifests/v1');
    expect(spellingsOf('/api/v2.0/labels?scope=p', { project: 'x', publicProject: 'y', scoped: false })[0]!.path).toBe(
      '/api/v2.0/labels/?scope=p',
    );
  });
});
