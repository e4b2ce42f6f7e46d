// One advisory's verdict from the version status and the probe, if any. A probe that disagrees with
// the version is said so in the verdict; exposure by behaviour always fails, and so does a version
// without the fix (the probe covers one path, the advisory may cover more).
import type { HarborAdvisory } from './harbor-advisories.ts';
import type { AdvisoryStatus } from './harbor-version.ts';
import type { ProbeResult } from './advisory-probes.ts';

export type AdvisoryVerdict =
  | { verdict: 'passed'; note: string }
  | { verdict: 'failed'; message: string }
  | { verdict: 'warn'; fact: string }
  | { verdict: 'skipped'; reason: string };

export function advisoryVerdict(
  advisory: HarborAdvisory,
  reported: string,
  status: AdvisoryStatus | undefined,
  probe: ProbeResult | undefined,
): AdvisoryVerdict {
  const name = advisory.ghsa + (advisory.cve ? ` (${advisory.cve})` : '');
  const probeLine =
    probe === undefined
      ? ''
      : probe.kind === 'inconclusive'
        ? ` Probe inconclusive: ${probe.why}.`
        : ` Probe: ${probe.observed}.`;
  const exposed = probe?.kind === 'exposed';
  if (status === undefined) {
    // An unparseable version (a custom build): only behaviour can tell.
    if (exposed)
      return {
        verdict: 'failed',
        message: `${name}: the probe shows the exposure on Harbor "${reported}" (version not comparable).${probeLine} ${advisory.summary}`,
      };
    if (probe?.kind === 'not-exposed')
      return {
        verdict: 'passed',
        note: `version "${reported}" not comparable; the probe shows no exposure.${probeLine}`,
      };
    return {
      verdict: 'skipped',
      reason: `Harbor version "${reported}" is not a release version and no probe could decide ${name}`,
    };
  }
  switch (status.kind) {
    case 'not-applicable':
      return { verdict: 'skipped', reason: `${name} does not apply to Harbor ${reported}: ${status.why}` };
    case 'affected': {
      const upgrade = status.upgradeTo
        ? `upgrade to ${status.upgradeTo} or later`
        : 'no fixed release of this line is known: upgrade to a supported line';
      const contradiction =
        probe?.kind === 'not-exposed'
          ? ' The probe did NOT show the exposure: the build may carry the fix (patched or mislabelled); verify before relying on it.'
          : '';
      return {
        verdict: 'failed',
        message: `${name}: Harbor ${reported} is affected (${advisory.severity}) — ${upgrade}.${contradiction}${probeLine} ${advisory.summary}`,
      };
    }
    case 'fixed':
      if (exposed) {
        return {
          verdict: 'failed',
          message: `${name}: Harbor ${reported} reports a version with the fix (${status.fixedIn}) but the probe CONTRADICTS it — the exposure is present.${probeLine} ${advisory.summary}`,
        };
      }
      return { verdict: 'passed', note: `fixed in ${status.fixedIn}; ${reported} has the fix.${probeLine}` };
    case 'no-fix':
      if (exposed)
        return {
          verdict: 'failed',
          message: `${name}: exposed on Harbor ${reported}.${probeLine} ${advisory.summary}`,
        };
      if (probe?.kind === 'not-exposed')
        return { verdict: 'passed', note: `Harbor ships no fix; this deployment is not exposed.${probeLine}` };
      return {
        verdict: 'warn',
        fact: `${name}: Harbor ships no fix and the exposure could not be probed.${probeLine} ${advisory.summary}`,
      };
  }
}
