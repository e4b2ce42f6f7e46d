// Advisories: one check per published Harbor security advisory (harbor-advisories.ts). Each check judges
// the target's version (fail when its release line has a fix the target lacks; skipped when the advisory
// never affected that line) and, where a probe is safe, confirms the exposure by behaviour.
import { defineCatalog, type CheckEntry } from '../check-definition.ts';
import semver from 'semver';
import type { FaultProfileName } from '../../environments/offline/harbor-double/faults/fault-profiles.ts';
import {
  unpatchedReleaseVersions,
  type UnpatchedReleaseProfile,
} from '../../environments/offline/harbor-double/faults/reported-release.ts';
import { harborAdvisories, type HarborAdvisory } from './harbor-advisories.ts';
import { PREVIOUS_PATCH_PROFILE, probeFor } from './advisory-probes.ts';

const flawRemediation = 'NIST SP 800-53 SI-2'; // flaw remediation: install security-relevant updates
const vulnerabilityMonitoring = 'NIST SP 800-53 RA-5'; // vulnerability monitoring and scanning
const registryAccess = 'NIST SP 800-190 4.2.3'; // registry: insufficient authentication and authorization
const trustedImages = 'NIST SP 800-190 4.1.5'; // use of untrusted images
const defaultCredentials = 'NIST SP 800-53 IA-5(1)'; // authenticator management: no default passwords

/** Advisories the double of the current patch release fixes; its previous patch (a fault profile) lacks them. */
const fixedInCurrentPatch = (a: HarborAdvisory) => a.fixed.includes('2.15.3');

/**
 * The newest unpatched-release profile whose reported version the advisory's ranges cover: the version
 * check must fail there. Only for advisories no probe or previous-patch profile already proves.
 */
function releaseProfileAffected(a: HarborAdvisory): UnpatchedReleaseProfile[] {
  const newest = (Object.entries(unpatchedReleaseVersions) as [UnpatchedReleaseProfile, string][]).find(([, version]) =>
    a.affected.some((range) => semver.satisfies(version.slice(1), range)),
  );
  return newest ? [newest[0]] : [];
}

function controlsOf(a: HarborAdvisory): string[] {
  const controls = [flawRemediation, vulnerabilityMonitoring];
  if (a.ghsa === 'GHSA-wrw5-gmvj-gf23') controls.push(trustedImages, registryAccess);
  if (a.ghsa === 'GHSA-qj39-pjf2-wmrc' || a.ghsa === 'GHSA-38r5-34mr-mvm7' || a.ghsa === 'GHSA-xvh7-74g6-29xw')
    controls.push(registryAccess);
  if (a.ghsa === 'GHSA-hj7x-hmf2-hc2p') controls.push(defaultCredentials);
  return controls;
}

function definitionOf(a: HarborAdvisory): CheckEntry {
  const probe = probeFor(a.ghsa);
  const proven: FaultProfileName[] = [
    ...(probe?.caughtBy ?? []),
    ...(fixedInCurrentPatch(a) ? [PREVIOUS_PATCH_PROFILE as FaultProfileName] : []),
  ];
  const caughtBy = proven.length > 0 ? proven : releaseProfileAffected(a);
  const id = [a.ghsa, a.cve].filter(Boolean).join(' / ');
  return {
    id: a.checkId,
    title: `${id} (${a.severity}): ${a.summary}${probe ? ` Probe: ${probe.title}.` : ''}`,
    controls: controlsOf(a),
    // The version verdict needs nothing; a probe that creates resources runs only where mutating is allowed.
    mutating: false,
    evidence: [
      'systeminfo harbor_version and the advisory ranges it was judged against',
      ...(probe ? [`probe: ${probe.title}`] : []),
    ],
    remediation: `${a.fixed.length > 0 ? `Upgrade to the fixed release of your line (${a.fixed.join(' / ')}). ` : ''}${a.remediation}`,
    caughtBy,
  };
}

/** An advisory without Harbor version ranges (a chart advisory) cannot be judged from the target: no check. */
const judgedByVersion = (a: HarborAdvisory) => a.affected.length > 0;

export const catalog = defineCatalog(
  'advisories',
  Object.fromEntries(harborAdvisories.filter(judgedByVersion).map((a) => [a.ghsa, definitionOf(a)])),
);
