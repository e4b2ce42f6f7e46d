// The Harbor double (aliases `core` and `jobservice`, port 8080): the stand-in for harbor-core and
// harbor-jobservice, configured with harbor-core's environment variables (../../notes contract).
import { AbstractStartedContainer, GenericContainer, type StartedTestContainer, Wait } from 'testcontainers';
import { randomSecret } from './random-secret.ts';

export const CORE_ALIAS = 'core';
export const JOBSERVICE_ALIAS = 'jobservice';
export const CORE_PORT = 8080;
export const TOKEN_PRIVATE_KEY_PATH = '/etc/core/private_key.pem';

export interface DoubleDatabase {
  host: string;
  port: number;
  username: string;
  password: string;
  database: string;
}

export class HarborDoubleContainer extends GenericContainer {
  private adminPassword = randomSecret(20);
  private tokenPrivateKeyPem: string | undefined;
  private hostPort: number | undefined;

  constructor(image: string) {
    super(image);
    this.withNetworkAliases(CORE_ALIAS, JOBSERVICE_ALIAS)
      .withEnvironment({
        PORT: String(CORE_PORT),
        CORE_URL: `http://${CORE_ALIAS}:${CORE_PORT}`,
        JOBSERVICE_URL: `http://${JOBSERVICE_ALIAS}:${CORE_PORT}`,
        POSTGRESQL_SSLMODE: 'disable',
        CORE_SECRET: randomSecret(16),
        JOBSERVICE_SECRET: randomSecret(16),
        TOKEN_PRIVATE_KEY_PATH,
        HARBOR_DOUBLE_FAULT_PROFILE: '',
        // Proxy-cache fill rounds of 50 ms instead of Harbor's 20 s (proxy/cache-fill.ts): same conditions, sooner.
        HARBOR_DOUBLE_PROXY_CACHE_INTERVAL_MS: '50',
      })
      // first start runs the schema migrations
      .withStartupTimeout(120_000)
      .withWaitStrategy(
        Wait.forHttp('/api/v2.0/ping', CORE_PORT, { abortOnContainerExit: true })
          .forStatusCode(200)
          .forResponsePredicate((body) => body.includes('Pong')),
      );
  }

  /**
   * Publishes 8080 on this host port and sets EXT_ENDPOINT to it: harbor-core derives the token
   * realm's scheme from EXT_ENDPOINT, so it has to be known before the container starts.
   */
  withHostPort(port: number): this {
    this.hostPort = port;
    this.withExposedPorts({ container: CORE_PORT, host: port });
    return this.withEnvironment({ EXT_ENDPOINT: `http://127.0.0.1:${port}` });
  }

  withDatabase(db: DoubleDatabase): this {
    return this.withEnvironment({
      POSTGRESQL_HOST: db.host,
      POSTGRESQL_PORT: String(db.port),
      POSTGRESQL_USERNAME: db.username,
      POSTGRESQL_PASSWORD: db.password,
      POSTGRESQL_DATABASE: db.database,
    });
  }

  /** _REDIS_URL_CORE, e.g. redis://redis:6379?idle_timeout_seconds=30 */
  withRedisUrl(url: string): this {
    return this.withEnvironment({ _REDIS_URL_CORE: url });
  }

  withRegistry(url: string, username: string, password: string): this {
    return this.withEnvironment({
      REGISTRY_URL: url,
      REGISTRY_CREDENTIAL_USERNAME: username,
      REGISTRY_CREDENTIAL_PASSWORD: password,
    });
  }

  /**
   * The registry's S3 storage (distribution's REGISTRY_STORAGE_S3_* names) and its Redis (_REDIS_URL_REG), as
   * Harbor's registryctl and GC job get them: garbage collection deletes from that storage and empties that cache.
   */
  withRegistryStorage(
    s3: { regionEndpoint: string; region: string; accessKey: string; secretKey: string; bucket: string },
    registryRedisUrl: string,
  ): this {
    return this.withEnvironment({
      REGISTRY_STORAGE_S3_REGIONENDPOINT: s3.regionEndpoint,
      REGISTRY_STORAGE_S3_REGION: s3.region,
      REGISTRY_STORAGE_S3_ACCESSKEY: s3.accessKey,
      REGISTRY_STORAGE_S3_SECRETKEY: s3.secretKey,
      REGISTRY_STORAGE_S3_BUCKET: s3.bucket,
      _REDIS_URL_REG: registryRedisUrl,
    });
  }

