// What each container of the official environment is: Harbor's own image, the network alias its peers
// expect, the environment and files the installer's prepare step would have written (hand-written
// here, goharbor/harbor make/photon/prepare/templates/core/env.jinja@v2.15.x), and how the harness knows it is ready. Pure data, so tests can read it; the
// containers are made from it by official-component-container.ts.
import type { GenericContainer } from 'testcontainers';
import {
  REGISTRY_CONFIG_PATH,
  REGISTRY_PASSWD_PATH,
  htpasswdLine,
  renderHarborRegistryConfig,
  type HarborRegistryS3,
} from '../offline/harbor-registry-config.ts';
import type { HarborImageRole, HarborRelease } from './harbor-release.ts';
import type { OfficialSecrets } from './official-secrets.ts';

/** A health check as GenericContainer.withHealthCheck takes it (the type is not exported by name). */
export type HealthCheck = Parameters<GenericContainer['withHealthCheck']>[0];

/** Containers made from specs (MinIO comes from @testcontainers/minio). */
export type OfficialSpecComponent = HarborImageRole | 'upstream';

export type WaitSpec =
  | { kind: 'http'; path: string; port: number; status: number; bodyIncludes?: string }
  /** The image's own HEALTHCHECK command, re-declared with a short interval (the images default to 30 s). */
  | { kind: 'health-check' };

export interface FileSpec {
  target: string;
  content: string;
  mode: number;
}

export interface ComponentSpec {
  component: OfficialSpecComponent;
  image: string;
  aliases: string[];
  /** Port inside the container; published on a random host port unless hostPort is set. */
  port: number;
  hostPort?: number;
  env: Record<string, string>;
  files: FileSpec[];
  /** Host directories copied in before start (a pre-seeded Trivy DB). */
  directories: Array<{ source: string; target: string }>;
  healthCheck?: HealthCheck;
  wait: WaitSpec;
  startupTimeoutMs: number;
  sharedMemoryBytes?: number;
}

export const ALIASES = {
  core: 'core',
  jobservice: 'jobservice',
  registry: 'registry',
  registryctl: 'registryctl',
  database: 'postgresql',
  redis: 'redis',
  scanner: 'trivy-adapter',
  portal: 'portal',
  upstream: 'upstream',
} as const satisfies Record<OfficialSpecComponent, string>;

export const HARBOR_PORT = 8080;
export const REGISTRY_PORT = 5000;
export const DATABASE_PORT = 5432;
export const REDIS_PORT = 6379;
export const REGISTRY_USERNAME = 'harbor_registry_user';
export const TRIVY_CACHE_DIR = '/home/scanner/.cache/trivy';
export const TRIVY_REPORTS_DIR = '/home/scanner/.cache/reports';
/** The metadata property the adapter adds only once a vulnerability DB is in its cache (goharbor/harbor make/photon/prepare/templates/trivy-adapter/env.jinja@v2.15.x). */
export const TRIVY_DB_UPDATED_PROPERTY = 'harbor.scanner-adapter/vulnerability-database-updated-at';

/** Redis databases as Harbor's compose installer numbers them (Helm numbers them differently). */
export const REDIS_DB = { core: 0, registry: 1, jobservice: 2, trivy: 5 } as const;

/** Trivy's DB sources: Helm chart 1.19's default order, mirror.gcr.io first (ghcr.io rate-limits). */
export const DEFAULT_TRIVY_DB_REPOSITORIES = ['mirror.gcr.io/aquasec/trivy-db', 'ghcr.io/aquasecurity/trivy-db'];
export const DEFAULT_TRIVY_JAVA_DB_REPOSITORIES = [
  'mirror.gcr.io/aquasec/trivy-java-db',
  'ghcr.io/aquasecurity/trivy-java-db',
];

export interface TrivySettings {
  dbRepositories: string[];
  javaDbRepositories: string[];
  /** --skip-db-update: needs db/trivy.db + db/metadata.json already in the cache (seededDbDir). */
  skipUpdate: boolean;
  skipJavaDbUpdate: boolean;
  offlineScan: boolean;
  /** Host directory laid out like Trivy's cache dir (db/trivy.db, db/metadata.json, optionally java-db/). */
  seededDbDir?: string;
}

