// Harbor's permission tables as data: who may do which resource:action, written from
// goharbor/harbor src/common/rbac/project/rbac_role.go@v2.15.2 (roles), src/common/rbac/project/rbac_util.go@v2.15.2
// (what everybody may do in a public project), src/common/rbac/system/policies.go@v2.15.2 (system namespace) and
// src/pkg/permission/evaluator/admin/admin.go@v2.15.2 (a sysadmin may do everything but scanner-pull).
// `project` stands for Harbor's ResourceSelf (""), the project itself.
// These are the expected answers of the access matrix; they are never read from the target or the double.

export type ProjectRole = 'projectAdmin' | 'maintainer' | 'developer' | 'guest' | 'limitedGuest';

/** Harbor's role ids (src/common/const.go@v2.15.2). */
export const roleIds: Record<ProjectRole, number> = {
  projectAdmin: 1,
  developer: 2,
  guest: 3,
  maintainer: 4,
  limitedGuest: 5,
};

const list = (resource: string, ...actions: string[]) => actions.map((action) => `${resource}:${action}`);

const guestPolicies = [
  ...list('project', 'read'),
  ...list('member', 'read', 'list'),
  ...list('label', 'read', 'list'),
  ...list('quota', 'read'),
  ...list('repository', 'read', 'list', 'pull'),
  ...list('configuration', 'read'),
  ...list('robot', 'read', 'list'),
  ...list('scan', 'read'),
  ...list('sbom', 'read'),
  ...list('scanner', 'read'),
  ...list('tag', 'list'),
  ...list('accessory', 'list'),
  ...list('artifact', 'read', 'list'),
  ...list('artifact-addition', 'read'),
];

const developerPolicies = [
  ...list('project', 'read'),
  ...list('member', 'read', 'list'),
  ...list('label', 'read', 'list'),
  ...list('quota', 'read'),
  ...list('repository', 'create', 'read', 'update', 'list', 'push', 'pull'),
  ...list('tag-retention', 'create', 'read', 'update', 'delete', 'list', 'operate'),
  ...list('configuration', 'read'),
  ...list('robot', 'read', 'list'),
  ...list('scan', 'read'),
  ...list('sbom', 'read'),
  ...list('scanner', 'read'),
  ...list('artifact', 'create', 'read', 'list'),
  ...list('artifact-addition', 'read'),
  ...list('tag', 'list', 'create'),
  ...list('accessory', 'list'),
  ...list('artifact-label', 'create', 'delete'),
  ...list('export-cve', 'create', 'read', 'list'),
];

const maintainerPolicies = [
  ...list('project', 'read'),
  ...list('member', 'read', 'list'),
  ...list('metadata', 'read'),
  ...list('quota', 'read'),
  ...list('label', 'create', 'read', 'update', 'delete', 'list'),
  ...list('repository', 'create', 'read', 'update', 'delete', 'list', 'push', 'pull'),
  ...list('tag-retention', 'create', 'read', 'update', 'delete', 'list', 'operate'),
  ...list('accessory', 'list'),
  ...list('immutable-tag', 'create', 'update', 'delete', 'list'),
  ...list('configuration', 'read'),
  ...list('robot', 'read', 'list'),
  ...list('notification-policy', 'read', 'list'),
  ...list('scan', 'create', 'read', 'stop'),
  ...list('sbom', 'create', 'stop', 'read'),
  ...list('scanner', 'read'),
  ...list('artifact', 'create', 'read', 'delete', 'list'),
  ...list('artifact-addition', 'read'),
  ...list('tag', 'list', 'create', 'delete'),
  ...list('artifact-label', 'create', 'delete'),
  ...list('export-cve', 'create', 'read', 'list'),
];

