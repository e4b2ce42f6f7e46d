// Validation of robot create/update bodies (goharbor/harbor src/server/v2.0/handler/robot.go@v2.15.x), pure so it can be unit tested.
import { badRequest } from '../harbor-error.ts';
import { isGrantable } from '../rbac/robot-permission-catalog.ts';
import type { RobotPermission } from '../security/security-context.ts';

const MAX_DURATION_DAYS = 2_147_483_646;

export function validateDuration(duration: unknown): number {
  if (
    typeof duration === 'number' &&
    Number.isInteger(duration) &&
    (duration === -1 || (duration >= 1 && duration <= MAX_DURATION_DAYS))
  ) {
    return duration;
  }
  throw badRequest(
    `bad request error duration input: ${String(duration ?? 0)}, duration must be either -1(Never) or a positive integer`,
  );
}

export function validateLevel(level: unknown): 'system' | 'project' {
  if (level === 'system' || level === 'project') return level;
  throw badRequest(`bad request error level input: ${String(level ?? '')}`);
}

/** `anyAccess` skips the grantable-permission list (the robot-permission-unvalidated fault profile). */
export function validatePermissions(
  level: 'system' | 'project',
  raw: unknown,
  options: { anyAccess?: boolean } = {},
): RobotPermission[] {
  if (!Array.isArray(raw) || raw.length === 0) throw badRequest('bad request empty permission');
  if (level === 'project' && raw.length > 1) throw badRequest('bad request permission');
  return raw.map((entry: unknown) => {
    const perm = (entry ?? {}) as { kind?: unknown; namespace?: unknown; access?: unknown };
    if (perm.kind !== 'system' && perm.kind !== 'project')
      throw badRequest(`bad request permission level: ${String(perm.kind ?? '')}`);
    if (level === 'project' && perm.kind !== 'project') throw badRequest(`bad request permission level: ${perm.kind}`);
    if (!Array.isArray(perm.access) || perm.access.length === 0) throw badRequest('bad request empty access');
    const namespace = typeof perm.namespace === 'string' ? perm.namespace : '';
    if (perm.kind === 'system' && namespace !== '/') throw badRequest('unknown namespace');
    if (perm.kind === 'project' && namespace === '') throw badRequest('unknown namespace');
    const access = perm.access.map((a: unknown) => {
      const item = (a ?? {}) as { resource?: unknown; action?: unknown; effect?: unknown };
      const resource = String(item.resource ?? '');
      const action = String(item.action ?? '');
      if (!options.anyAccess && !isGrantable(perm.kind as 'system' | 'project', resource, action))
        throw badRequest(`bad request permission: ${resource}:${action}`);
      return typeof item.effect === 'string' && item.effect !== ''
        ? { resource, action, effect: item.effect }
        : { resource, action };
    });
    return { kind: perm.kind, namespace, access };
  });
}

/** expires_at as unix seconds from a base time and a duration in days (-1 = never). */
export function expiresAt(base: Date, durationDays: number): number {
  if (durationDays === -1) return -1;
  return Math.floor(base.getTime() / 1000) + durationDays * 86_400;
}

/** Whether every access of `requested` is covered by the creator robot's own permissions. */
export function withinCreatorScope(creator: RobotPermission[], requested: RobotPermission[]): boolean {
  return requested.every((perm) =>
    perm.access.every((a) =>
      creator.some(
        (c) =>
          c.kind === perm.kind &&
          (c.namespace === perm.namespace || (c.kind === 'project' && c.namespace === '*')) &&
          c.access.some((ca) => ca.resource === a.resource && ca.action === a.action),
      ),
    ),
  );
}