  withRegistryStorageProvider(name: 's3' | 'filesystem'): this {
    return this.withEnvironment({ REGISTRY_STORAGE_PROVIDER_NAME: name });
  }

  /** HARBOR_ADMIN_PASSWORD: applied on the first start only, as Harbor does. */
  withAdminPassword(password: string): this {
    this.adminPassword = password;
    return this;
  }

  /** RSA private key (PEM) that signs registry tokens. */
  withTokenPrivateKey(pem: string): this {
    this.tokenPrivateKeyPem = pem;
    return this;
  }

  withScanner(url: string): this {
    return this.withEnvironment({ WITH_TRIVY: 'true', TRIVY_ADAPTER_URL: url });
  }

  withFaultProfile(profile: string | undefined): this {
    return this.withEnvironment({ HARBOR_DOUBLE_FAULT_PROFILE: profile ?? '' });
  }

  /** Test-only: the fault control endpoint with this bearer token (off when undefined). */
  withFaultControl(token: string | undefined): this {
    return token ? this.withEnvironment({ HARBOR_DOUBLE_FAULT_CONTROL_TOKEN: token }) : this;
  }

  /** Test-only: the artifact clock (PUT /_double/clock/artifacts) with this bearer token (off when undefined). */
  withTestClock(token: string | undefined): this {
    return token ? this.withEnvironment({ HARBOR_DOUBLE_TEST_CLOCK_TOKEN: token }) : this;
  }

  /** HARBOR_DOUBLE_HARBOR_VERSION: the Harbor release the double emulates (default its newest, v2.15.3). */
  withHarborVersion(version: string | undefined): this {
    return version ? this.withEnvironment({ HARBOR_DOUBLE_HARBOR_VERSION: version }) : this;
  }

  withVersionLabel(label: string): this {
    return this.withEnvironment({ HARBOR_DOUBLE_VERSION_LABEL: label });
  }

  override async start(): Promise<StartedHarborDoubleContainer> {
    if (!this.tokenPrivateKeyPem)
      throw new Error('HarborDoubleContainer needs withTokenPrivateKey(...) before start()');
    if (this.hostPort === undefined) this.withExposedPorts(CORE_PORT);
    this.withEnvironment({ HARBOR_ADMIN_PASSWORD: this.adminPassword });
    this.withCopyContentToContainer([
      { content: this.tokenPrivateKeyPem, target: TOKEN_PRIVATE_KEY_PATH, mode: 0o644 },
    ]);
    return new StartedHarborDoubleContainer(await super.start(), this.adminPassword);
  }
}

export class StartedHarborDoubleContainer extends AbstractStartedContainer {
  private readonly adminPassword: string;

  constructor(started: StartedTestContainer, adminPassword: string) {
    super(started);
    this.adminPassword = adminPassword;
  }

  /** Harbor's URL as the harness reaches it, e.g. http://127.0.0.1:49153 */
  getUrl(): string {
    return `http://${this.getRegistryHost()}`;
  }

  /**
   * host:port for docker/skopeo. Every Started… getter of the offline stack says 127.0.0.1 rather than
   * testcontainers' getHost(), on purpose: the docker daemon pulls over plain HTTP only from registries it
   * deems insecure, and 127.0.0.0/8 is insecure by default (no daemon.json change on the machine); the same
   * string must appear in EXT_ENDPOINT (Harbor's token realm) and in image references; and getHost() may say
   * `localhost`, which resolves to ::1 first while ports are published on IPv4. The offline stack therefore
   * needs a local Docker engine.
   */
  getRegistryHost(): string {
    return `127.0.0.1:${this.getMappedPort(CORE_PORT)}`;
  }

  getAdminPassword(): string {
    return this.adminPassword;
  }

  /**
   * The double under its second network name, as a replication peer of type `harbor`: not CORE_URL, so Harbor's
   * adapter treats it as a remote Harbor (basic auth, token service) rather than as Local.
   */
  getPeerUrl(): string {
    return `http://${JOBSERVICE_ALIAS}:${CORE_PORT}`;
  }
}
