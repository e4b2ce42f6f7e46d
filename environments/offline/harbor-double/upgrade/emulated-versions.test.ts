import { MINIMAL_CONFIG_ENV } from '../testing/minimal-config-env.ts';
import { expect, test } from 'vitest';
import { ConfigError, loadConfig } from '../config.ts';
import { migrations } from '../migrations.ts';
import { hasEndpointCaCertificates, lastMigrationOf, V2_15_FIRST_MIGRATION } from './emulated-versions.ts';

const env = MINIMAL_CONFIG_ENV;

test('HARBOR_DOUBLE_HARBOR_VERSION picks the release: its systeminfo version, v2.15.3 unless set', () => {
  expect(loadConfig(env).harborVersion).toBe('v2.15.3');
  const older = loadConfig({ ...env, HARBOR_DOUBLE_HARBOR_VERSION: 'v2.14.4', HARBOR_DOUBLE_VERSION_LABEL: 'x1' });
  expect([older.harborVersion, older.versionLabel]).toEqual(['v2.14.4', 'v2.14.4-double-x1']);
  expect(() => loadConfig({ ...env, HARBOR_DOUBLE_HARBOR_VERSION: 'v2.13.0' })).toThrow(ConfigError);
});

test('v2.14.4 has every migration below the v2.15 step and no per-endpoint CA; v2.15.3 has them all', () => {
  const of = (v: 'v2.14.4' | 'v2.15.3') =>
    migrations.filter((m) => m.version <= lastMigrationOf(v)).map((m) => m.version);
  expect(of('v2.14.4').every((v) => v < V2_15_FIRST_MIGRATION)).toBe(true);
  expect(of('v2.15.3')).toEqual(migrations.map((m) => m.version));
  expect(of('v2.15.3').filter((v) => v >= V2_15_FIRST_MIGRATION).length).toBeGreaterThan(0);
  expect([hasEndpointCaCertificates('v2.14.4'), hasEndpointCaCertificates('v2.15.3')]).toEqual([false, true]);
});
