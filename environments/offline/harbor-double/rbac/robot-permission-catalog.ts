// Which resource:action pairs a robot may be granted (goharbor/harbor src/server/v2.0/handler/robot.go@v2.15.x, Harbor's
// src/common/rbac/const.go NolimitProvider + PoliciesMap). Anything else is rejected with
// 400 "bad request permission: <res>:<act>". `scanner-pull` is deliberately absent.

const crud = ['create', 'read', 'update', 'delete', 'list'];

export const projectScopePermissions: Record<string, readonly string[]> = {
  repository: ['read', 'update', 'delete', 'list', 'pull', 'push'],
  artifact: ['read', 'create', 'list', 'delete'],
  scan: ['create', 'read', 'stop'],
  sbom: ['create', 'stop', 'read'],
  tag: ['create', 'list', 'delete'],
  accessory: ['list'],
  'artifact-addition': ['read'],
  'artifact-label': ['create', 'delete'],
  scanner: ['create', 'read'],
  metadata: crud,
  label: crud,
  'immutable-tag': ['create', 'update', 'delete', 'list'],
  'tag-retention': [...crud, 'operate'],
  'notification-policy': crud,
  'preheat-policy': crud,
  quota: ['read'],
  log: ['list'],
  robot: ['create', 'read', 'list', 'delete'],
  'export-cve': ['create', 'read'],
  member: crud,
};

export const systemScopePermissions: Record<string, readonly string[]> = {
  'audit-log': ['list'],
  project: ['list', 'create'],
  registry: crud,
  replication: ['read', 'create', 'list'],
  'replication-policy': crud,
  'replication-adapter': ['list'],
  'scan-all': ['create', 'read', 'update', 'stop', 'list'],
  scanner: crud,
  label: crud,
  'security-hub': ['read', 'list'],
  catalog: ['read'],
  quota: ['read', 'update', 'list'],
  'garbage-collection': ['create', 'read', 'update', 'stop', 'list'],
  'purge-audit': ['create', 'read', 'update', 'stop', 'list'],
  'jobservice-monitor': ['list', 'stop'],
  'preheat-instance': crud,
  robot: crud,
  user: crud,
  'ldap-user': ['create', 'list'],
  'user-group': crud,
  'export-cve': ['create', 'read'],
};

export function isGrantable(kind: 'project' | 'system', resource: string, action: string): boolean {
  const catalog = kind === 'project' ? projectScopePermissions : systemScopePermissions;
  return catalog[resource]?.includes(action) ?? false;
}