const projectAdminPolicies = [
  ...list('project', 'read', 'update', 'delete'),
  ...list('member', 'create', 'read', 'update', 'delete', 'list'),
  ...list('metadata', 'create', 'read', 'update', 'delete'),
  ...list('log', 'list'),
  ...list('label', 'create', 'read', 'update', 'delete', 'list'),
  ...list('quota', 'read'),
  ...list('repository', 'create', 'read', 'update', 'delete', 'list', 'pull', 'push'),
  ...list('tag-retention', 'create', 'read', 'update', 'delete', 'list', 'operate'),
  ...list('immutable-tag', 'create', 'update', 'delete', 'list'),
  ...list('configuration', 'read', 'update'),
  ...list('robot', 'create', 'read', 'update', 'delete', 'list'),
  ...list('notification-policy', 'create', 'update', 'delete', 'list', 'read'),
  ...list('scan', 'create', 'read', 'stop'),
  ...list('sbom', 'create', 'stop', 'read'),
  ...list('scanner', 'read', 'create'),
  ...list('artifact', 'create', 'read', 'delete', 'list'),
  ...list('artifact-addition', 'read'),
  ...list('tag', 'list', 'create', 'delete'),
  ...list('accessory', 'list'),
  ...list('artifact-label', 'create', 'delete'),
  ...list('preheat-policy', 'create', 'read', 'update', 'delete', 'list'),
  ...list('export-cve', 'create', 'read', 'list'),
];

const limitedGuestPolicies = [
  ...list('project', 'read'),
  ...list('quota', 'read'),
  ...list('repository', 'list', 'read', 'pull'),
  ...list('configuration', 'read'),
  ...list('scan', 'read'),
  ...list('sbom', 'read'),
  ...list('scanner', 'read'),
  ...list('tag', 'list'),
  ...list('accessory', 'list'),
  ...list('artifact', 'read', 'list'),
  ...list('artifact-addition', 'read'),
];

/** rolePoliciesMap of rbac_role.go@v2.15.2. */
export const rolePolicies: Record<ProjectRole, ReadonlySet<string>> = {
  projectAdmin: new Set(projectAdminPolicies),
  maintainer: new Set(maintainerPolicies),
  developer: new Set(developerPolicies),
  guest: new Set(guestPolicies),
  limitedGuest: new Set(limitedGuestPolicies),
};

/** publicProjectPolicies of rbac_util.go@v2.15.2: everybody, anonymous included, in a public project. */
export const publicProjectPolicies: ReadonlySet<string> = new Set([
  ...list('project', 'read'),
  ...list('label', 'read', 'list'),
  ...list('repository', 'list', 'pull'),
  ...list('scan', 'read'),
  ...list('scanner', 'read'),
  ...list('tag', 'list'),
  ...list('artifact', 'read', 'list'),
  ...list('artifact-addition', 'read'),
  ...list('accessory', 'list'),
]);

/** GetPoliciesOfProject (rbac_util.go): the union of the role tables, what /users/current/permissions walks. */
export const projectNamespacePolicies: ReadonlySet<string> = new Set(
  Object.values(rolePolicies).flatMap((set) => [...set]),
);

/** policies of system/policies.go@v2.15.2: what /users/current/permissions?scope=/system walks. */
export const systemNamespacePolicies: ReadonlySet<string> = new Set([
  ...list('catalog', 'read'),
  ...list('audit-log', 'list'),
  ...list('project', 'create', 'read', 'update', 'delete', 'list'),
  ...list('user', 'create', 'read', 'update', 'delete', 'list'),
  ...list('user-group', 'create', 'read', 'update', 'delete', 'list'),
  ...list('registry', 'create', 'read', 'update', 'delete', 'list'),
  ...list('replication', 'create', 'read', 'update', 'list', 'delete'),
  ...list('distribution', 'create', 'read', 'update', 'delete', 'list'),
  ...list('garbage-collection', 'create', 'read', 'update', 'delete', 'list'),
  ...list('scan-all', 'create', 'read', 'update', 'delete', 'list', 'stop'),
  ...list('system-volumes', 'read'),
  ...list('ldap-user', 'create', 'list'),
  ...list('configuration', 'read', 'update'),
  ...list('jobservice-monitor', 'read', 'list', 'stop'),
  ...list('security-hub', 'read', 'list'),
]);

/** The registry actions a v2 token can carry (src/core/service/token/creator.go@v2.15.2 filters to these). */
export const registryActions = ['pull', 'push', 'delete', 'scanner-pull'] as const;
export type RegistryAction = (typeof registryActions)[number];
