// The double models Harbor's current patch release (v2.15.3). Each security fix of that release has a
// fault profile named by its advisory (GHSA id) that brings back the unfixed behaviour, and
// PREVIOUS_PATCH_PROFILE is the previous patch release as a whole: it reports v2.15.2 and has every
// modelled unfixed behaviour at once (goharbor/harbor releases v2.15.3, "Security Advisories").
import type { ActiveFaults, FaultProfileName } from './fault-profiles.ts';

export const PREVIOUS_PATCH_PROFILE = 'previous-patch-v2.15.2' satisfies FaultProfileName;
export const PREVIOUS_PATCH_VERSION = 'v2.15.2-double';

/** The advisory's fix is missing: its own profile, or the previous patch release, is switched on. */
export function unfixed(faults: ActiveFaults, ghsa: FaultProfileName): boolean {
  return faults.has(ghsa) || faults.has(PREVIOUS_PATCH_PROFILE);
}