export function trivySettings(
  input: { seededDbDir?: string; dbRepositories?: string[]; javaDbRepositories?: string[] } = {},
): TrivySettings {
  const seeded = input.seededDbDir !== undefined;
  return {
    dbRepositories: input.dbRepositories?.length ? input.dbRepositories : DEFAULT_TRIVY_DB_REPOSITORIES,
    javaDbRepositories: input.javaDbRepositories?.length
      ? input.javaDbRepositories
      : DEFAULT_TRIVY_JAVA_DB_REPOSITORIES,
    skipUpdate: seeded,
    skipJavaDbUpdate: seeded,
    offlineScan: seeded,
    ...(seeded ? { seededDbDir: input.seededDbDir } : {}),
  };
}

export interface OfficialSpecInput {
  release: HarborRelease;
  /** Resolved image reference per component (present locally, see official-images.ts). */
  images: Record<OfficialSpecComponent, string>;
  secrets: OfficialSecrets;
  /** 127.0.0.1:<harborPort> is where core is published and what EXT_ENDPOINT says. */
  harborPort: number;
  /** The registry's S3 storage as reached on the run's network. */
  s3: HarborRegistryS3;
  trivy: TrivySettings;
  /** Random per run: the upstream registry's http.secret. */
  upstreamHttpSecret: string;
}

const url = (component: OfficialSpecComponent, port = HARBOR_PORT) => `http://${ALIASES[component]}:${port}`;
const redisUrl = (db: number) => `redis://${ALIASES.redis}:${REDIS_PORT}${db ? `/${db}` : ''}?idle_timeout_seconds=30`;
/** A health check re-declared so the first probe runs after 1 s, not the images' 30 s. */
const quickHealthCheck = (...test: string[]): HealthCheck => ({
  test: ['CMD', ...test],
  interval: 1_000,
  timeout: 5_000,
  retries: 120,
  startPeriod: 0,
});

export function officialComponentSpecs(input: OfficialSpecInput): ComponentSpec[] {
  // one htpasswd hash for both: bcrypt salts differ per call, and GC must see the registry's exact files
  const registry = registryFiles(input);
  return [
    databaseSpec(input),
    redisSpec(input),
    registrySpec(input, registry),
    registryctlSpec(input, registry),
    coreSpec(input),
    jobserviceSpec(input),
    scannerSpec(input),
    portalSpec(input),
    upstreamSpec(input),
  ];
}

export function specFor(specs: ComponentSpec[], component: OfficialSpecComponent): ComponentSpec {
  const spec = specs.find((s) => s.component === component);
  if (!spec) throw new Error(`no spec for ${component}`);
  return spec;
}

function base(input: OfficialSpecInput, component: OfficialSpecComponent, port: number): ComponentSpec {
  return {
    component,
    image: input.images[component],
    aliases: [ALIASES[component]],
    port,
    env: {},
    files: [],
    directories: [],
    wait: { kind: 'health-check' },
    startupTimeoutMs: 60_000,
  };
}

/** harbor-db: PostgreSQL 15, or 18 from v2.15.2 (its entrypoint upgrades a pg15 data dir; a fresh one is initialised as 18). */
function databaseSpec(input: OfficialSpecInput): ComponentSpec {
  return {
    ...base(input, 'database', DATABASE_PORT),
    // the image's initdb creates database `registry` itself (initial-registry.sql): POSTGRES_DB must stay unset
    env: { POSTGRES_PASSWORD: input.secrets.databasePassword },
    healthCheck: quickHealthCheck('/docker-healthcheck.sh'),
    wait: { kind: 'health-check' },
    startupTimeoutMs: 120_000,
    sharedMemoryBytes: 1024 ** 3,
  };
}

/** redis-photon, or valkey-photon from v2.15.2; both read the baked-in /etc/redis.conf (no password). */
function redisSpec(input: OfficialSpecInput): ComponentSpec {
  return {
    ...base(input, 'redis', REDIS_PORT),
    healthCheck: quickHealthCheck('docker-healthcheck'),
    startupTimeoutMs: 60_000,
  };
}

