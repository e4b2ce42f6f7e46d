// The fixture scanner (alias `trivy-adapter`, port 8080): the pluggable scanner API stand-in for
// goharbor/trivy-adapter-photon, built from fixtures/scanner/main.ts.
import { AbstractStartedContainer, GenericContainer, Wait } from 'testcontainers';

export const SCANNER_ALIAS = 'trivy-adapter';
export const SCANNER_PORT = 8080;

export class FixtureScannerContainer extends GenericContainer {
  constructor(image: string) {
    super(image);
    this.withExposedPorts(SCANNER_PORT)
      .withNetworkAliases(SCANNER_ALIAS)
      .withEnvironment({ PORT: String(SCANNER_PORT) })
      .withStartupTimeout(30_000)
      .withWaitStrategy(
        Wait.forHttp('/probe/healthy', SCANNER_PORT, { abortOnContainerExit: true }).forStatusCode(200),
      );
  }

  override async start(): Promise<StartedFixtureScannerContainer> {
    return new StartedFixtureScannerContainer(await super.start());
  }
}

export class StartedFixtureScannerContainer extends AbstractStartedContainer {
  getUrl(): string {
    return `http://127.0.0.1:${this.getMappedPort(SCANNER_PORT)}`;
  }

  /** Harbor's TRIVY_ADAPTER_URL. */
  getInternalUrl(): string {
    return `http://${SCANNER_ALIAS}:${SCANNER_PORT}`;
  }
}
