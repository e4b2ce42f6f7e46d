// Redis as Harbor uses it (alias `redis`; core on db 0, the registry's layer cache on db 1),
// on @testcontainers/redis so the official image and the offline one both fit.
import { RedisContainer, StartedRedisContainer } from '@testcontainers/redis';

export const REDIS_ALIAS = 'redis';
export const REDIS_PORT = 6379;

export class HarborRedisContainer extends RedisContainer {
  constructor(image: string) {
    super(image);
    this.withNetworkAliases(REDIS_ALIAS).withStartupTimeout(30_000);
  }

  override async start(): Promise<StartedHarborRedisContainer> {
    const started = await super.start();
    return new StartedHarborRedisContainer(started, started.getPassword());
  }
}

export class StartedHarborRedisContainer extends StartedRedisContainer {
  /** host:port on the run's network, e.g. for the registry's `redis.addr`. */
  getInternalAddress(): string {
    return `${REDIS_ALIAS}:${REDIS_PORT}`;
  }

  /** Redis URL on the run's network for a database number, as harbor-core's _REDIS_URL_* take it. */
  getInternalUrl(db = 0): string {
    return `redis://${this.getInternalAddress()}${db ? `/${db}` : ''}?idle_timeout_seconds=30`;
  }
}
