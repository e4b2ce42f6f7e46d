// The project roles' policies, read from goharbor/harbor src/common/rbac/project/rbac_role.go@v2.15.2
// (rolePoliciesMap). `project` is Harbor's ResourceSelf (""). Role ids: src/common/const.go.
const expand = (table: Record<string, string>): ReadonlySet<string> =>
  new Set(
    Object.entries(table).flatMap(([resource, actions]) => actions.split(' ').map((action) => `${resource}:${action}`)),
  );

const guest = {
  project: 'read',
  member: 'read list',
  label: 'read list',
  quota: 'read',
  repository: 'read list pull',
  configuration: 'read',
  robot: 'read list',
  scan: 'read',
  sbom: 'read',
  scanner: 'read',
  tag: 'list',
  accessory: 'list',
  artifact: 'read list',
  'artifact-addition': 'read',
};
const limitedGuest = {
  project: 'read',
  quota: 'read',
  repository: 'list read pull',
  configuration: 'read',
  scan: 'read',
  sbom: 'read',
  scanner: 'read',
  tag: 'list',
  accessory: 'list',
  artifact: 'read list',
  'artifact-addition': 'read',
};
const developer = {
  project: 'read',
  member: 'read list',
  label: 'read list',
  quota: 'read',
  repository: 'create read update list push pull',
  'tag-retention': 'create read update delete list operate',
  configuration: 'read',
  robot: 'read list',
  scan: 'read',
  sbom: 'read',
  scanner: 'read',
  artifact: 'create read list',
  'artifact-addition': 'read',
  tag: 'list create',
  accessory: 'list',
  'artifact-label': 'create delete',
  'export-cve': 'create read list',
};
const maintainer = {
  project: 'read',
  member: 'read list',
  metadata: 'read',
  quota: 'read',
  label: 'create read update delete list',
  repository: 'create read update delete list push pull',
  'tag-retention': 'create read update delete list operate',
  accessory: 'list',
  'immutable-tag': 'create update delete list',
  configuration: 'read',
  robot: 'read list',
  'notification-policy': 'read list',
  scan: 'create read stop',
  sbom: 'create stop read',
  scanner: 'read',
  artifact: 'create read delete list',
  'artifact-addition': 'read',
  tag: 'list create delete',
  'artifact-label': 'create delete',
  'export-cve': 'create read list',
};
const projectAdmin = {
  project: 'read update delete',
  member: 'create read update delete list',
  metadata: 'create read update delete',
  log: 'list',
  label: 'create read update delete list',
  quota: 'read',
  repository: 'create read update delete list pull push',
  'tag-retention': 'create read update delete list operate',
  'immutable-tag': 'create update delete list',
  configuration: 'read update',
  robot: 'create read update delete list',
  'notification-policy': 'create update delete list read',
  scan: 'create read stop',
  sbom: 'create stop read',
  scanner: 'read create',
  artifact: 'create read delete list',
  'artifact-addition': 'read',
  tag: 'list create delete',
  accessory: 'list',
  'artifact-label': 'create delete',
  'preheat-policy': 'create read update delete list',
  'export-cve': 'create read list',
};

/** By Harbor role id: 1 projectAdmin, 2 developer, 3 guest, 4 maintainer, 5 limitedGuest. */
export const rolePoliciesById: Record<number, ReadonlySet<string>> = {
  1: expand(projectAdmin),
  2: expand(developer),
  3: expand(guest),
  4: expand(maintainer),
  5: expand(limitedGuest),
};

/** GetPoliciesOfProject (rbac_util.go): every policy of any role, what /users/current/permissions walks. */
export const projectNamespacePolicies: readonly string[] = [
  ...new Set(Object.values(rolePoliciesById).flatMap((set) => [...set])),
];

/** src/common/rbac/system/policies.go@v2.15.2. */
export const systemNamespacePolicies: readonly string[] = [
  ...expand({
    catalog: 'read',
    'audit-log': 'list',
    project: 'create read update delete list',
    user: 'create read update delete list',
    'user-group': 'create read update delete list',
    registry: 'create read update delete list',
    replication: 'create read update list delete',
    distribution: 'create read update delete list',
    'garbage-collection': 'create read update delete list',
    'scan-all': 'create read update delete list stop',
    'system-volumes': 'read',
    'ldap-user': 'create list',
    configuration: 'read update',
    'jobservice-monitor': 'read list stop',
    'security-hub': 'read list',
  }),
];
