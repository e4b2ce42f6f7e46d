// The catalog as the selftest and the reports rely on it: every check names a remediation and the fault
// profiles it must catch, and every fault profile of the double is claimed by at least one check.
import { describe, expect, it } from 'vitest';
import { faultProfiles } from '../environments/offline/harbor-double/faults/fault-profiles.ts';
import { UPGRADE_STEP_PROFILES } from '../environments/offline/harbor-double/upgrade/upgrade-step.ts';
import { loadCatalog } from './catalog.ts';
import { defineCatalog, type CheckEntry } from './check-definition.ts';

const checks = (await loadCatalog()).flatMap((suite) => suite.checks);

describe('the check catalog', () => {
  it('gives every check a remediation and at least one fault profile that must catch it', () => {
    expect(
      checks.filter((c) => c.caughtBy.length === 0).map((c) => c.id),
      'checks without a profile',
    ).toEqual([]);
    expect(
      checks.filter((c) => c.remediation.trim().length < 20).map((c) => c.id),
      'checks without a remediation',
    ).toEqual([]);
    const known = new Set<string>(faultProfiles.map((p) => p.name));
    expect(checks.flatMap((c) => c.caughtBy.filter((p) => !known.has(p)).map((p) => `${c.id}: ${p}`))).toEqual([]);
  });

  it('has every fault profile of the double claimed by a check (or by the pre-upgrade gate)', () => {
    const claimed = new Set<string>([...checks.flatMap((c) => c.caughtBy), ...UPGRADE_STEP_PROFILES]);
    expect(
      faultProfiles.map((p) => p.name).filter((name) => !claimed.has(name)),
      'profiles no check declares',
    ).toEqual([]);
  });

  it('fills the run expectations in: 120 s and no warn unless the catalog says otherwise', () => {
    const entry: CheckEntry = {
      id: 'X-001',
      title: 't',
      controls: ['c'],
      mutating: false,
      remediation: 'Do the thing the operator must do.',
      caughtBy: ['default-admin-password'],
    };
    expect(defineCatalog('x', { a: entry }).a).toMatchObject({ suite: 'x', expectWarn: false, timeoutMs: 120_000 });
    expect(() => defineCatalog('x', { a: { ...entry, caughtBy: [] } })).toThrow(/names no fault profile/);
    expect(() => defineCatalog('x', { a: { ...entry, remediation: '' } })).toThrow(/needs a remediation/);
  });
});