/** The registry's config and htpasswd: the same text the offline registry gets (one renderer). */
export function registryFiles(input: OfficialSpecInput): FileSpec[] {
  const config = renderHarborRegistryConfig({
    redisAddress: `${ALIASES.redis}:${REDIS_PORT}`,
    redisDb: REDIS_DB.registry,
    s3: input.s3,
    httpSecret: input.secrets.registryHttpSecret,
  });
  return [
    { target: REGISTRY_CONFIG_PATH, content: config, mode: 0o644 },
    {
      target: REGISTRY_PASSWD_PATH,
      content: htpasswdLine(REGISTRY_USERNAME, input.secrets.registryPassword),
      mode: 0o644,
    },
  ];
}

function registrySpec(input: OfficialSpecInput, files: FileSpec[]): ComponentSpec {
  return {
    ...base(input, 'registry', REGISTRY_PORT),
    files,
    // htpasswd auth: an anonymous /v2/ answers 401 once the registry serves with Harbor's config
    wait: { kind: 'http', path: '/v2/', port: REGISTRY_PORT, status: 401 },
  };
}

/** registryctl runs GC on the same storage, so it reads the registry's very files. */
function registryctlSpec(input: OfficialSpecInput, registryFiles: FileSpec[]): ComponentSpec {
  return {
    ...base(input, 'registryctl', HARBOR_PORT),
    env: { CORE_SECRET: input.secrets.coreSecret, JOBSERVICE_SECRET: input.secrets.jobserviceSecret },
    files: [{ target: '/etc/registryctl/config.yml', content: registryctlConfig(), mode: 0o644 }, ...registryFiles],
    wait: { kind: 'http', path: '/api/health', port: HARBOR_PORT, status: 200 },
  };
}

export function registryctlConfig(): string {
  return `---
protocol: "http"
port: ${HARBOR_PORT}
log_level: info
registry_config: "${REGISTRY_CONFIG_PATH}"
`;
}

export function coreAppConf(): string {
  return `appname = Harbor
runmode = prod
enablegzip = true

[prod]
httpport = ${HARBOR_PORT}
`;
}

export function coreEnv(input: OfficialSpecInput): Record<string, string> {
  const { secrets } = input;
  return {
    CONFIG_PATH: '/etc/core/app.conf',
    PORT: String(HARBOR_PORT),
    LOG_LEVEL: 'info',
    EXT_ENDPOINT: `http://127.0.0.1:${input.harborPort}`,
    DATABASE_TYPE: 'postgresql',
    POSTGRESQL_HOST: ALIASES.database,
    POSTGRESQL_PORT: String(DATABASE_PORT),
    POSTGRESQL_USERNAME: 'postgres',
    POSTGRESQL_PASSWORD: secrets.databasePassword,
    POSTGRESQL_DATABASE: 'registry',
    POSTGRESQL_SSLMODE: 'disable',
    POSTGRESQL_MAX_IDLE_CONNS: '100',
    POSTGRESQL_MAX_OPEN_CONNS: '900',
    POSTGRESQL_CONN_MAX_LIFETIME: '5m',
    POSTGRESQL_CONN_MAX_IDLE_TIME: '0',
    _REDIS_URL_CORE: redisUrl(REDIS_DB.core),
    _REDIS_URL_REG: redisUrl(REDIS_DB.registry),
    REGISTRY_URL: url('registry', REGISTRY_PORT),
    REGISTRY_CONTROLLER_URL: url('registryctl'),
    TOKEN_SERVICE_URL: `${url('core')}/service/token`,
    CORE_URL: url('core'),
    CORE_LOCAL_URL: `http://127.0.0.1:${HARBOR_PORT}`,
    JOBSERVICE_URL: url('jobservice'),
    PORTAL_URL: url('portal'),
    TRIVY_ADAPTER_URL: url('scanner'),
    WITH_TRIVY: 'true',
    CORE_SECRET: secrets.coreSecret,
    JOBSERVICE_SECRET: secrets.jobserviceSecret,
    REGISTRY_CREDENTIAL_USERNAME: REGISTRY_USERNAME,
    REGISTRY_CREDENTIAL_PASSWORD: secrets.registryPassword,
    CSRF_KEY: secrets.csrfKey,
    HARBOR_ADMIN_PASSWORD: secrets.adminPassword,
    ROBOT_SCANNER_NAME_PREFIX: secrets.scanRobotPrefix,
    REGISTRY_STORAGE_PROVIDER_NAME: 's3',
    MAX_JOB_WORKERS: '10',
    READ_ONLY: 'false',
    ...input.release.coreVersionEnv,
    // test knobs Harbor's own CI sets: GC keeps no young blobs, executions refresh every 5 s (not 30 s)
    GC_TIME_WINDOW_HOURS: '0',
    EXECUTION_STATUS_REFRESH_INTERVAL_SECONDS: '5',
  };
}

