// Decides whether a security context may perform resource:action in a project or at system level,
// following Harbor's evaluators: sysadmin (everything but scanner-pull), project roles, robot
// permissions (push implies pull, public-project policies added), the v2token context (repository
// actions only) and anonymous (public-project policies only).
import type { RobotPermission, SecurityContext } from '../security/security-context.ts';
import { publicProjectAllows } from './public-project-policies.ts';
import { projectScopePermissions } from './robot-permission-catalog.ts';

export interface ProjectFacts {
  projectId: number;
  name: string;
  public: boolean;
  creationTime: Date;
}

export type Scope = { type: 'system' } | { type: 'project'; project: ProjectFacts };

/** Role of a local user in a project (1 projectAdmin, 2 developer, 3 guest, 4 maintainer, 5 limitedGuest). */
export type MemberRoleLookup = (userId: number, projectId: number) => Promise<number | undefined>;

const developer: ReadonlyArray<string> = [
  'repository:list', 'repository:pull', 'repository:push', 'repository:read',
  'artifact:read', 'artifact:list', 'artifact:create', 'tag:list', 'tag:create',
  'scan:read', 'scan:create', 'scanner:read', 'label:read', 'label:list', 'artifact-addition:read',
  'accessory:list', 'project:read', 'metadata:read', 'metadata:list', 'robot:read', 'robot:list', 'log:list',
  'quota:read', 'member:list', 'member:read', 'artifact-label:create', 'artifact-label:delete',
];
const guest: ReadonlyArray<string> = [
  'repository:list', 'repository:pull', 'repository:read', 'artifact:read', 'artifact:list', 'tag:list',
  'scan:read', 'scanner:read', 'label:read', 'label:list', 'artifact-addition:read', 'accessory:list',
  'project:read', 'metadata:read', 'metadata:list', 'robot:read', 'robot:list', 'log:list', 'quota:read',
  'member:list', 'member:read',
];
const maintainer: ReadonlyArray<string> = [
  ...developer, 'repository:delete', 'repository:update', 'artifact:delete', 'tag:delete', 'scan:stop',
  'immutable-tag:create', 'immutable-tag:update', 'immutable-tag:delete', 'immutable-tag:list',
  'tag-retention:create', 'tag-retention:read', 'tag-retention:update', 'tag-retention:delete',
  'tag-retention:list', 'tag-retention:operate', 'notification-policy:list', 'notification-policy:read',
];

export function roleAllows(role: number, resource: string, action: string): boolean {
  const key = `${resource}:${action}`;
  switch (role) {
    case 1: // projectAdmin: everything in the project scope
      return projectScopePermissions[resource]?.includes(action) || (resource === 'project' && ['read', 'update', 'delete'].includes(action)) || key === 'robot:update';
    case 4:
      return maintainer.includes(key);
    case 2:
      return developer.includes(key);
    case 3:
    case 5:
      return guest.includes(key);
    default:
      return false;
  }
}

export function robotAllows(permissions: RobotPermission[], scope: Scope, resource: string, action: string): boolean {
  if (scope.type === 'system') {
    return permissions.some(
      (p) => p.kind === 'system' && p.namespace === '/' && p.access.some((a) => a.resource === resource && a.action === action),
    );
  }
  const granted = permissions
    .filter((p) => p.kind === 'project' && (p.namespace === scope.project.name || p.namespace === '*'))
    .flatMap((p) => p.access);
  const has = (res: string, act: string) => granted.some((a) => a.resource === res && a.action === act);
  if (has(resource, action)) return true;
  if (resource === 'repository' && action === 'pull' && has('repository', 'push')) return true;
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
): Promise<boolean> {
  switch (ctx.kind) {
    case 'secret':
      return true;
    case 'local': {
      if (ctx.user.sysadmin) return action !== 'scanner-pull';
      if (scope.type === 'system') return false;
      if (scope.project.public && publicProjectAllows(resource, action)) return true;
      const role = await memberRole(ctx.user.userId, scope.project.projectId);
      return role !== undefined && roleAllows(role, resource, action);
    }
    case 'robot':
      return robotAllows(ctx.robot.permissions, scope, resource, action);
    case 'v2token': {
      if (scope.type !== 'project' || resource !== 'repository') return false;
      // A token issued before the project existed (deleted and re-created) is worthless.
      if (ctx.issuedAt === undefined || ctx.issuedAt < Math.floor(scope.project.creationTime.getTime() / 1000)) return false;
      return tokenActionsFor(ctx, scope.project.name).has(action);
    }
    case 'anonymous':
      return scope.type === 'project' && scope.project.public && publicProjectAllows(resource, action);
  }
}
