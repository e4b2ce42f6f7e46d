// Harbor's version string (systeminfo harbor_version, e.g. "v2.15.3-6b5d1e2f", "v2.15.0-rc1-abc12345",
// the double's "v2.15.3-double") → a semver version, and an advisory's verdict for it.
import semver from 'semver';
import type { HarborAdvisory } from './harbor-advisories.ts';

export interface HarborVersion {
  /** What the target reported. */
  reported: string;
  /** major.minor.patch[-rcN]: the build suffix (git sha, "double") dropped, release candidates kept. */
  version: string;
  /** "2.15" */
  line: string;
}

export function parseHarborVersion(reported: string): HarborVersion | undefined {
  const match = reported.trim().match(/^v?(\d+)\.(\d+)\.(\d+)(?:-(rc\d+))?(?:[-+].*)?$/i);
  if (!match) return undefined;
  const [, major, minor, patch, rc] = match;
  const version = `${major}.${minor}.${patch}${rc ? `-${rc.toLowerCase()}` : ''}`;
  return semver.valid(version) ? { reported, version, line: `${major}.${minor}` } : undefined;
}

export type AdvisoryStatus =
  /** No version of the target's release line is in an affected range. */
  | { kind: 'not-applicable'; why: string }
  | { kind: 'affected'; upgradeTo: string | undefined }
  | { kind: 'fixed'; fixedIn: string }
  /** Every version is affected and Harbor ships no fix (a configuration weakness). */
  | { kind: 'no-fix' };

const options = { includePrerelease: true } as const;

/** The advisory's verdict for a version, by its affected ranges and fixed versions. */
export function advisoryStatus(
  advisory: Pick<HarborAdvisory, 'affected' | 'fixed'>,
  target: HarborVersion,
): AdvisoryStatus {
  const lineRange = lineRangeOf(target.line);
  const touchesLine = advisory.affected.some((range) => semver.intersects(range, lineRange, options));
  if (!touchesLine) {
    return {
      kind: 'not-applicable',
      why:
        advisory.affected.length === 0
          ? 'it names no Harbor version range'
          : `no ${target.line}.x version is in ${advisory.affected.join(' || ')}`,
    };
  }
  if (advisory.fixed.length === 0) return { kind: 'no-fix' };
  const fixedOnLine = advisory.fixed.filter((v) => semver.satisfies(v, lineRange, options)).sort(semver.compare)[0];
  // A release candidate sits on its line before the release: judged by its release part (2.15.0-rc1 as
  // 2.15.0), except that a candidate of a fixed release is not yet that release.
  const release = semver.coerce(target.version)?.version ?? target.version;
  const candidateOfFix = release !== target.version && advisory.fixed.includes(release);
  const affected = candidateOfFix || advisory.affected.some((range) => semver.satisfies(release, range, options));
  if (affected) {
    const upgradeTo = fixedOnLine ?? advisory.fixed.filter((v) => semver.gt(v, target.version)).sort(semver.compare)[0];
    return { kind: 'affected', upgradeTo };
  }
  return {
    kind: 'fixed',
    fixedIn:
      fixedOnLine ??
      advisory.fixed.filter((v) => semver.lte(v, target.version)).sort(semver.rcompare)[0] ??
      target.version,
  };
}

function lineRangeOf(line: string): string {
  const [major, minor] = line.split('.').map(Number) as [number, number];
  return `>=${major}.${minor}.0-0 <${major}.${minor + 1}.0-0`;
}
