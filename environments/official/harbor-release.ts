// What differs between the Harbor releases the official environment can start: image names and tags,
// the bundled PostgreSQL, core's version-specific settings, and what the release supports.
// Facts: goharbor/harbor make/harbor.yml.tmpl@v2.15.x (read from each tag's installer templates).
import type { Capabilities } from '../../lib/target.ts';
import { EnvironmentError } from '../environment.ts';

// The newest release whose configuration ran against the real binaries here (core and jobservice built from
// goharbor/harbor v2.15.2) and whose chart (1.19.2) was rendered with helm. v2.15.3 (the 2026-10-06 security
// release) is newer: pass HC_HARBOR_VERSION=v2.15.3 — the advisories suite fails v2.15.2 on its advisories.
export const DEFAULT_HARBOR_VERSION = 'v2.15.2';
export const DEFAULT_IMAGE_REGISTRY = 'ghcr.io/goharbor';
/** The oldest release whose installer templates these hand-written configs follow. */
const OLDEST_SUPPORTED = [2, 13, 0] as const;

/** Image names of one release, all sharing the release tag. */
export type HarborImageRole =
  | 'core'
  | 'jobservice'
  | 'registry'
  | 'registryctl'
  | 'database'
  | 'redis'
  | 'scanner'
  | 'portal';

export interface HarborRelease {
  /** Normalised tag, e.g. v2.15.2 */
  version: string;
  major: number;
  minor: number;
  patch: number;
  /** goharbor image name per role, e.g. valkey-photon for redis from v2.15.2 on. */
  imageNames: Record<HarborImageRole, string>;
  /** PostgreSQL major version inside harbor-db (v2.15.2 moved from 15 to 18, upgrading a pg15 data dir at first start). */
  postgresMajor: 15 | 18;
  /** harbor-core variables that exist only in some releases' env template. */
  coreVersionEnv: Record<string, string>;
  capabilities: Pick<Capabilities, 'cosign' | 'notation'>;
}

const PROXY_CACHE_TYPES_2_14 =
  'docker-hub,harbor,azure-acr,ali-acr,aws-ecr,google-gcr,docker-registry,github-ghcr,jfrog-artifactory';
// v2.13 still listed quay between google-gcr and docker-registry
const PROXY_CACHE_TYPES_2_13 =
  'docker-hub,harbor,azure-acr,ali-acr,aws-ecr,google-gcr,quay,docker-registry,github-ghcr,jfrog-artifactory';
const REPLICATION_ADAPTERS =
  'ali-acr,aws-ecr,azure-acr,docker-hub,docker-registry,github-ghcr,google-gcr,harbor,huawei-SWR,jfrog-artifactory,tencent-tcr,volcengine-cr';

export function harborRelease(input: string = DEFAULT_HARBOR_VERSION): HarborRelease {
  const match = /^v?(\d+)\.(\d+)\.(\d+)$/.exec(input.trim());
  if (!match) {
    throw new EnvironmentError(
      `Harbor version "${input}" is not a release tag: use one like ${DEFAULT_HARBOR_VERSION}`,
    );
  }
  const [major, minor, patch] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const version = `v${major}.${minor}.${patch}`;
  if (compare([major, minor, patch], OLDEST_SUPPORTED) < 0) {
    throw new EnvironmentError(
      `Harbor ${version} is older than the official environment supports (v${OLDEST_SUPPORTED.join('.')} or newer)`,
    );
  }
  const at = (v: readonly [number, number, number]) => compare([major, minor, patch], v) >= 0;
  // v2.15.2 replaced redis-photon by valkey-photon and PostgreSQL 15 by 18 in a patch release
  const valkeyAndPg18 = at([2, 15, 2]);

  const coreVersionEnv: Record<string, string> = {
    PERMITTED_REGISTRY_TYPES_FOR_PROXY_CACHE: at([2, 14, 0]) ? PROXY_CACHE_TYPES_2_14 : PROXY_CACHE_TYPES_2_13,
  };
  if (at([2, 14, 0])) coreVersionEnv.REPLICATION_ADAPTER_WHITELIST = REPLICATION_ADAPTERS;
  if (!at([2, 15, 0])) coreVersionEnv.SYNC_QUOTA = 'true';

  return {
    version,
    major,
    minor,
    patch,
    imageNames: {
      core: 'harbor-core',
      jobservice: 'harbor-jobservice',
      registry: 'registry-photon',
      registryctl: 'harbor-registryctl',
      database: 'harbor-db',
      redis: valkeyAndPg18 ? 'valkey-photon' : 'redis-photon',
      scanner: 'trivy-adapter-photon',
      portal: 'harbor-portal',
    },
    postgresMajor: valkeyAndPg18 ? 18 : 15,
    coreVersionEnv,
    // cosign accessories since v2.5, notation since v2.9: every supported release has both
    capabilities: { cosign: at([2, 5, 0]), notation: at([2, 9, 0]) },
  };
}

/** Full image reference, e.g. ghcr.io/goharbor/harbor-core:v2.15.2 */
export function harborImage(
  release: HarborRelease,
  role: HarborImageRole,
  imageRegistry = DEFAULT_IMAGE_REGISTRY,
): string {
  return `${imageRegistry.replace(/\/+$/, '')}/${release.imageNames[role]}:${release.version}`;
}

/** The name `docker load` of Harbor's offline installer bundle gives the same image. */
export function bundleImage(release: HarborRelease, role: HarborImageRole): string {
  return `goharbor/${release.imageNames[role]}:${release.version}`;
}

function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < 3; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
