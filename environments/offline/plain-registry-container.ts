// A plain OCI registry beside Harbor (alias `upstream`): no auth, filesystem storage. It is the
// upstream of proxy-cache projects and the target of replication. Offline: Debian's docker-registry
// with the image's default config; registry:2 behaves the same.
import { AbstractStartedContainer, GenericContainer, Wait } from 'testcontainers';

export const UPSTREAM_ALIAS = 'upstream';
export const UPSTREAM_PORT = 5000;

export class PlainRegistryContainer extends GenericContainer {
  constructor(image: string) {
    super(image);
    this.withExposedPorts(UPSTREAM_PORT)
      .withNetworkAliases(UPSTREAM_ALIAS)
      .withStartupTimeout(60_000)
      .withWaitStrategy(Wait.forHttp('/v2/', UPSTREAM_PORT, { abortOnContainerExit: true }).forStatusCode(200));
  }

  override async start(): Promise<StartedPlainRegistryContainer> {
    return new StartedPlainRegistryContainer(await super.start());
  }
}

export class StartedPlainRegistryContainer extends AbstractStartedContainer {
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
    return `http://${UPSTREAM_ALIAS}:${UPSTREAM_PORT}`;
  }
}
