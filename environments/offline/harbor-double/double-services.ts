// Everything a route needs, built once at start.
import type { Redis } from 'ioredis';
import type { DoubleConfig } from './config.ts';
import type { Database } from './database.ts';
import type { ActiveFaults } from './faults/fault-profiles.ts';
import type { DistributionClient } from './registry/distribution-client.ts';
import type { SystemConfig } from './store/system-config.ts';
import type { TokenKeys } from './token/token-keys.ts';
import type { LoginLock } from './security/login-lock.ts';
import type { EventBus } from './events/event-bus.ts';

export interface DoubleServices {
  config: DoubleConfig;
  db: Database;
  redis: Redis;
  tokenKeys: TokenKeys;
  faults: ActiveFaults;
  systemConfig: SystemConfig;
  registry: DistributionClient;
  /** The notifier: what happened (push, pull, scan, …) for the audit log and the webhook sender (events/). */
  events: EventBus;
  /** Harbor's 1.5 s lock after a failed login; default one per process (tests give their own clock). */
  loginLock?: LoginLock;
}
