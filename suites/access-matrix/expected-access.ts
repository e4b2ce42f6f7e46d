// The expected answer of a cell, from Harbor's tables (harbor-rbac-policies.ts) and its evaluators:
// - sysadmin: everything but scanner-pull (src/pkg/permission/evaluator/admin/admin.go@v2.15.2);
// - members: their role's policies in their project (src/common/rbac/project/rbac_role.go@v2.15.2);
// - project robots: their grants, push giving pull (filterRobotPolicies, src/common/security/robot/context.go@v2.15.2);
// - system robots: their grants as given (no push→pull filter), project grants on the named project or on all ('*');
// - everybody with a project evaluator, anonymous included: the public-project policies in a public project
//   (rbacUser.GetPolicies, src/common/rbac/project/rbac_user.go@v2.15.2);
// - a project that does not exist has no evaluator: nobody but a sysadmin may do anything in it.
import { publicProjectPolicies, rolePolicies } from './harbor-rbac-policies.ts';
import type { Identity, ProjectKind } from './identities.ts';

export function projectPermission(identity: Identity, permission: string, project: ProjectKind): boolean {
  if (identity.kind === 'sysadmin') return !permission.endsWith(':scanner-pull');
  if (project === 'missing') return false;
  const isPublic = project === 'public';
  const fromPublic = isPublic && publicProjectPolicies.has(permission);
  switch (identity.kind) {
    case 'anonymous':
    case 'wrong-credentials':
    case 'user':
      return fromPublic;
    case 'member':
      return fromPublic || (project === 'own' && rolePolicies[identity.role].has(permission));
    case 'project-robot': {
      if (fromPublic) return true;
      if (project !== 'own') return false;
      return (
        identity.grants.includes(permission) ||
        (permission === 'repository:pull' && identity.grants.includes('repository:push'))
      );
    }
    case 'system-robot': {
      // The project evaluator of a system robot exists only when it holds project grants.
      if (identity.grants.length === 0) return false;
      if (fromPublic) return true;
      const covers = identity.namespace === '*' || project === 'own';
      return covers && identity.grants.includes(permission);
    }
  }
}

export function systemPermission(identity: Identity, permission: string): boolean {
  if (identity.kind === 'sysadmin') return true;
  if (identity.kind === 'system-robot') return identity.systemGrants.includes(permission);
  return false;
}