/** Core is published straight on 127.0.0.1:<harborPort>, as Helm's ingress mode routes /api, /v2, /service and /c to it. */
function coreSpec(input: OfficialSpecInput): ComponentSpec {
  return {
    ...base(input, 'core', HARBOR_PORT),
    hostPort: input.harborPort,
    env: coreEnv(input),
    files: [
      { target: '/etc/core/app.conf', content: coreAppConf(), mode: 0o644 },
      { target: '/etc/core/private_key.pem', content: input.secrets.tokenPrivateKeyPem, mode: 0o644 },
      { target: '/etc/core/key', content: input.secrets.secretKey, mode: 0o644 },
    ],
    wait: { kind: 'http', path: '/api/v2.0/ping', port: HARBOR_PORT, status: 200, bodyIncludes: 'Pong' },
    // waits up to 1 min each for Redis and PostgreSQL, then runs the schema migrations
    startupTimeoutMs: 300_000,
  };
}

export function jobserviceConfig(): string {
  return `---
protocol: "http"
port: ${HARBOR_PORT}
worker_pool:
  workers: 10
  backend: "redis"
  redis_pool:
    redis_url: ${redisUrl(REDIS_DB.jobservice)}
    namespace: "harbor_job_service_namespace"
    idle_timeout_second: 3600
job_loggers:
  - name: "STD_OUTPUT"
    level: "INFO"
  - name: "FILE"
    level: "INFO"
    settings:
      base_dir: "/var/log/jobs"
    sweeper:
      duration: 1
      settings:
        work_dir: "/var/log/jobs"
loggers:
  - name: "STD_OUTPUT"
    level: "INFO"
reaper:
  max_update_hours: 24
  max_dangling_hours: 168
max_retrieve_size_mb: 10
`;
}

/** Started once core answers ping: it loads its configuration from core and exits if core is not up. */
function jobserviceSpec(input: OfficialSpecInput): ComponentSpec {
  const { secrets } = input;
  return {
    ...base(input, 'jobservice', HARBOR_PORT),
    env: {
      CORE_SECRET: secrets.coreSecret,
      JOBSERVICE_SECRET: secrets.jobserviceSecret,
      CORE_URL: url('core'),
      REGISTRY_URL: url('registry', REGISTRY_PORT),
      REGISTRY_CONTROLLER_URL: url('registryctl'),
      REGISTRY_CREDENTIAL_USERNAME: REGISTRY_USERNAME,
      REGISTRY_CREDENTIAL_PASSWORD: secrets.registryPassword,
      JOBSERVICE_WEBHOOK_JOB_MAX_RETRY: '3',
      JOBSERVICE_WEBHOOK_JOB_HTTP_CLIENT_TIMEOUT: '3',
      LOG_LEVEL: 'info',
    },
    files: [{ target: '/etc/jobservice/config.yml', content: jobserviceConfig(), mode: 0o644 }],
    wait: { kind: 'http', path: '/api/v1/stats', port: HARBOR_PORT, status: 200 },
    startupTimeoutMs: 120_000,
  };
}

