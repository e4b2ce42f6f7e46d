import bcrypt from 'bcryptjs';
import { describe, expect, test } from 'vitest';
import {
  REGISTRY_CONFIG_PATH,
  REGISTRY_PASSWD_PATH,
  renderHarborRegistryConfig,
} from '../offline/harbor-registry-config.ts';
import { harborRelease } from './harbor-release.ts';
import {
  DEFAULT_TRIVY_DB_REPOSITORIES,
  TRIVY_CACHE_DIR,
  describeSpec,
  officialComponentSpecs,
  specFor,
  trivySettings,
  type ComponentSpec,
  type OfficialSpecComponent,
  type OfficialSpecInput,
} from './official-component-specs.ts';
import { wantedImages } from './official-environment.ts';
import { generateOfficialSecrets, secretValues, type OfficialSecrets } from './official-secrets.ts';

// one RSA key generation for the whole file (4096-bit takes a moment)
const secrets: OfficialSecrets = await generateOfficialSecrets();
const s3 = {
  regionEndpoint: 'http://minio:9000',
  region: 'us-east-1',
  accessKey: 'hcAccessKey0123',
  secretKey: 'S3cretKeyS3cretKeyS3cretKey01234',
  bucket: 'harbor',
};

function specsFor(version: string, overrides: Partial<OfficialSpecInput> = {}): ComponentSpec[] {
  const release = harborRelease(version);
  const images = Object.fromEntries(
    wantedImages(release, 'ghcr.io/goharbor', 'minio/minio:test', true).map((w) => [w.component, w.image]),
  ) as Record<OfficialSpecComponent, string>;
  images.upstream = images.registry;
  return officialComponentSpecs({
    release,
    images,
    secrets,
    harborPort: 49321,
    s3,
    trivy: trivySettings(),
    upstreamHttpSecret: 'upstreamsecretupstreamsecret0123',
    ...overrides,
  });
}

const expectedImages = {
  'v2.15.2': {
    core: 'ghcr.io/goharbor/harbor-core:v2.15.2',
    jobservice: 'ghcr.io/goharbor/harbor-jobservice:v2.15.2',
    registry: 'ghcr.io/goharbor/registry-photon:v2.15.2',
    registryctl: 'ghcr.io/goharbor/harbor-registryctl:v2.15.2',
    database: 'ghcr.io/goharbor/harbor-db:v2.15.2',
    redis: 'ghcr.io/goharbor/valkey-photon:v2.15.2',
    scanner: 'ghcr.io/goharbor/trivy-adapter-photon:v2.15.2',
    portal: 'ghcr.io/goharbor/harbor-portal:v2.15.2',
    upstream: 'ghcr.io/goharbor/registry-photon:v2.15.2',
  },
  'v2.14.4': {
    core: 'ghcr.io/goharbor/harbor-core:v2.14.4',
    jobservice: 'ghcr.io/goharbor/harbor-jobservice:v2.14.4',
    registry: 'ghcr.io/goharbor/registry-photon:v2.14.4',
    registryctl: 'ghcr.io/goharbor/harbor-registryctl:v2.14.4',
    database: 'ghcr.io/goharbor/harbor-db:v2.14.4',
    redis: 'ghcr.io/goharbor/redis-photon:v2.14.4',
    scanner: 'ghcr.io/goharbor/trivy-adapter-photon:v2.14.4',
    portal: 'ghcr.io/goharbor/harbor-portal:v2.14.4',
    upstream: 'ghcr.io/goharbor/registry-photon:v2.14.4',
  },
} as const;

const expectedAliases: Record<OfficialSpecComponent, string> = {
  core: 'core',
  jobservice: 'jobservice',
  registry: 'registry',
  registryctl: 'registryctl',
  database: 'postgresql',
  redis: 'redis',
  scanner: 'trivy-adapter',
  portal: 'portal',
  upstream: 'upstream',
};

const file = (spec: ComponentSpec, target: string) => spec.files.find((f) => f.target === target)?.content;

