import { MINIMAL_CONFIG_ENV } from '../testing/minimal-config-env.ts';
import { expect, test } from 'vitest';
import { loadConfig } from '../config.ts';
import { faultProfiles } from './fault-profiles.ts';
import { PREVIOUS_PATCH_PROFILE, unfixed } from './previous-patch.ts';
import { reportedVersion } from './reported-release.ts';

const env = MINIMAL_CONFIG_ENV;

test('the double reports the current patch v2.15.3; the previous-patch and release profiles report theirs', () => {
  const label = loadConfig(env).versionLabel;
  expect(label).toBe('v2.15.3-double');
  expect(reportedVersion(label, new Set(['scan-on-push-skipped', PREVIOUS_PATCH_PROFILE]))).toBe('v2.15.2-double');
  expect(reportedVersion(label, new Set(['unpatched-release-v2.10.0']))).toBe('v2.10.0-double');
  const labelled = loadConfig({ ...env, HARBOR_DOUBLE_VERSION_LABEL: 'x1' }).versionLabel;
  expect(reportedVersion(labelled, new Set(['GHSA-wrw5-gmvj-gf23']))).toBe('v2.15.3-double-x1');
  expect(reportedVersion(labelled, new Set([PREVIOUS_PATCH_PROFILE]))).toBe('v2.15.2-double-x1');
});

test('an advisory is unfixed under its own profile or the previous patch, and each GHSA profile is declared', () => {
  expect(unfixed(new Set(['GHSA-wrw5-gmvj-gf23']), 'GHSA-wrw5-gmvj-gf23')).toBe(true);
  expect(unfixed(new Set([PREVIOUS_PATCH_PROFILE]), 'GHSA-qj39-pjf2-wmrc')).toBe(true);
  expect(unfixed(new Set(['GHSA-wrw5-gmvj-gf23']), 'GHSA-qj39-pjf2-wmrc')).toBe(false);
  const names = faultProfiles.map((p) => p.name);
  expect(names).toEqual(expect.arrayContaining(['GHSA-wrw5-gmvj-gf23', 'GHSA-qj39-pjf2-wmrc', PREVIOUS_PATCH_PROFILE]));
});

test('CONTENT_TRUST_LEGACY_SIGNER_PULL_ENABLED counts only when exactly "true"', () => {
  expect(loadConfig({ ...env, CONTENT_TRUST_LEGACY_SIGNER_PULL_ENABLED: 'true' }).legacySignerPull).toBe(true);
  expect(loadConfig({ ...env, CONTENT_TRUST_LEGACY_SIGNER_PULL_ENABLED: 'TRUE' }).legacySignerPull).toBe(false);
});
