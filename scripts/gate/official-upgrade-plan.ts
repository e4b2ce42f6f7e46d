// The in-place upgrade of the official environment (Harbor's own images), as Harbor's upgrade guide orders it:
// stop core, jobservice, registry, registryctl and portal; back up the database; keep the volumes of PostgreSQL,
// Redis and the registry's storage; start every component at the new tag on those volumes (core runs the schema
// migrations at its start); wait for /api/v2.0/health. Pure data, so the plan is unit tested without Docker.
import { harborImage, harborRelease, type HarborImageRole } from '../../environments/official/harbor-release.ts';

export interface CarriedVolume {
  role: HarborImageRole | 'object-storage';
  /** Where the component keeps it (goharbor/harbor make/photon/prepare/templates/docker_compose/docker-compose.yml.jinja@v2.15.2). */
  mountPath: string;
  what: string;
}

export interface OfficialUpgradePlan {
  from: string;
  to: string;
  images: Array<{ role: HarborImageRole; from: string; to: string }>;
  volumes: CarriedVolume[];
  steps: string[];
}

const ROLES: HarborImageRole[] = [
  'core',
  'jobservice',
  'registry',
  'registryctl',
  'portal',
  'database',
  'redis',
  'scanner',
];
/** Stopped first and started last: everything that writes to the database or the storage. */
const STOPPED: HarborImageRole[] = ['core', 'jobservice', 'registry', 'registryctl', 'portal'];

export const CARRIED_VOLUMES: readonly CarriedVolume[] = [
  { role: 'database', mountPath: '/var/lib/postgresql/data', what: "Harbor's PostgreSQL data directory" },
  {
    role: 'redis',
    mountPath: '/var/lib/redis',
    what: 'job queues and caches (redis-photon, valkey-photon from v2.15.2)',
  },
  { role: 'registry', mountPath: '/storage', what: "the registry's filesystem storage (or its S3 bucket, unchanged)" },
  {
    role: 'object-storage',
    mountPath: 's3://harbor',
    what: 'the object store bucket the registry writes to (MinIO here)',
  },
];

export function officialUpgradePlan(from: string, to: string, imageRegistry?: string): OfficialUpgradePlan {
  const [a, b] = [harborRelease(from), harborRelease(to)];
  const images = ROLES.map((role) => ({
    role,
    from: harborImage(a, role, imageRegistry),
    to: harborImage(b, role, imageRegistry),
  }));
  const steps = [
    `start Harbor ${a.version} (official environment) with named volumes for ${CARRIED_VOLUMES.map((v) => v.role).join(', ')}`,
    'seed the estate and take the inventory (API and registry)',
    `stop ${STOPPED.join(', ')}`,
    'back up the database: pg_dump -Fc in the database container',
    ...(a.postgresMajor !== b.postgresMajor
      ? [
          `replace harbor-db (PostgreSQL ${a.postgresMajor}) by ${b.version}'s (PostgreSQL ${b.postgresMajor}): it runs pg_upgrade on the carried data directory at its first start`,
        ]
      : ['restart harbor-db at the new tag on the carried data directory']),
    ...(a.imageNames.redis !== b.imageNames.redis
      ? [`replace ${a.imageNames.redis} by ${b.imageNames.redis} on the carried /var/lib/redis`]
      : [`restart ${b.imageNames.redis} at the new tag on the carried /var/lib/redis`]),
    `start ${STOPPED.join(', ')} at ${b.version} on the same data (core migrates the schema at its start)`,
    'wait until /api/v2.0/health says healthy',
    'take the inventory again, diff, list the known breakages, write the gate report, remove everything',
  ];
  return { from: a.version, to: b.version, images, volumes: [...CARRIED_VOLUMES], steps };
}
