// Images the scan-blocking checks push: the distro fixtures (fixtures/distro/) with a per-check label,
// so every check pushes its own digest (Harbor keys scan reports by digest, so a shared digest would
// share reports across checks and runs), plus one Debian image whose only finding is High.
import { distroFixture, type DistroFixtureName } from '../../fixtures/distro/distro-fixtures.ts';
import { dpkgStatus } from '../../fixtures/distro/package-databases.ts';
import { buildImage, type BuiltImage } from '../../fixtures/images/image-builder.ts';

export type ScanImageName = DistroFixtureName | 'debian-high-only';

/**
 * `debian-high-only`: Debian 12 with glibc 2.36-9+deb12u2 (fixes CVE-2023-4527 Medium, not CVE-2023-4911
 * High, fixed in deb12u3) and curl 7.88.1-10+deb12u4 (fixed): the fixture scanner reports High only.
 */
function layersOf(name: ScanImageName) {
  if (name !== 'debian-high-only') return distroFixture(name).layers;
  const base = distroFixture('debian-vulnerable').layers;
  const upgraded = dpkgStatus([
    { name: 'curl', version: '7.88.1-10+deb12u4', source: 'curl' },
    { name: 'libc-bin', version: '2.36-9+deb12u2', source: 'glibc' },
    { name: 'libc6', version: '2.36-9+deb12u2', source: 'glibc' },
    { name: 'libcurl4', version: '7.88.1-10+deb12u4', source: 'curl' },
  ]);
  return [...base, { 'var/lib/dpkg/status': upgraded }];
}

/** The image with a label naming `owner` (a run-id resource name): a digest of its own. */
export function scanImage(name: ScanImageName, owner: string): BuiltImage {
  return buildImage(
    {
      layers: layersOf(name),
      config: {
        Labels: {
          'org.opencontainers.image.title': `harbor-conformance ${name}`,
          'org.opencontainers.image.ref.name': owner,
        },
      },
    },
    'docker',
  );
}
