// The double's configuration: the environment variables harbor-core reads (goharbor/harbor make/photon/prepare/templates/core/env.jinja@v2.15.x), validated
// up front so a bad deployment fails with one line per problem instead of a stack trace later.
import { z } from 'zod';
import { DEFAULT_EMULATED_VERSION, EMULATED_VERSIONS, type EmulatedVersion } from './upgrade/emulated-versions.ts';

const url = z.string().url();
const nonEmpty = z.string().min(1);

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  EXT_ENDPOINT: url,
  CORE_URL: url.default('http://core:8080'),
  POSTGRESQL_HOST: nonEmpty,
  POSTGRESQL_PORT: z.coerce.number().int().min(1).max(65535).default(5432),
  POSTGRESQL_USERNAME: nonEmpty,
  POSTGRESQL_PASSWORD: z.string().default(''),
  POSTGRESQL_DATABASE: nonEmpty.default('registry'),
  POSTGRESQL_SSLMODE: z.enum(['disable', 'require', 'verify-ca', 'verify-full']).default('disable'),
  _REDIS_URL_CORE: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL'),
  REGISTRY_URL: url,
  REGISTRY_CREDENTIAL_USERNAME: nonEmpty,
  REGISTRY_CREDENTIAL_PASSWORD: nonEmpty,
  HARBOR_ADMIN_PASSWORD: nonEmpty,
  CORE_SECRET: z.string().default(''),
  JOBSERVICE_SECRET: z.string().default(''),
  TOKEN_PRIVATE_KEY_PATH: nonEmpty.default('/etc/core/private_key.pem'),
  WITH_TRIVY: z.enum(['true', 'false', '']).default('false'),
  TRIVY_ADAPTER_URL: url.default('http://trivy-adapter:8080'),
  JOBSERVICE_URL: url.default('http://jobservice:8080'),
  REGISTRY_CONTROLLER_URL: url.optional(),
  PORTAL_URL: url.optional(),
  REGISTRY_STORAGE_PROVIDER_NAME: z.string().default('filesystem'),
  // The registry's s3 storage, in distribution's own override variables: the registry-controller stand-in
  // (gc/registry-vacuum.ts) deletes from it as registryctl does with the registry's storage driver.
  REGISTRY_STORAGE_S3_REGIONENDPOINT: url.optional(),
  REGISTRY_STORAGE_S3_REGION: z.string().default('us-east-1'),
  REGISTRY_STORAGE_S3_ACCESSKEY: z.string().optional(),
  REGISTRY_STORAGE_S3_SECRETKEY: z.string().optional(),
  REGISTRY_STORAGE_S3_BUCKET: z.string().optional(),
  REGISTRY_STORAGE_S3_ROOTDIRECTORY: z.string().default(''),
  /** The registry's Redis (layer-info cache), which GC empties of blob descriptors afterwards (redis_url_reg). */
  _REDIS_URL_REG: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// URL')
    .optional(),
  GC_TIME_WINDOW_HOURS: z.coerce.number().int().min(0).default(2),
  HARBOR_DOUBLE_VERSION_LABEL: z.string().optional(),
  /** The Harbor release the double emulates (upgrade/emulated-versions.ts): its migrations, its behaviour. */
  HARBOR_DOUBLE_HARBOR_VERSION: z.enum(EMULATED_VERSIONS).default(DEFAULT_EMULATED_VERSION),
  HARBOR_DOUBLE_FAULT_PROFILE: z.string().default(''),
  /** Test-only: enables the fault control endpoint (faults/fault-control-routes.ts) with this bearer token. */
  HARBOR_DOUBLE_FAULT_CONTROL_TOKEN: z.string().min(24, 'use at least 24 characters').optional(),
  /** Test-only: enables the artifact clock (faults/test-clock-routes.ts) with this bearer token. */
  HARBOR_DOUBLE_TEST_CLOCK_TOKEN: z.string().min(24, 'use at least 24 characters').optional(),
  // v2.15.3 opt-out of the GHSA-wrw5-gmvj-gf23 fix: exactly "true" (release notes v2.15.3).
  CONTENT_TRUST_LEGACY_SIGNER_PULL_ENABLED: z.string().optional(),
});

