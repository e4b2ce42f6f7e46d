// The chain's robot rules with an in-memory database: expired and disabled robots become anonymous,
// unless the expired-robot-accepted fault profile is on.
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import type { DoubleServices } from '../double-services.ts';
import { hashSecret } from '../passwords.ts';
import { tokenKeysFromPem } from '../token/token-keys.ts';
import { parseBasicAuth, resolveSecurityContext } from './resolve-security-context.ts';
import { FROZEN_MS, LoginLock } from './login-lock.ts';

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const keys = tokenKeysFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());

function fakeClock() {
  let now = 5_000_000;
  const slept: number[] = [];
  return {
    lock: new LoginLock({ now: () => now, sleep: async (ms) => void slept.push(ms) }),
    advance: (ms: number) => (now += ms),
    slept,
  };
}

function servicesWith(
  robot: { expires_at: number; disabled: boolean },
  faults: string[] = [],
  loginLock = fakeClock().lock,
): DoubleServices {
  const row = {
    id: 1,
    name: 'p1+ci',
    project_id: 1,
    level: 'project',
    salt: 's',
    secret_hash: hashSecret('Secret123', 's'),
    permissions: [],
    ...robot,
  };
  const admin = {
    user_id: 1,
    username: 'admin',
    salt: 'a',
    password_hash: hashSecret('Admin-Pw-1', 'a'),
    sysadmin_flag: true,
  };
  const db = {
    query: async (sql: string, params: unknown[] = []) => {
      if (sql.includes('FROM robot')) return { rows: [row], rowCount: 1 };
      if (sql.includes('FROM harbor_user') && params[0] === 'admin') return { rows: [admin], rowCount: 1 };
      return { rows: [], rowCount: 0 };
    },
  };
  return {
    loginLock,
    db,
    tokenKeys: keys,
    faults: new Set(faults),
    systemConfig: { get: async () => 'robot$' },
    config: { coreSecret: '', jobserviceSecret: '' },
  } as unknown as DoubleServices;
}

const auth = (user: string, password: string) => 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');
const now = Math.floor(Date.now() / 1000);

describe('robot generator', () => {
  test('a valid robot authenticates', async () => {
    const ctx = await resolveSecurityContext(servicesWith({ expires_at: now + 3600, disabled: false }), {
      path: '/api/v2.0/projects',
      authorization: auth('robot$p1+ci', 'Secret123'),
    });
    expect(ctx).toMatchObject({ kind: 'robot', robot: { name: 'robot$p1+ci' } });
  });
  test('wrong secret, disabled and expired robots fall through to anonymous', async () => {
    const valid = servicesWith({ expires_at: -1, disabled: false });
    expect((await resolveSecurityContext(valid, { path: '/', authorization: auth('robot$p1+ci', 'nope') })).kind).toBe(
      'anonymous',
    );
    const disabled = servicesWith({ expires_at: -1, disabled: true });
    expect(
      (await resolveSecurityContext(disabled, { path: '/', authorization: auth('robot$p1+ci', 'Secret123') })).kind,
    ).toBe('anonymous');
    const expired = servicesWith({ expires_at: now - 1, disabled: false });
    expect(
      (await resolveSecurityContext(expired, { path: '/', authorization: auth('robot$p1+ci', 'Secret123') })).kind,
    ).toBe('anonymous');
  });
  test('the expired-robot-accepted fault lets an expired robot in', async () => {
    const expired = servicesWith({ expires_at: now - 1, disabled: false }, ['expired-robot-accepted']);
    expect(
      (await resolveSecurityContext(expired, { path: '/', authorization: auth('robot$p1+ci', 'Secret123') })).kind,
    ).toBe('robot');
  });
  test('the disabled-robot-accepted fault lets a disabled robot in', async () => {
    const disabled = servicesWith({ expires_at: -1, disabled: true }, ['disabled-robot-accepted']);
    expect(
      (await resolveSecurityContext(disabled, { path: '/', authorization: auth('robot$p1+ci', 'Secret123') })).kind,
    ).toBe('robot');
  });
  test('Harbor12345 is the admin password only under the default-admin-password fault', async () => {
    const header = { path: '/api/v2.0/users/current', authorization: auth('admin', 'Harbor12345') };
    expect((await resolveSecurityContext(servicesWith({ expires_at: -1, disabled: false }), header)).kind).toBe(
      'anonymous',
    );
    const faulty = servicesWith({ expires_at: -1, disabled: false }, ['default-admin-password']);
    expect(await resolveSecurityContext(faulty, header)).toEqual({
      kind: 'local',
      user: { userId: 1, username: 'admin', sysadmin: true },
    });
  });
  test('bearer tokens only count on /v2', async () => {
    const services = servicesWith({ expires_at: -1, disabled: false });
    const { issueRegistryToken } = await import('../token/registry-token.ts');
    const { token } = await issueRegistryToken(
      keys,
      'admin',
      [{ type: 'repository', name: 'p1/a', actions: ['pull'] }],
      30,
    );
    expect(
      (await resolveSecurityContext(services, { path: '/v2/p1/a/tags/list', authorization: `Bearer ${token}` })).kind,
    ).toBe('v2token');
    expect(
      (await resolveSecurityContext(services, { path: '/api/v2.0/projects', authorization: `Bearer ${token}` })).kind,
    ).toBe('anonymous');
    expect(
      (await resolveSecurityContext(services, { path: '/v2/p1/a/tags/list', authorization: `Bearer ${token}x` })).kind,
    ).toBe('anonymous');
  });
  test('basic auth parsing keeps colons in the password', () => {
    expect(parseBasicAuth(auth('u', 'a:b'))).toEqual({ username: 'u', password: 'a:b' });
    expect(parseBasicAuth('Bearer x')).toBeUndefined();
  });
});

describe("Harbor's login lock (src/core/auth/authenticator.go@v2.15.x, seen on the real v2.15.2 binaries)", () => {
  test('a wrong password costs 1.5 s and locks the user: the right password fails until the lock is over', async () => {
    const clock = fakeClock();
    const services = servicesWith({ expires_at: -1, disabled: false }, [], clock.lock);
    const request = (password: string) =>
      resolveSecurityContext(services, { path: '/api/v2.0/users/current', authorization: auth('admin', password) });
    expect((await request('Admin-Pw-1')).kind).toBe('local');
    expect((await request('wrong')).kind).toBe('anonymous');
    expect(clock.slept).toEqual([FROZEN_MS]);
    clock.advance(FROZEN_MS);
    expect((await request('Admin-Pw-1')).kind, 'locked, right password or not').toBe('anonymous');
    expect(clock.slept, 'a locked login fails at once').toEqual([FROZEN_MS]);
    clock.advance(1);
    expect((await request('Admin-Pw-1')).kind).toBe('local');
  });

  test('a failed robot locks its robot$ name; a valid robot is still let in by the robot generator, which never looks at the lock', async () => {
    const clock = fakeClock();
    const services = servicesWith({ expires_at: -1, disabled: false }, [], clock.lock);
    expect(
      (await resolveSecurityContext(services, { path: '/', authorization: auth('robot$p1+ci', 'nope') })).kind,
    ).toBe('anonymous');
    expect(clock.slept).toEqual([FROZEN_MS]);
    expect(
      (await resolveSecurityContext(services, { path: '/', authorization: auth('robot$p1+ci', 'Secret123') })).kind,
    ).toBe('robot');
  });
});
