import { describe, expect, test } from 'vitest';
import { HarborError } from '../harbor-error.ts';
import {
  expiresAt,
  validateDuration,
  validateLevel,
  validatePermissions,
  withinCreatorScope,
} from './robot-permissions.ts';

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(HarborError);
    return (error as HarborError).message;
  }
  throw new Error('expected a HarborError');
}

describe('duration', () => {
  test('-1 and positive days pass, 0 and omitted fail', () => {
    expect(validateDuration(-1)).toBe(-1);
    expect(validateDuration(30)).toBe(30);
    expect(message(() => validateDuration(0))).toBe(
      'bad request error duration input: 0, duration must be either -1(Never) or a positive integer',
    );
    expect(message(() => validateDuration(undefined))).toMatch(/duration input: 0/);
    expect(message(() => validateDuration(-2))).toMatch(/duration input: -2/);
  });
  test('expires_at is base + days, or -1', () => {
    const base = new Date('2026-01-01T00:00:00Z');
    expect(expiresAt(base, 1)).toBe(Date.parse('2026-01-02T00:00:00Z') / 1000);
    expect(expiresAt(base, -1)).toBe(-1);
  });
});

describe('level', () => {
  test('system or project only', () => {
    expect(validateLevel('system')).toBe('system');
    expect(message(() => validateLevel('global'))).toBe('bad request error level input: global');
  });
});

describe('permissions', () => {
  const pull = { resource: 'repository', action: 'pull' };
  test('a project robot with repository pull/push', () => {
    expect(
      validatePermissions('project', [
        { kind: 'project', namespace: 'p1', access: [pull, { resource: 'repository', action: 'push' }] },
      ]),
    ).toEqual([{ kind: 'project', namespace: 'p1', access: [pull, { resource: 'repository', action: 'push' }] }]);
  });
  test('Harbor messages for each rule', () => {
    expect(message(() => validatePermissions('project', []))).toBe('bad request empty permission');
    expect(
      message(() =>
        validatePermissions('project', [
          { kind: 'project', namespace: 'a', access: [pull] },
          { kind: 'project', namespace: 'b', access: [pull] },
        ]),
      ),
    ).toBe('bad request permission');
    expect(message(() => validatePermissions('system', [{ kind: 'team', namespace: 'a', access: [pull] }]))).toBe(
      'bad request permission level: team',
    );
    expect(message(() => validatePermissions('system', [{ kind: 'project', namespace: 'a', access: [] }]))).toBe(
      'bad request empty access',
    );
    expect(
      message(() =>
        validatePermissions('system', [
          { kind: 'system', namespace: 'x', access: [{ resource: 'catalog', action: 'read' }] },
        ]),
      ),
    ).toBe('unknown namespace');
    expect(
      message(() =>
        validatePermissions('project', [
          { kind: 'project', namespace: 'p', access: [{ resource: 'repository', action: 'scanner-pull' }] },
        ]),
      ),
    ).toBe('bad request permission: repository:scanner-pull');
    expect(
      message(() =>
        validatePermissions('system', [
          { kind: 'system', namespace: '/', access: [{ resource: 'configuration', action: 'read' }] },
        ]),
      ),
    ).toBe('bad request permission: configuration:read');
  });
  test('the robot-permission-unvalidated fault lets any access through', () => {
    const perms = validatePermissions(
      'system',
      [{ kind: 'system', namespace: '/', access: [{ resource: 'configuration', action: 'read' }] }],
      { anyAccess: true },
    );
    expect(perms).toEqual([
      { kind: 'system', namespace: '/', access: [{ resource: 'configuration', action: 'read' }] },
    ]);
  });
  test('system robots may hold catalog read and all-project access', () => {
    const perms = validatePermissions('system', [
      { kind: 'system', namespace: '/', access: [{ resource: 'catalog', action: 'read' }] },
      { kind: 'project', namespace: '*', access: [pull] },
    ]);
    expect(perms).toHaveLength(2);
  });
});

describe('creator scope', () => {
  const creator = [{ kind: 'project' as const, namespace: '*', access: [{ resource: 'repository', action: 'pull' }] }];
  test('equal or narrower passes, wider fails', () => {
    expect(
      withinCreatorScope(creator, [
        { kind: 'project', namespace: 'p1', access: [{ resource: 'repository', action: 'pull' }] },
      ]),
    ).toBe(true);
    expect(
      withinCreatorScope(creator, [
        { kind: 'project', namespace: 'p1', access: [{ resource: 'repository', action: 'push' }] },
      ]),
    ).toBe(false);
  });
});