describe.each(['v2.15.2', 'v2.14.4'] as const)('Harbor %s', (version) => {
  const specs = specsFor(version);
  const spec = (component: OfficialSpecComponent) => specFor(specs, component);

  test('one container per component, with the release images and the aliases peers expect', () => {
    expect(Object.fromEntries(specs.map((s) => [s.component, s.image]))).toEqual(expectedImages[version]);
    expect(Object.fromEntries(specs.map((s) => [s.component, s.aliases]))).toEqual(
      Object.fromEntries(Object.entries(expectedAliases).map(([c, a]) => [c, [a]])),
    );
  });

  test('core: hand-written env, app.conf, token key and secret key; published on the Harbor port', () => {
    const core = spec('core');
    expect(core.hostPort).toBe(49321);
    expect(core.env).toMatchObject({
      CONFIG_PATH: '/etc/core/app.conf',
      PORT: '8080',
      EXT_ENDPOINT: 'http://127.0.0.1:49321',
      DATABASE_TYPE: 'postgresql',
      POSTGRESQL_HOST: 'postgresql',
      POSTGRESQL_PORT: '5432',
      POSTGRESQL_USERNAME: 'postgres',
      POSTGRESQL_PASSWORD: secrets.databasePassword,
      POSTGRESQL_DATABASE: 'registry',
      POSTGRESQL_SSLMODE: 'disable',
      _REDIS_URL_CORE: 'redis://redis:6379?idle_timeout_seconds=30',
      _REDIS_URL_REG: 'redis://redis:6379/1?idle_timeout_seconds=30',
      REGISTRY_URL: 'http://registry:5000',
      REGISTRY_CONTROLLER_URL: 'http://registryctl:8080',
      TOKEN_SERVICE_URL: 'http://core:8080/service/token',
      CORE_URL: 'http://core:8080',
      CORE_LOCAL_URL: 'http://127.0.0.1:8080',
      JOBSERVICE_URL: 'http://jobservice:8080',
      PORTAL_URL: 'http://portal:8080',
      TRIVY_ADAPTER_URL: 'http://trivy-adapter:8080',
      WITH_TRIVY: 'true',
      CORE_SECRET: secrets.coreSecret,
      JOBSERVICE_SECRET: secrets.jobserviceSecret,
      REGISTRY_CREDENTIAL_USERNAME: 'harbor_registry_user',
      REGISTRY_CREDENTIAL_PASSWORD: secrets.registryPassword,
      CSRF_KEY: secrets.csrfKey,
      HARBOR_ADMIN_PASSWORD: secrets.adminPassword,
      ROBOT_SCANNER_NAME_PREFIX: secrets.scanRobotPrefix,
      REGISTRY_STORAGE_PROVIDER_NAME: 's3',
      READ_ONLY: 'false',
      PERMITTED_REGISTRY_TYPES_FOR_PROXY_CACHE:
        'docker-hub,harbor,azure-acr,ali-acr,aws-ecr,google-gcr,docker-registry,github-ghcr,jfrog-artifactory',
      REPLICATION_ADAPTER_WHITELIST:
        'ali-acr,aws-ecr,azure-acr,docker-hub,docker-registry,github-ghcr,google-gcr,harbor,huawei-SWR,jfrog-artifactory,tencent-tcr,volcengine-cr',
      GC_TIME_WINDOW_HOURS: '0',
      EXECUTION_STATUS_REFRESH_INTERVAL_SECONDS: '5',
    });
    // 2.15 dropped SYNC_QUOTA from the template
    expect(core.env.SYNC_QUOTA).toBe(version === 'v2.14.4' ? 'true' : undefined);
    expect(core.env.CSRF_KEY).toHaveLength(32);
    expect(file(core, '/etc/core/app.conf')).toMatch(
      /appname = Harbor\nrunmode = prod\nenablegzip = true\n\n\[prod\]\nhttpport = 8080\n/,
    );
    expect(file(core, '/etc/core/key')).toBe(secrets.secretKey);
    expect(file(core, '/etc/core/key')).toHaveLength(16);
    expect(file(core, '/etc/core/private_key.pem')).toMatch(/^-----BEGIN RSA PRIVATE [A-Z]+-----\n/); // PKCS #1, as prepare writes it
    expect(core.wait).toEqual({ kind: 'http', path: '/api/v2.0/ping', port: 8080, status: 200, bodyIncludes: 'Pong' });
  });

  test('jobservice: env and config.yml wired to the same secrets, queue on redis db 2, waits on /api/v1/stats', () => {
    const jobservice = spec('jobservice');
    expect(jobservice.env).toEqual({
      CORE_SECRET: secrets.coreSecret,
      JOBSERVICE_SECRET: secrets.jobserviceSecret,
      CORE_URL: 'http://core:8080',
      REGISTRY_URL: 'http://registry:5000',
      REGISTRY_CONTROLLER_URL: 'http://registryctl:8080',
      REGISTRY_CREDENTIAL_USERNAME: 'harbor_registry_user',
      REGISTRY_CREDENTIAL_PASSWORD: secrets.registryPassword,
      JOBSERVICE_WEBHOOK_JOB_MAX_RETRY: '3',
      JOBSERVICE_WEBHOOK_JOB_HTTP_CLIENT_TIMEOUT: '3',
      LOG_LEVEL: 'info',
    });
    const config = file(jobservice, '/etc/jobservice/config.yml') ?? '';
    expect(config).toContain('redis_url: redis://redis:6379/2?idle_timeout_seconds=30');
    expect(config).toContain('base_dir: "/var/log/jobs"');
    expect(config).toMatch(/port: 8080\n/);
    expect(jobservice.wait).toEqual({ kind: 'http', path: '/api/v1/stats', port: 8080, status: 200 });
  });

  test("registry: Harbor's config (htpasswd bcrypt, redis cache, s3 on MinIO, redirect off), the same text the offline registry gets", async () => {
    const registry = spec('registry');
    const config = file(registry, REGISTRY_CONFIG_PATH) ?? '';
    expect(config).toBe(
      renderHarborRegistryConfig({
        redisAddress: 'redis:6379',
        redisDb: 1,
        s3,
        httpSecret: secrets.registryHttpSecret,
      }),
    );
    for (const line of [
      'layerinfo: redis',
      'regionendpoint: http://minio:9000',
      'bucket: harbor',
      'secure: false',
      'redirect:\n    disable: true',
      'realm: harbor-registry-basic-realm',
      'path: /etc/registry/passwd',
      'addr: redis:6379',
      'db: 1',
    ]) {
      expect(config).toContain(line);
    }
    const passwd = file(registry, REGISTRY_PASSWD_PATH) ?? '';
    const [user, hash] = passwd.trim().split(':');
    expect(user).toBe('harbor_registry_user');
    expect(hash, "cost 5, as Harbor's prepare (htpasswd -bcB)").toMatch(/^\$2[aby]\$05\$/);
    expect(await bcrypt.compare(secrets.registryPassword, hash ?? '')).toBe(true);
    expect(registry.wait).toEqual({ kind: 'http', path: '/v2/', port: 5000, status: 401 });
  });

  test('registryctl: its config.yml, the very registry files, and the core/jobservice secrets', () => {
    const registryctl = spec('registryctl');
    expect(registryctl.env).toEqual({ CORE_SECRET: secrets.coreSecret, JOBSERVICE_SECRET: secrets.jobserviceSecret });
    expect(file(registryctl, '/etc/registryctl/config.yml')).toContain('registry_config: "/etc/registry/config.yml"');
    expect(file(registryctl, REGISTRY_CONFIG_PATH)).toBe(file(spec('registry'), REGISTRY_CONFIG_PATH));
    expect(file(registryctl, REGISTRY_PASSWD_PATH)).toBe(file(spec('registry'), REGISTRY_PASSWD_PATH));
    expect(registryctl.wait).toEqual({ kind: 'http', path: '/api/health', port: 8080, status: 200 });
  });

  test('harbor-db and redis: only the password, 1 GiB shm, and their own health checks re-declared with a 1 s interval', () => {
    const database = spec('database');
    // harbor-db's initdb creates `registry` itself; POSTGRES_DB=registry would make its init script fail
    expect(database.env).toEqual({ POSTGRES_PASSWORD: secrets.databasePassword });
    expect(database.sharedMemoryBytes).toBe(1024 ** 3);
    expect(database.healthCheck).toMatchObject({ test: ['CMD', '/docker-healthcheck.sh'], interval: 1_000 });
    expect(spec('redis').healthCheck).toMatchObject({ test: ['CMD', 'docker-healthcheck'], interval: 1_000 });
    expect(harborRelease(version).postgresMajor).toBe(version === 'v2.15.2' ? 18 : 15);
  });

  test('trivy-adapter: SCANNER_* env with the DB repository list and skip-update options; started on metadata, not /probe/ready', () => {
    const scanner = spec('scanner');
    expect(scanner.env).toMatchObject({
      SCANNER_REDIS_URL: 'redis://redis:6379/5?idle_timeout_seconds=30',
      SCANNER_STORE_REDIS_NAMESPACE: 'harbor.scanner.trivy:store',
      SCANNER_JOB_QUEUE_REDIS_NAMESPACE: 'harbor.scanner.trivy:job-queue',
      SCANNER_TRIVY_CACHE_DIR: TRIVY_CACHE_DIR,
      SCANNER_TRIVY_REPORTS_DIR: '/home/scanner/.cache/reports',
      SCANNER_TRIVY_SKIP_UPDATE: 'false',
      SCANNER_TRIVY_SKIP_JAVA_DB_UPDATE: 'false',
      SCANNER_TRIVY_OFFLINE_SCAN: 'false',
      SCANNER_TRIVY_DB_REPOSITORY: 'mirror.gcr.io/aquasec/trivy-db,ghcr.io/aquasecurity/trivy-db',
      SCANNER_TRIVY_JAVA_DB_REPOSITORY: 'mirror.gcr.io/aquasec/trivy-java-db,ghcr.io/aquasecurity/trivy-java-db',
    });
    expect(scanner.directories).toEqual([]);
    expect(scanner.wait).toMatchObject({ kind: 'http', path: '/api/v1/metadata' });
  });

  test('no component waits on an image HEALTHCHECK at its 30 s default interval', () => {
    for (const s of specs) {
      if (s.wait.kind === 'health-check') expect(s.healthCheck?.interval, s.component).toBeLessThanOrEqual(2_000);
      else expect(s.wait.path, s.component).not.toMatch(/^\/probe\//);
    }
  });
});

test('a pre-seeded Trivy DB is copied into the cache and switches updates off', () => {
  const scanner = specFor(
    specsFor('v2.15.2', { trivy: trivySettings({ seededDbDir: '/srv/trivy-cache' }) }),
    'scanner',
  );
  expect(scanner.directories).toEqual([{ source: '/srv/trivy-cache', target: TRIVY_CACHE_DIR }]);
  expect(scanner.env).toMatchObject({
    SCANNER_TRIVY_SKIP_UPDATE: 'true',
    SCANNER_TRIVY_SKIP_JAVA_DB_UPDATE: 'true',
    SCANNER_TRIVY_OFFLINE_SCAN: 'true',
  });
  expect(trivySettings({ dbRepositories: ['mirror.example/trivy-db'] }).dbRepositories).toEqual([
    'mirror.example/trivy-db',
  ]);
  expect(trivySettings().dbRepositories).toEqual(DEFAULT_TRIVY_DB_REPOSITORIES);
});

test('secrets are random per run, have the lengths Harbor checks, and never reach a spec description', async () => {
  const other = await generateOfficialSecrets();
  for (const key of Object.keys(secrets) as Array<keyof OfficialSecrets>)
    expect(other[key], key).not.toBe(secrets[key]);
  expect([secrets.coreSecret, secrets.jobserviceSecret, secrets.secretKey].map((s) => s.length)).toEqual([16, 16, 16]);
  expect(secrets.csrfKey).toHaveLength(32);
  expect(secrets.scanRobotPrefix).toHaveLength(8);
  const lines = specsFor('v2.15.2').map(describeSpec).join('\n');
  for (const value of secretValues(secrets)) expect(lines).not.toContain(value);
  expect(lines).not.toContain(s3.secretKey);
});
