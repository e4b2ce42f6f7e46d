// The entry point refuses bad configuration with one line per problem and exit code 2.
import { MINIMAL_CONFIG_ENV } from './testing/minimal-config-env.ts';
import { execa } from 'execa';
import { describe, expect, test } from 'vitest';
import { faultProfiles } from './faults/fault-profiles.ts';

const main = new URL('./main.ts', import.meta.url).pathname;

const validEnv = { ...MINIMAL_CONFIG_ENV, PORT: '0' };

async function run(env: Record<string, string>) {
  return execa(process.execPath, [main], {
    env: { PATH: process.env.PATH ?? '', ...env },
    extendEnv: false,
    reject: false,
    timeout: 150_000,
  });
}

describe('main.ts configuration errors', () => {
  test('missing variables are named one per line', async () => {
    const result = await run({});
    expect(result.exitCode).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        'harbor-double: missing environment variable EXT_ENDPOINT',
        'harbor-double: missing environment variable HARBOR_ADMIN_PASSWORD',
      ]),
    );
    expect(lines.every((line) => line.startsWith('harbor-double: '))).toBe(true);
  });

  test('an unknown fault profile is one line naming the known ones', async () => {
    const result = await run({ ...validEnv, HARBOR_DOUBLE_FAULT_PROFILE: 'no-such-defect' });
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trim()).toBe(
      `harbor-double: unknown HARBOR_DOUBLE_FAULT_PROFILE "no-such-defect"; known profiles: ${faultProfiles.map((p) => p.name).join(', ')}`,
    );
  });

  test('an unreadable token key is one line', async () => {
    const result = await run(validEnv);
    expect(result.exitCode).toBe(1);
    expect(result.stderr.trim()).toBe(
      'harbor-double: failed to start: cannot read TOKEN_PRIVATE_KEY_PATH /nonexistent/key.pem: ENOENT',
    );
  });
});
