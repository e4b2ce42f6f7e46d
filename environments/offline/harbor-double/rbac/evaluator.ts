// Decides whether a security context may perform resource:action in a project or at system level,
// following Harbor's evaluators: sysadmin (everything but scanner-pull), project roles, robot
// permissions (push implies pull, public-project policies added), the v2token context (repository
// actions only) and anonymous (public-project policies only).
import type { ActiveFaults } from '../faults/fault-profiles.ts';
import type { RobotPermission, SecurityContext } from '../security/security-context.ts';
import { publicProjectAllows } from './public-project-policies.ts';
import { rolePoliciesById } from './role-policies.ts';

export interface ProjectFacts {
  projectId: number;
  name: string;
  public: boolean;
  creationTime: Date;
}

export type Scope = { type: 'system' } | { type: 'project'; project: ProjectFacts };

/** Role of a local user in a project (1 projectAdmin, 2 developer, 3 guest, 4 maintainer, 5 limitedGuest). */
export type MemberRoleLookup = (userId: number, projectId: number) => Promise<number | undefined>;

/** Whether a project role allows resource:action (rbac_role.go@v2.15.2). */
export function roleAllows(role: number, resource: string, action: string, faults: ActiveFaults = new Set()): boolean {
  // developer-deletes-artifacts: a role table that lets developers delete artifacts (one cell flipped).
  if (faults.has('developer-deletes-artifacts') && role === 2 && resource === 'artifact' && action === 'delete')
    return true;
  return rolePoliciesById[role]?.has(`${resource}:${action}`) ?? false;
}

export function robotAllows(
  permissions: RobotPermission[],
  scope: Scope,
  resource: string,
  action: string,
  level: 'project' | 'system' = 'project',
): boolean {
  if (scope.type === 'system') {
    return permissions.some(
      (p) =>
        p.kind === 'system' &&
        p.namespace === '/' &&
        p.access.some((a) => a.resource === resource && a.action === action),
    );
  }
  const projectGrants = permissions.filter((p) => p.kind === 'project');
  // A system robot without project grants has no project evaluator at all (robot/context.go), public projects included.
  if (projectGrants.length === 0) return false;
  const granted = projectGrants
    .filter((p) => p.namespace === scope.project.name || p.namespace === '*')
    .flatMap((p) => p.access);
  const has = (res: string, act: string) => granted.some((a) => a.resource === res && a.action === act);
  if (has(resource, action)) return true;
  // filterRobotPolicies gives push a pull, for project-level robots only (src/common/security/robot/context.go@v2.15.2).
  if (level === 'project' && resource === 'repository' && action === 'pull' && has('repository', 'push')) return true;
  return scope.project.public && publicProjectAllows(resource, action);
}

/** Actions a v2token grants on a project: '*' means pull+push+delete. */
export function tokenActionsFor(ctx: Extract<SecurityContext, { kind: 'v2token' }>, projectName: string): Set<string> {
  const actions = new Set<string>();
  for (const entry of ctx.access) {
    if (entry.type !== 'repository' || entry.name.split('/')[0] !== projectName) continue;
    for (const action of entry.actions) {
      if (action === '*') for (const a of ['pull', 'push', 'delete']) actions.add(a);
      else actions.add(action);
    }
  }
  return actions;
}

export async function can(
  ctx: SecurityContext,
  scope: Scope,
  resource: string,
  action: string,
  memberRole: MemberRoleLookup,
  faults: ActiveFaults = new Set(),
): Promise<boolean> {
  switch (ctx.kind) {
    case 'secret':
      return true;
    case 'local': {
      if (ctx.user.sysadmin) return action !== 'scanner-pull';
      if (scope.type === 'system') return false;
      if (scope.project.public && publicProjectAllows(resource, action)) return true;
      const role = await memberRole(ctx.user.userId, scope.project.projectId);
      return role !== undefined && roleAllows(role, resource, action, faults);
    }
    case 'robot':
      return robotAllows(ctx.robot.permissions, scope, resource, action, ctx.robot.level);
    case 'v2token': {
      if (scope.type !== 'project' || resource !== 'repository') return false;
      // A token issued before the project existed (deleted and re-created) is worthless.
      if (ctx.issuedAt === undefined || ctx.issuedAt < Math.floor(scope.project.creationTime.getTime() / 1000))
        return false;
      return tokenActionsFor(ctx, scope.project.name).has(action);
    }
    case 'anonymous':
      return scope.type === 'project' && scope.project.public && publicProjectAllows(resource, action);
  }
}
