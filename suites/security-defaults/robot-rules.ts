// The robot-account rules of the policy, as pure functions over GET /api/v2.0/robots models.
// Each violation is one line: "<robot name>: <what is wrong>".
import type { Robot } from '../../lib/harbor-api-types.ts';
import type { SecurityPolicy } from '../../policies/security-policy.ts';

type RobotRules = SecurityPolicy['robots'];

export function robotExpiryViolations(
  robots: readonly Robot[],
  rules: RobotRules,
  nowSeconds = Math.floor(Date.now() / 1000),
): string[] {
  const violations: string[] = [];
  for (const robot of robots) {
    if (robot.disable) continue; // a disabled robot cannot authenticate (goharbor/harbor src/server/middleware/security/robot.go@v2.15.x)
    const neverExpires = robot.duration === -1 || robot.expires_at === -1;
    if (neverExpires) {
      if (!rules.allowNeverExpiring) violations.push(`${robot.name}: never expires (duration -1)`);
      continue;
    }
    if (robot.expires_at !== undefined && robot.expires_at <= nowSeconds) continue; // already expired: refused
    if (rules.maxDurationDays !== null && robot.duration > rules.maxDurationDays) {
      violations.push(`${robot.name}: lives ${robot.duration} days (policy: at most ${rules.maxDurationDays})`);
    }
  }
  return violations;
}

export function robotPrivilegeViolations(robots: readonly Robot[], rules: RobotRules): string[] {
  const forbidden = new Set(rules.forbiddenSystemPermissions);
  const violations: string[] = [];
  for (const robot of robots) {
    if (robot.disable) continue;
    if (robot.level === 'system' && !rules.allowSystemLevel) violations.push(`${robot.name}: system-level robot`);
    for (const permission of robot.permissions ?? []) {
      if (permission.kind === 'project' && permission.namespace === '*' && !rules.allowAllProjects) {
        violations.push(`${robot.name}: covers every project (namespace "*")`);
      }
      if (permission.kind !== 'system') continue;
      const held = permission.access.map((a) => `${a.resource}:${a.action}`).filter((p) => forbidden.has(p));
      if (held.length > 0) violations.push(`${robot.name}: administrative system permissions ${held.join(', ')}`);
    }
  }
  return violations;
}
