import { describe, expect, test } from 'vitest';
import { harborAdvisories } from './harbor-advisories.ts';
import { advisoryStatus, parseHarborVersion } from './harbor-version.ts';

const userAgent = harborAdvisories.find((a) => a.ghsa === 'GHSA-wrw5-gmvj-gf23')!;
const v = (s: string) => parseHarborVersion(s)!;

describe('parseHarborVersion', () => {
  test('drops the build suffix, keeps release candidates', () => {
    expect(parseHarborVersion('v2.15.3-6b5d1e2f')).toEqual({
      reported: 'v2.15.3-6b5d1e2f',
      version: '2.15.3',
      line: '2.15',
    });
    expect(parseHarborVersion('v2.15.3-double')?.version).toBe('2.15.3');
    expect(parseHarborVersion('v2.15.0-rc1-abc12345')?.version).toBe('2.15.0-rc1');
    expect(parseHarborVersion('dev')).toBeUndefined();
  });
});

describe('advisoryStatus', () => {
  test('the User-Agent exemption: affected on 2.15.2 (upgrade to 2.15.3), fixed on 2.15.3, 2.14.5, 2.13.6', () => {
    expect(advisoryStatus(userAgent, v('v2.15.2-080b0220'))).toEqual({ kind: 'affected', upgradeTo: '2.15.3' });
    expect(advisoryStatus(userAgent, v('v2.15.0-rc1'))).toEqual({ kind: 'affected', upgradeTo: '2.15.3' });
    expect(advisoryStatus(userAgent, v('v2.14.4'))).toEqual({ kind: 'affected', upgradeTo: '2.14.5' });
    expect(advisoryStatus(userAgent, v('v2.15.3-double'))).toEqual({ kind: 'fixed', fixedIn: '2.15.3' });
    expect(advisoryStatus(userAgent, v('v2.14.5'))).toEqual({ kind: 'fixed', fixedIn: '2.14.5' });
    expect(advisoryStatus(userAgent, v('v2.13.6'))).toEqual({ kind: 'fixed', fixedIn: '2.13.6' });
  });

  test('an advisory of older lines does not apply to 2.15; a line with no fix of its own names the next fix', () => {
    const catalog = harborAdvisories.find((a) => a.ghsa === 'GHSA-38r5-34mr-mvm7')!;
    expect(advisoryStatus(catalog, v('v2.15.3')).kind).toBe('not-applicable');
    expect(advisoryStatus(catalog, v('v2.0.4'))).toEqual({ kind: 'affected', upgradeTo: '2.0.5' });
    const retention = harborAdvisories.find((a) => a.ghsa === 'GHSA-3637-v6vq-xqqw')!;
    expect(advisoryStatus(retention, v('v2.5.1'))).toEqual({ kind: 'affected', upgradeTo: '2.5.2' });
    expect(advisoryStatus(retention, v('v2.5.2'))).toEqual({ kind: 'fixed', fixedIn: '2.5.2' });
  });

  test('an advisory without a fix is reported as such', () => {
    const defaultPassword = harborAdvisories.find((a) => a.ghsa === 'GHSA-hj7x-hmf2-hc2p')!;
    expect(advisoryStatus(defaultPassword, v('v2.15.3'))).toEqual({ kind: 'no-fix' });
  });
});

test('the advisory data is well formed: unique ids, valid semver ranges and versions', async () => {
  const semver = (await import('semver')).default;
  const ids = new Set<string>();
  for (const a of harborAdvisories) {
    expect(ids.has(a.checkId), a.checkId).toBe(false);
    ids.add(a.checkId);
    expect(a.ghsa).toMatch(/^GHSA(-[23456789cfghjmpqrvwx]{4}){3}$/);
    for (const range of a.affected) expect(semver.validRange(range), `${a.ghsa} ${range}`).not.toBeNull();
    for (const fixed of a.fixed) expect(semver.valid(fixed), `${a.ghsa} ${fixed}`).not.toBeNull();
    expect(a.source).toMatch(/^https:\/\/github\.com\//);
  }
});
