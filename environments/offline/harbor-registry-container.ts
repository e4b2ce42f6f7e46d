// Harbor's registry (alias `registry`): distribution with Harbor's config, reached by core with the
// registry credential. The offline image is Debian's docker-registry; goharbor/registry-photon reads
// the same /etc/registry files.
import { GenericContainer, type StartedTestContainer, AbstractStartedContainer, Wait } from 'testcontainers';
import {
  REGISTRY_CONFIG_PATH,
  REGISTRY_PASSWD_PATH,
  htpasswdLine,
  renderHarborRegistryConfig,
  type HarborRegistryS3,
} from './harbor-registry-config.ts';
import { randomSecret } from './random-secret.ts';

export const REGISTRY_ALIAS = 'registry';
export const REGISTRY_PORT = 5000;
export const REGISTRY_USERNAME = 'harbor_registry_user';

export class HarborRegistryContainer extends GenericContainer {
  private username = REGISTRY_USERNAME;
  private password = randomSecret(32);
  private redisAddress = 'redis:6379';
  private redisDb = 1;
  private s3: HarborRegistryS3 | undefined;

  constructor(image: string) {
    super(image);
    this.withExposedPorts(REGISTRY_PORT)
      .withNetworkAliases(REGISTRY_ALIAS)
      .withStartupTimeout(60_000)
      // htpasswd auth: an anonymous /v2/ answers 401 once the registry serves
      .withWaitStrategy(Wait.forHttp('/v2/', REGISTRY_PORT, { abortOnContainerExit: true }).forStatusCode(401));
  }

  /** The credential core uses (REGISTRY_CREDENTIAL_USERNAME / _PASSWORD). */
  withCredential(username: string, password: string): this {
    this.username = username;
    this.password = password;
    return this;
  }

  /** Redis for the layer-info cache (Harbor: db 1). */
  withRedis(address: string, db = 1): this {
    this.redisAddress = address;
    this.redisDb = db;
    return this;
  }

  withS3Storage(s3: HarborRegistryS3): this {
    this.s3 = s3;
    return this;
  }

  override async start(): Promise<StartedHarborRegistryContainer> {
    if (!this.s3) throw new Error('HarborRegistryContainer needs withS3Storage(...) before start()');
    const config = renderHarborRegistryConfig({
      redisAddress: this.redisAddress,
      redisDb: this.redisDb,
      s3: this.s3,
      httpSecret: randomSecret(32),
    });
    this.withCopyContentToContainer([
      { content: config, target: REGISTRY_CONFIG_PATH, mode: 0o644 },
      { content: htpasswdLine(this.username, this.password), target: REGISTRY_PASSWD_PATH, mode: 0o644 },
    ]);
    return new StartedHarborRegistryContainer(await super.start(), this.username, this.password);
  }
}

export class StartedHarborRegistryContainer extends AbstractStartedContainer {
  private readonly username: string;
  private readonly password: string;

  constructor(started: StartedTestContainer, username: string, password: string) {
    super(started);
    this.username = username;
    this.password = password;
  }

  /** URL as the harness reaches it (basic auth with the credential), e.g. http://127.0.0.1:49160 */
  getUrl(): string {
    return `http://127.0.0.1:${this.getMappedPort(REGISTRY_PORT)}`;
  }

  /** URL on the run's network, core's REGISTRY_URL. */
  getInternalUrl(): string {
    return `http://${REGISTRY_ALIAS}:${REGISTRY_PORT}`;
  }

  getUsername(): string {
    return this.username;
  }

  getPassword(): string {
    return this.password;
  }
}