export function trivyAdapterEnv(trivy: TrivySettings): Record<string, string> {
  const redis = redisUrl(REDIS_DB.trivy);
  return {
    SCANNER_LOG_LEVEL: 'info',
    SCANNER_API_SERVER_ADDR: `:${HARBOR_PORT}`,
    SCANNER_REDIS_URL: redis,
    SCANNER_STORE_REDIS_URL: redis,
    SCANNER_STORE_REDIS_NAMESPACE: 'harbor.scanner.trivy:store',
    SCANNER_JOB_QUEUE_REDIS_URL: redis,
    SCANNER_JOB_QUEUE_REDIS_NAMESPACE: 'harbor.scanner.trivy:job-queue',
    SCANNER_TRIVY_CACHE_DIR: TRIVY_CACHE_DIR,
    SCANNER_TRIVY_REPORTS_DIR: TRIVY_REPORTS_DIR,
    SCANNER_TRIVY_VULN_TYPE: 'os,library',
    SCANNER_TRIVY_SEVERITY: 'UNKNOWN,LOW,MEDIUM,HIGH,CRITICAL',
    SCANNER_TRIVY_SECURITY_CHECKS: 'vuln',
    SCANNER_TRIVY_IGNORE_UNFIXED: 'false',
    SCANNER_TRIVY_SKIP_UPDATE: String(trivy.skipUpdate),
    SCANNER_TRIVY_SKIP_JAVA_DB_UPDATE: String(trivy.skipJavaDbUpdate),
    SCANNER_TRIVY_DB_REPOSITORY: trivy.dbRepositories.join(','),
    SCANNER_TRIVY_JAVA_DB_REPOSITORY: trivy.javaDbRepositories.join(','),
    SCANNER_TRIVY_OFFLINE_SCAN: String(trivy.offlineScan),
    SCANNER_TRIVY_INSECURE: 'false',
    SCANNER_TRIVY_TIMEOUT: '5m0s',
  };
}

/**
 * The adapter answers /probe/ready and /probe/healthy with 200 whatever its state: the container is
 * "started" when it serves, and the environment then waits for the DB property in /api/v1/metadata.
 */
function scannerSpec(input: OfficialSpecInput): ComponentSpec {
  return {
    ...base(input, 'scanner', HARBOR_PORT),
    env: trivyAdapterEnv(input.trivy),
    directories: input.trivy.seededDbDir ? [{ source: input.trivy.seededDbDir, target: TRIVY_CACHE_DIR }] : [],
    wait: { kind: 'http', path: '/api/v1/metadata', port: HARBOR_PORT, status: 200 },
  };
}

export function portalNginxConf(): string {
  return `worker_processes auto;
pid /tmp/nginx.pid;
events {
    worker_connections 1024;
}
http {
    client_body_temp_path /tmp/client_body_temp;
    proxy_temp_path /tmp/proxy_temp;
    fastcgi_temp_path /tmp/fastcgi_temp;
    uwsgi_temp_path /tmp/uwsgi_temp;
    scgi_temp_path /tmp/scgi_temp;
    server {
        listen ${HARBOR_PORT};
        server_name localhost;
        root /usr/share/nginx/html;
        index index.html index.htm;
        include /etc/nginx/mime.types;
        location /devcenter-api-2.0 {
            try_files $uri $uri/ /swagger-ui-index.html;
        }
        location / {
            try_files $uri $uri/ /index.html;
        }
        location = /index.html {
            add_header Cache-Control "no-store, no-cache, must-revalidate";
        }
    }
}
`;
}

/** Optional for API suites; without it /api/v2.0/health never reports healthy. */
function portalSpec(input: OfficialSpecInput): ComponentSpec {
  return {
    ...base(input, 'portal', HARBOR_PORT),
    files: [{ target: '/etc/nginx/nginx.conf', content: portalNginxConf(), mode: 0o644 }],
    wait: { kind: 'http', path: '/', port: HARBOR_PORT, status: 200 },
  };
}

export function upstreamRegistryConfig(httpSecret: string): string {
  return `version: 0.1
log:
  level: info
  fields:
    service: upstream
storage:
  filesystem:
    rootdirectory: /storage
  delete:
    enabled: true
http:
  addr: :${REGISTRY_PORT}
  secret: ${httpSecret}
`;
}

/** A plain registry (no auth, filesystem) beside Harbor: proxy-cache upstream and replication target. Same image as the registry. */
function upstreamSpec(input: OfficialSpecInput): ComponentSpec {
  return {
    ...base(input, 'upstream', REGISTRY_PORT),
    files: [{ target: REGISTRY_CONFIG_PATH, content: upstreamRegistryConfig(input.upstreamHttpSecret), mode: 0o644 }],
    wait: { kind: 'http', path: '/v2/', port: REGISTRY_PORT, status: 200 },
  };
}

/** One log-safe line per spec: names, image, aliases and env keys, never a value. */
export function describeSpec(spec: ComponentSpec): string {
  return `${spec.component}: ${spec.image} as ${spec.aliases.join(',')}, env ${Object.keys(spec.env).length} vars, ${spec.files.length} files`;
}
