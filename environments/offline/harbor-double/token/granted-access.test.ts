import { describe, expect, test } from 'vitest';
import { can as evaluate, type ProjectFacts } from '../rbac/evaluator.ts';
import type { SecurityContext } from '../security/security-context.ts';
import { grantedAccess, type GrantDeps } from './granted-access.ts';

const created = new Date('2026-01-01T00:00:00Z');
const projects: Record<string, ProjectFacts> = {
  priv: { projectId: 1, name: 'priv', public: false, creationTime: created },
  pub: { projectId: 2, name: 'pub', public: true, creationTime: created },
};
const deps: GrantDeps = {
  project: async (name) => projects[name],
  can: (ctx, project, action) =>
    evaluate(ctx, { type: 'project', project }, 'repository', action, async () => undefined),
};
const admin: SecurityContext = { kind: 'local', user: { userId: 1, username: 'admin', sysadmin: true } };
const robot: SecurityContext = {
  kind: 'robot',
  robot: {
    id: 1,
    name: 'robot$priv+ci',
    level: 'project',
    projectId: 1,
    permissions: [{ kind: 'project', namespace: 'priv', access: [{ resource: 'repository', action: 'push' }] }],
  },
};

describe('grantedAccess', () => {
  test('a sysadmin asking for pull gets pull, push and delete, never scanner-pull', async () => {
    const [granted] = await grantedAccess(admin, [{ type: 'repository', name: 'priv/app', actions: ['pull'] }], deps);
    expect(granted!.actions.sort()).toEqual(['delete', 'pull', 'push']);
  });
  test('anonymous gets pull on a public project and nothing on a private one', async () => {
    const granted = await grantedAccess(
      { kind: 'anonymous' },
      [
        { type: 'repository', name: 'pub/app', actions: ['pull', 'push'] },
        { type: 'repository', name: 'priv/app', actions: ['pull'] },
      ],
      deps,
    );
    expect(granted.map((g) => g.actions)).toEqual([['pull'], []]);
  });
  test('a project robot with push also gets pull; another project gives nothing', async () => {
    const granted = await grantedAccess(
      robot,
      [
        { type: 'repository', name: 'priv/app', actions: ['pull'] },
        { type: 'repository', name: 'other/app', actions: ['pull'] },
      ],
      deps,
    );
    expect(granted.map((g) => g.actions)).toEqual([['pull', 'push'], []]);
  });
  test('catalog only for sysadmins; unknown types get nothing', async () => {
    const scopes = [
      { type: 'registry', name: 'catalog', actions: ['*'] },
      { type: 'foo', name: 'bar', actions: ['pull'] },
    ];
    expect((await grantedAccess(admin, scopes, deps)).map((g) => g.actions)).toEqual([['*'], []]);
    expect((await grantedAccess(robot, scopes, deps)).map((g) => g.actions)).toEqual([[], []]);
  });
});
