// Whether an upgrade from one Harbor release to another crosses a release: the test every known breakage and
// announced change of the gate applies. Versions are release tags (v2.14.4); a double's label (v2.15.3-double) counts
// as its release.
import semver from 'semver';

export function releaseOf(version: string): string {
  const match = /^v?(\d+\.\d+\.\d+)/.exec(version.trim());
  if (!match) throw new Error(`"${version}" is not a Harbor release (use one like v2.14.4)`);
  return match[1]!;
}

/** The jump from → to passes `release`: from is older than it, to is it or newer. */
export function crosses(from: string, to: string, release: string): boolean {
  const [f, t, r] = [releaseOf(from), releaseOf(to), releaseOf(release)];
  return semver.lt(f, r) && semver.gte(t, r);
}

/** to is newer than from. */
export function isUpgrade(from: string, to: string): boolean {
  return semver.gt(releaseOf(to), releaseOf(from));
}
