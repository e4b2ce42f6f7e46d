// A plain OCI registry beside Harbor (alias `upstream`): no auth, filesystem storage. It is the
// upstream of proxy-cache projects and the target of replication. Offline: Debian's docker-registry
// with the image's default config; registry:2 behaves the same. The same class runs the second peer,
// distribution v3 (alias `upstream-v3`).
import { AbstractStartedContainer, GenericContainer, Wait } from 'testcontainers';

export const UPSTREAM_ALIAS = 'upstream';
/** The second peer, CNCF distribution v3 (images/registry-v3). */
export const UPSTREAM_V3_ALIAS = 'upstream-v3';
export const UPSTREAM_PORT = 5000;

export class PlainRegistryContainer extends GenericContainer {
  private readonly alias: string;

  /**
   * `hostPort`: publish on this fixed host port, so a container stopped and started again (the proxy-cache
   * suite's outage) keeps the address the Target gave out.
   */
  constructor(image: string, alias: string = UPSTREAM_ALIAS, hostPort?: number) {
    super(image);
    this.alias = alias;
    this.withExposedPorts(hostPort ? { container: UPSTREAM_PORT, host: hostPort } : UPSTREAM_PORT)
      .withNetworkAliases(alias)
      .withStartupTimeout(60_000)
      .withWaitStrategy(Wait.forHttp('/v2/', UPSTREAM_PORT, { abortOnContainerExit: true }).forStatusCode(200));
  }

  override async start(): Promise<StartedPlainRegistryContainer> {
    return new StartedPlainRegistryContainer(await super.start(), this.alias);
  }
}

export class StartedPlainRegistryContainer extends AbstractStartedContainer {
  private readonly alias: string;

  constructor(started: ConstructorParameters<typeof AbstractStartedContainer>[0], alias: string = UPSTREAM_ALIAS) {
    super(started);
    this.alias = alias;
  }

  /** URL as the harness reaches it, e.g. http://127.0.0.1:49161 */
  getUrl(): string {
    return `http://127.0.0.1:${this.getMappedPort(UPSTREAM_PORT)}`;
  }

  /** host:port for skopeo/docker (plain HTTP: --tls-verify=false). */
  getHostPort(): string {
    return `127.0.0.1:${this.getMappedPort(UPSTREAM_PORT)}`;
  }

  /** URL as Harbor reaches it on the run's network. */
  getInternalUrl(): string {
    return `http://${this.alias}:${UPSTREAM_PORT}`;
  }
}
