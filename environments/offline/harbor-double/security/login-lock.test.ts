import { describe, expect, test } from 'vitest';
import { FROZEN_MS, LoginLock } from './login-lock.ts';

function clock() {
  let now = 1_000_000;
  const slept: number[] = [];
  return {
    deps: { now: () => now, sleep: async (ms: number) => void slept.push(ms) },
    advance: (ms: number) => (now += ms),
    slept,
  };
}

describe('LoginLock (Harbor: 1.5 s per failed login)', () => {
  test('a failure sleeps 1.5 s and locks only that principal for 1.5 s', async () => {
    const c = clock();
    const lock = new LoginLock(c.deps);
    expect(lock.isLocked('admin')).toBe(false);
    await lock.failed('admin');
    expect(c.slept).toEqual([FROZEN_MS]);
    expect(lock.isLocked('admin')).toBe(true);
    expect(lock.isLocked('alice')).toBe(false);
    c.advance(FROZEN_MS);
    expect(lock.isLocked('admin'), 'Harbor compares with <=').toBe(true);
    c.advance(1);
    expect(lock.isLocked('admin')).toBe(false);
  });
});
