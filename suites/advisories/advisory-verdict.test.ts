import { expect, test } from 'vitest';
import { harborAdvisories } from './harbor-advisories.ts';
import { advisoryStatus, parseHarborVersion } from './harbor-version.ts';
import { advisoryVerdict } from './advisory-verdict.ts';

const ua = harborAdvisories.find((a) => a.ghsa === 'GHSA-wrw5-gmvj-gf23')!;
const verdictAt = (reported: string, probe?: Parameters<typeof advisoryVerdict>[3]) =>
  advisoryVerdict(ua, reported, advisoryStatus(ua, parseHarborVersion(reported)!), probe);

test('an unfixed version fails with the release to upgrade to; a fixed one passes', () => {
  const failed = verdictAt('v2.15.2-080b0220');
  expect(failed.verdict).toBe('failed');
  expect(failed.verdict === 'failed' && failed.message).toContain('upgrade to 2.15.3');
  expect(verdictAt('v2.15.3-double', { kind: 'not-exposed', observed: 'cosign: 412' }).verdict).toBe('passed');
});

test('a probe that contradicts the version is reported as such', () => {
  const mislabelled = verdictAt('v2.15.3', { kind: 'exposed', observed: 'cosign: 200' });
  expect(mislabelled.verdict).toBe('failed');
  expect(mislabelled.verdict === 'failed' && mislabelled.message).toContain('CONTRADICTS');
  const patched = verdictAt('v2.15.2', { kind: 'not-exposed', observed: 'cosign: 412' });
  expect(patched.verdict === 'failed' && patched.message).toContain('did NOT show the exposure');
});

test('no fix shipped: the probe decides, and without one the verdict is warn', () => {
  const password = harborAdvisories.find((a) => a.ghsa === 'GHSA-hj7x-hmf2-hc2p')!;
  const status = advisoryStatus(password, parseHarborVersion('v2.15.3')!);
  expect(advisoryVerdict(password, 'v2.15.3', status, { kind: 'exposed', observed: '200' }).verdict).toBe('failed');
  expect(advisoryVerdict(password, 'v2.15.3', status, { kind: 'not-exposed', observed: '401' }).verdict).toBe('passed');
  expect(advisoryVerdict(password, 'v2.15.3', status, { kind: 'inconclusive', why: '500' }).verdict).toBe('warn');
});

test('an advisory of another line is skipped with the reason', () => {
  const catalogLeak = harborAdvisories.find((a) => a.ghsa === 'GHSA-38r5-34mr-mvm7')!;
  const v = advisoryVerdict(
    catalogLeak,
    'v2.15.3',
    advisoryStatus(catalogLeak, parseHarborVersion('v2.15.3')!),
    undefined,
  );
  expect(v).toEqual({ verdict: 'skipped', reason: expect.stringContaining('does not apply to Harbor v2.15.3') });
});
