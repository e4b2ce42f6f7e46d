// Which Harbor release the double says it is (systeminfo `harbor_version`). Read per request, so a release
// profile switched on a running double (selftest) takes effect at once. The double behaves as the current
// patch release (v2.15.3); the previous patch's behaviour is PREVIOUS_PATCH_PROFILE (previous-patch.ts);
// an unpatched older release only changes the version it reports, which is all a version-judged advisory
// check reads — each such check must fail against the release profile whose version its ranges cover.
import type { ActiveFaults, FaultProfileName } from './fault-profiles.ts';
import { PREVIOUS_PATCH_PROFILE, PREVIOUS_PATCH_VERSION } from './previous-patch.ts';

/** Release profiles (fault-profiles.ts) and the version each makes the double report. */
export const unpatchedReleaseVersions = {
  'unpatched-release-v2.13.0': 'v2.13.0',
  'unpatched-release-v2.10.0': 'v2.10.0',
  'unpatched-release-v2.8.0': 'v2.8.0',
  'unpatched-release-v2.5.0': 'v2.5.0',
  'unpatched-release-v2.0.0': 'v2.0.0',
  'unpatched-release-v1.9.0': 'v1.9.0',
  'unpatched-release-v1.8.0': 'v1.8.0',
} as const satisfies Partial<Record<FaultProfileName, string>>;

export type UnpatchedReleaseProfile = keyof typeof unpatchedReleaseVersions;

/** `versionLabel` (e.g. v2.15.3-double or v2.15.3-double-x1) with the release a profile names in front. */
export function reportedVersion(versionLabel: string, faults: ActiveFaults): string {
  const release = faults.has(PREVIOUS_PATCH_PROFILE)
    ? PREVIOUS_PATCH_VERSION.replace(/-double$/, '')
    : (Object.entries(unpatchedReleaseVersions) as [UnpatchedReleaseProfile, string][]).find(([profile]) =>
        faults.has(profile),
      )?.[1];
  return release ? versionLabel.replace(/^v\d+\.\d+\.\d+/, release) : versionLabel;
}
