// The values goharbor/harbor's chart is installed with, generated from the same deployment settings as
// the official environment: the run's secrets (admin password first), PostgreSQL, Redis and S3 as
// external services (the in-cluster stand-ins), Trivy with the same DB sources and switches, core's
// test knobs, and the policy's system settings as core.configureUserSettings (CONFIG_OVERWRITE_JSON,
// which harbor-core applies at every start and which makes the configuration read-only for the API:
// goharbor/harbor src/controller/config/controller.go@v2.15.2). Keys checked against the chart:
// chart-values-keys.json (verify-chart-values.ts).
import type { HarborRelease } from '../official/harbor-release.ts';
import { REDIS_DB, REGISTRY_USERNAME, type TrivySettings } from '../official/official-component-specs.ts';
import type { OfficialSecrets } from '../official/official-secrets.ts';
import type { HarborRegistryS3 } from '../offline/harbor-registry-config.ts';
import type { ChartImage } from './chart-images.ts';
import { HARBOR_NODE_PORT } from './kind-cluster-config.ts';
import { chartLine, type HarborChart } from './harbor-chart-version.ts';

export interface ExternalDatabase {
  host: string;
  port: number;
  username: string;
  password: string;
  database: string;
}

export interface HarborValuesInput {
  release: HarborRelease;
  chart: HarborChart;
  images: ChartImage[];
  secrets: OfficialSecrets;
  /** Host port on 127.0.0.1 that the kind config maps to Harbor's NodePort: externalURL. */
  harborHostPort: number;
  database: ExternalDatabase;
  /** host:port of Redis in the cluster. */
  redisAddress: string;
  s3: HarborRegistryS3;
  trivy: TrivySettings;
  /** The policy's system settings (self_registration, project_creation_restriction, …). */
  systemSettings: Record<string, string | boolean | number>;
}

export type HelmValues = Record<string, unknown>;

/** Chart lines whose values have trivy.dbRepository / javaDBRepository lists (added in 1.18). */
const DB_REPOSITORY_LISTS = new Set(['1.18', '1.19']);

export function harborChartValues(input: HarborValuesInput): HelmValues {
  const { secrets } = input;
  const values: HelmValues = {
    expose: {
      type: 'nodePort',
      tls: { enabled: false },
      nodePort: { name: 'harbor', ports: { http: { port: 80, nodePort: HARBOR_NODE_PORT } } },
    },
    externalURL: `http://127.0.0.1:${input.harborHostPort}`,
    // a kind node has no IPv6 by default; nginx's `listen [::]` would fail
    ipFamily: { ipv6: { enabled: false }, ipv4: { enabled: true } },
    harborAdminPassword: secrets.adminPassword,
    secretKey: secrets.secretKey,
    // a throwaway cluster: no PVCs (the database, Redis and blobs are external anyway)
    persistence: {
      enabled: false,
      imageChartStorage: {
        // as the official environment's registry config: redirects off, blobs through the registry
        disableredirect: true,
        type: 's3',
        s3: {
          region: input.s3.region,
          bucket: input.s3.bucket,
          accesskey: input.s3.accessKey,
          secretkey: input.s3.secretKey,
          regionendpoint: input.s3.regionEndpoint,
          v4auth: true,
        },
      },
    },
    metrics: { enabled: false },
    core: {
      secret: secrets.coreSecret,
      xsrfKey: secrets.csrfKey,
      // Harbor's own CI knobs, as in the official environment: GC keeps no young blobs, executions refresh every 5 s
      extraEnvVars: [
        { name: 'GC_TIME_WINDOW_HOURS', value: '0' },
        { name: 'EXECUTION_STATUS_REFRESH_INTERVAL_SECONDS', value: '5' },
      ],
      ...(Object.keys(input.systemSettings).length > 0
        ? { configureUserSettings: JSON.stringify(input.systemSettings) }
        : {}),
    },
    jobservice: { secret: secrets.jobserviceSecret },
    registry: {
      secret: secrets.registryHttpSecret,
      credentials: { username: REGISTRY_USERNAME, password: secrets.registryPassword },
    },
    trivy: trivyValues(input),
    database: {
      type: 'external',
      external: {
        host: input.database.host,
        port: String(input.database.port),
        username: input.database.username,
        password: input.database.password,
        coreDatabase: input.database.database,
        sslmode: 'disable',
      },
    },
    redis: {
      type: 'external',
      external: {
        addr: input.redisAddress,
        // the official environment's numbering (Harbor's compose installer); core must stay on 0
        coreDatabaseIndex: String(REDIS_DB.core),
        jobserviceDatabaseIndex: String(REDIS_DB.jobservice),
        registryDatabaseIndex: String(REDIS_DB.registry),
        trivyAdapterIndex: String(REDIS_DB.trivy),
      },
    },
  };
  for (const image of input.images) setPath(values, image.valuesPath, { repository: image.repository, tag: image.tag });
  return values;
}

function trivyValues(input: HarborValuesInput): Record<string, unknown> {
  const { trivy } = input;
  return {
    enabled: true,
    vulnType: 'os,library',
    severity: 'UNKNOWN,LOW,MEDIUM,HIGH,CRITICAL',
    ignoreUnfixed: false,
    insecure: false,
    skipUpdate: trivy.skipUpdate,
    skipJavaDBUpdate: trivy.skipJavaDbUpdate,
    offlineScan: trivy.offlineScan,
    timeout: '5m0s',
    ...(DB_REPOSITORY_LISTS.has(chartLine(input.chart.version))
      ? { dbRepository: trivy.dbRepositories, javaDBRepository: trivy.javaDbRepositories }
      : {}),
  };
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path.at(-1) as string] = value;
}

/** Every leaf of the values as a dotted path (array items are leaves), for the key check. */
export function valuesLeafPaths(values: unknown, prefix = ''): string[] {
  if (typeof values !== 'object' || values === null || Array.isArray(values)) return prefix ? [prefix] : [];
  return Object.entries(values).flatMap(([key, value]) => valuesLeafPaths(value, prefix ? `${prefix}.${key}` : key));
}

/** Values keys whose values are secrets: replaced by [REDACTED] wherever the plan is shown. */
export const SECRET_VALUES_PATHS = [
  'harborAdminPassword',
  'secretKey',
  'persistence.imageChartStorage.s3.accesskey',
  'persistence.imageChartStorage.s3.secretkey',
  'core.secret',
  'core.xsrfKey',
  'jobservice.secret',
  'registry.secret',
  'registry.credentials.password',
  'database.external.password',
] as const;

export function redactedValues(values: HelmValues): HelmValues {
  const copy = structuredClone(values);
  for (const path of SECRET_VALUES_PATHS) {
    const keys = path.split('.');
    let node: unknown = copy;
    for (const key of keys.slice(0, -1)) node = (node as Record<string, unknown> | undefined)?.[key];
    const last = keys.at(-1) as string;
    if (node && typeof node === 'object' && last in node) (node as Record<string, unknown>)[last] = '[REDACTED]';
  }
  return copy;
}
