// PostgreSQL as Harbor's installer runs it (database `registry`, user `postgres`, alias
// `postgresql`), on @testcontainers/postgresql so the official image and the offline one both fit.
import { PostgreSqlContainer, StartedPostgreSqlContainer } from '@testcontainers/postgresql';
import { randomSecret } from './random-secret.ts';

export const DATABASE_ALIAS = 'postgresql';
export const DATABASE_PORT = 5432;

export class HarborDatabaseContainer extends PostgreSqlContainer {
  constructor(image: string) {
    super(image);
    this.withDatabase('registry')
      .withUsername('postgres')
      .withPassword(randomSecret(24))
      .withNetworkAliases(DATABASE_ALIAS)
      .withStartupTimeout(60_000);
  }

  override async start(): Promise<StartedHarborDatabaseContainer> {
    const started = await super.start();
    return new StartedHarborDatabaseContainer(
      started,
      started.getDatabase(),
      started.getUsername(),
      started.getPassword(),
    );
  }
}

export class StartedHarborDatabaseContainer extends StartedPostgreSqlContainer {
  /** Host name on the run's network. */
  getInternalHost(): string {
    return DATABASE_ALIAS;
  }

  getInternalPort(): number {
    return DATABASE_PORT;
  }
}
