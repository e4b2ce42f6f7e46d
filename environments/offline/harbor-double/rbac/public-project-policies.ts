// What everybody, anonymous included, may do in a public project (goharbor/harbor src/server/middleware/security/security.go@v2.15.x,
// Harbor's src/common/rbac/project/rbac_util.go).
const publicPolicies: ReadonlyArray<readonly [string, string]> = [
  ['project', 'read'],
  ['label', 'read'],
  ['label', 'list'],
  ['repository', 'list'],
  ['repository', 'pull'],
  ['scan', 'read'],
  ['scanner', 'read'],
  ['tag', 'list'],
  ['artifact', 'read'],
  ['artifact', 'list'],
  ['artifact-addition', 'read'],
  ['accessory', 'list'],
];

export function publicProjectAllows(resource: string, action: string): boolean {
  return publicPolicies.some(([r, a]) => r === resource && a === action);
}