export type DoubleConfig = {
  port: number;
  extEndpoint: string;
  coreUrl: string;
  database: { host: string; port: number; user: string; password: string; database: string; ssl: boolean };
  redisUrl: string;
  registryUrl: string;
  registryCredential: { username: string; password: string };
  adminPassword: string;
  coreSecret: string;
  jobserviceSecret: string;
  tokenPrivateKeyPath: string;
  withTrivy: boolean;
  trivyAdapterUrl: string;
  jobserviceUrl: string;
  registryControllerUrl: string | undefined;
  portalUrl: string | undefined;
  storageProviderName: string;
  /** The registry's S3 storage when it has one (endpoint as the double reaches it). */
  registryS3:
    | { endpoint: string; region: string; accessKey: string; secretKey: string; bucket: string; rootDirectory: string }
    | undefined;
  registryRedisUrl: string | undefined;
  gcTimeWindowHours: number;
  versionLabel: string;
  /** The emulated Harbor release: which migrations run, what the API offers (upgrade/emulated-versions.ts). */
  harborVersion: EmulatedVersion;
  faultProfile: string;
  faultControlToken: string | undefined;
  testClockToken: string | undefined;
  /** CONTENT_TRUST_LEGACY_SIGNER_PULL_ENABLED=true: push-capable signing tools skip content trust again. */
  legacySignerPull: boolean;
};

/** Thrown with every problem on its own line; main prints the message and exits 2. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

// Harbor reports `<VERSION>-<git sha 8>`; the double says plainly what it is. It models the newest patch
// release of its line (v2.15.3, with the fixes of the 2026-10-06 security release); the previous patch is
// a fault profile (faults/previous-patch.ts).
export const DOUBLE_VERSION = 'v2.15.3-double';

export function loadConfig(env: NodeJS.ProcessEnv = process.env): DoubleConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? '?');
      const missing = env[name] === undefined;
      return missing ? `missing environment variable ${name}` : `bad environment variable ${name}: ${issue.message}`;
    });
    throw new ConfigError(lines.join('\n'));
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    extEndpoint: e.EXT_ENDPOINT.replace(/\/+$/, ''),
    coreUrl: e.CORE_URL,
    database: {
      host: e.POSTGRESQL_HOST,
      port: e.POSTGRESQL_PORT,
      user: e.POSTGRESQL_USERNAME,
      password: e.POSTGRESQL_PASSWORD,
      database: e.POSTGRESQL_DATABASE,
      ssl: e.POSTGRESQL_SSLMODE !== 'disable',
    },
    redisUrl: e._REDIS_URL_CORE,
    registryUrl: e.REGISTRY_URL.replace(/\/+$/, ''),
    registryCredential: { username: e.REGISTRY_CREDENTIAL_USERNAME, password: e.REGISTRY_CREDENTIAL_PASSWORD },
    adminPassword: e.HARBOR_ADMIN_PASSWORD,
    coreSecret: e.CORE_SECRET,
    jobserviceSecret: e.JOBSERVICE_SECRET,
    tokenPrivateKeyPath: e.TOKEN_PRIVATE_KEY_PATH,
    withTrivy: e.WITH_TRIVY === 'true',
    trivyAdapterUrl: e.TRIVY_ADAPTER_URL.replace(/\/+$/, ''),
    jobserviceUrl: e.JOBSERVICE_URL.replace(/\/+$/, ''),
    registryControllerUrl: e.REGISTRY_CONTROLLER_URL,
    portalUrl: e.PORTAL_URL,
    storageProviderName: e.REGISTRY_STORAGE_PROVIDER_NAME,
    registryS3:
      e.REGISTRY_STORAGE_S3_REGIONENDPOINT && e.REGISTRY_STORAGE_S3_BUCKET
        ? {
            endpoint: e.REGISTRY_STORAGE_S3_REGIONENDPOINT,
            region: e.REGISTRY_STORAGE_S3_REGION,
            accessKey: e.REGISTRY_STORAGE_S3_ACCESSKEY ?? '',
            secretKey: e.REGISTRY_STORAGE_S3_SECRETKEY ?? '',
            bucket: e.REGISTRY_STORAGE_S3_BUCKET,
            rootDirectory: e.REGISTRY_STORAGE_S3_ROOTDIRECTORY.replace(/^\/+|\/+$/g, ''),
          }
        : undefined,
    registryRedisUrl: e._REDIS_URL_REG,
    gcTimeWindowHours: e.GC_TIME_WINDOW_HOURS,
    versionLabel: versionLabelOf(e.HARBOR_DOUBLE_HARBOR_VERSION, e.HARBOR_DOUBLE_VERSION_LABEL),
    harborVersion: e.HARBOR_DOUBLE_HARBOR_VERSION,
    faultProfile: e.HARBOR_DOUBLE_FAULT_PROFILE,
    faultControlToken: e.HARBOR_DOUBLE_FAULT_CONTROL_TOKEN,
    testClockToken: e.HARBOR_DOUBLE_TEST_CLOCK_TOKEN,
    legacySignerPull: e.CONTENT_TRUST_LEGACY_SIGNER_PULL_ENABLED === 'true',
  };
}

/** `v2.15.3-double`, `v2.14.4-double-x1`: the emulated release in front, as systeminfo reports it. */
function versionLabelOf(version: EmulatedVersion, label: string | undefined): string {
  const base = DOUBLE_VERSION.replace(/^v\d+\.\d+\.\d+/, version);
  return label ? `${base}-${label}` : base;
}
