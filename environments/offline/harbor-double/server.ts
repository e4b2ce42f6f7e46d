// Builds and starts the double: faults and key first (cheap failures), then PostgreSQL (waiting for it,
// migrating under an advisory lock, creating the admin on first start), Redis, and the HTTP server.
import Fastify, { type FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { registerAccessoryRoutes } from './api/accessory-routes.ts';
import { registerArtifactRoutes } from './api/artifact-routes.ts';
import { registerAuditRoutes } from './api/audit-routes.ts';
import { registerCommonEventAudit } from './api/common-event-audit.ts';
import { registerGcScheduleRoutes } from './api/gc-schedule-routes.ts';
import { registerMemberRoutes } from './api/member-routes.ts';
import { registerUnmodelledResourceRoutes } from './api/unmodelled-resource-routes.ts';
import { registerImmutableRuleRoutes } from './api/immutable-rule-routes.ts';
import { registerRetentionRoutes } from './api/retention-routes.ts';
import { registerArtifactCopyRoutes } from './api/artifact-copy-routes.ts';
import { registerUserRoutes } from './api/user-routes.ts';
import { registerWebhookRoutes } from './api/webhook-routes.ts';
import { auditSubscriber } from './events/audit-subscriber.ts';
import { EventBus } from './events/event-bus.ts';
import { runWebhookJob } from './webhook/webhook-delivery.ts';
import { startRetryRequeuer, WEBHOOK_QUEUE, type WebhookJob } from './webhook/webhook-jobs.ts';
import { webhookSubscriber } from './webhook/webhook-subscriber.ts';
import { registerProjectRoutes } from './api/project-routes.ts';
import { registerRegistryRoutes } from './api/registry-routes.ts';
import { registerReplicationRoutes } from './api/replication-routes.ts';
import { registerRobotRoutes } from './api/robot-routes.ts';
import { registerScanRoutes } from './api/scan-routes.ts';
import { registerScannerRoutes } from './api/scanner-routes.ts';
import { registerSystemRoutes } from './api/system-routes.ts';
import { registerGcRoutes } from './api/gc-routes.ts';
import { registerQuotaRoutes } from './api/quota-routes.ts';
import { runGarbageCollection, type GcJob } from './gc/garbage-collection.ts';
import { GC_QUEUE } from './gc/gc-queue.ts';
import type { DoubleConfig } from './config.ts';
import { createDatabase, migrate, type Database } from './database.ts';
import type { DoubleServices } from './double-services.ts';
import { lastMigrationOf } from './upgrade/emulated-versions.ts';
import { runUpgradeStep, type UpgradeStepResult } from './upgrade/upgrade-step.ts';
import { registerFaultControlRoutes } from './faults/fault-control-routes.ts';
import { registerTestClockRoutes } from './faults/test-clock-routes.ts';
import { resolveFaultProfiles } from './faults/fault-profiles.ts';
import { FaultSwitch } from './faults/fault-switch.ts';
import { registerPortalMisrouting } from './faults/portal-misrouting.ts';
import { errorResponse, HarborError } from './harbor-error.ts';
import { DistributionClient } from './registry/distribution-client.ts';
import { registerV2Routes } from './registry/v2-routes.ts';
import { registerRegistryHealthControlRoute } from './replication/registry-health-control-route.ts';
import { startHealthChecker } from './replication/registry-health-checker.ts';
import { RETENTION_QUEUE, type RetentionJob } from './retention/retention-launcher.ts';
import { runRetentionJob } from './retention/retention-job.ts';
import { fireDueRetentionSchedules } from './retention/retention-schedule.ts';
import { fireDueGcSchedule } from './gc/gc-schedule.ts';
import {
  registerReplicationScheduleControlRoute,
  startReplicationScheduler,
} from './replication/replication-schedule.ts';
import { REPLICATION_QUEUE, type ReplicationJob, runReplicationTask } from './replication/replication-flow.ts';
import { runScanJob } from './scan/scan-controller.ts';
import { startJobWorker } from './scan/scan-jobs.ts';
import { syncBuiltInTrivy } from './scan/scanner-registry.ts';
import { resolveSecurityContext } from './security/resolve-security-context.ts';
import { anonymous } from './security/security-context.ts';
import { SystemConfig } from './store/system-config.ts';
import { ensureAdmin } from './store/users.ts';
import { createLibraryProject } from './store/projects.ts';
import { loadTokenKeys } from './token/token-keys.ts';
import { registerTokenRoutes } from './token/token-routes.ts';

export interface RunningDouble {
  port: number;
  close(): Promise<void>;
}

const log = (line: string) => process.stdout.write(`harbor-double: ${line}\n`);

async function waitForDatabase(db: Database, deadlineMs: number): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  let lastError = '';
  for (;;) {
    try {
      await db.query('SELECT 1');
      return;
    } catch (error) {
      lastError = (error as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`PostgreSQL not reachable after ${deadlineMs / 1000}s: ${lastError}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

export function buildApp(
  services: DoubleServices,
  control?: { faults: FaultSwitch; token: string },
  clockTokens: readonly string[] = [],
): FastifyInstance {
  const app = Fastify({
    logger: { level: process.env['HARBOR_DOUBLE_LOG_LEVEL'] ?? 'warn' },
    // Blob uploads of a GiB must not be cut by Node's default 5-minute request timeout.
    requestTimeout: 0,
    bodyLimit: 16 * 1024 * 1024,
    routerOptions: { ignoreTrailingSlash: true },
  });
  app.decorateRequest('security', { getter: () => anonymous });

  app.addHook('onRequest', async (request) => {
    const path = request.url.split('?')[0] ?? '/';
    const ctx = await resolveSecurityContext(services, { path, authorization: request.headers.authorization });
    Object.defineProperty(request, 'security', { value: ctx, writable: true, configurable: true });
  });

  app.setErrorHandler((error: unknown, request, reply) => {
    let harborError = error;
    const statusCode = (error as { statusCode?: number }).statusCode;
    if (!(error instanceof HarborError) && statusCode !== undefined && statusCode >= 400 && statusCode < 500) {
      harborError = new HarborError(
        statusCode === 413 ? 'REQUEST_ENTITY_TOO_LARGE' : statusCode === 404 ? 'NOT_FOUND' : 'BAD_REQUEST',
        (error as Error).message,
      );
    }
    const { status, body } = errorResponse(harborError);
    if (status >= 500) request.log.error({ err: (error as Error).message, url: request.url }, 'request failed');
    reply.status(status).send(body);
  });

  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send({
      errors: [{ code: 'NOT_FOUND', message: `the requested resource ${request.url.split('?')[0]} is not found` }],
    });
  });

  if (control) registerFaultControlRoutes(app, services, control.faults, control.token);
  if (control) registerRegistryHealthControlRoute(app, services);
  if (clockTokens.length > 0) registerTestClockRoutes(app, services, clockTokens);
  if (control) registerReplicationScheduleControlRoute(app, services);
  registerPortalMisrouting(app, services);
  registerCommonEventAudit(app, services);
  registerSystemRoutes(app, services);
  registerGcScheduleRoutes(app, services);
  registerGcRoutes(app, services);
  registerQuotaRoutes(app, services);
  registerProjectRoutes(app, services);
  registerMemberRoutes(app, services);
  registerUserRoutes(app, services);
  registerUnmodelledResourceRoutes(app, services);
  registerRegistryRoutes(app, services);
  registerReplicationRoutes(app, services);
  registerImmutableRuleRoutes(app, services);
  registerRetentionRoutes(app, services);
  registerRobotRoutes(app, services);
  registerWebhookRoutes(app, services);
  registerArtifactRoutes(app, services);
  registerArtifactCopyRoutes(app, services);
  registerAccessoryRoutes(app, services);
  registerAuditRoutes(app, services);
  registerScannerRoutes(app, services);
  registerScanRoutes(app, services);
  registerTokenRoutes(app, services);
  registerV2Routes(app, services);
  return app;
}

export async function startDouble(config: DoubleConfig): Promise<RunningDouble> {
  const faults = new FaultSwitch(resolveFaultProfiles(config.faultProfile));
  const tokenKeys = await loadTokenKeys(config.tokenPrivateKeyPath);
  const db = createDatabase(config.database);
  await waitForDatabase(db, 60_000);
  let step: UpgradeStepResult = { upgraded: false, lost: [] };
  const applied = await migrate(db, {
    through: lastMigrationOf(config.harborVersion),
    afterMigrations: async (client, migrated) => void (step = await runUpgradeStep(client, migrated, faults)),
  });
  if (applied.length > 0)
    log(
      `applied schema migrations ${applied.join(', ')}${step.upgraded ? ` (upgrade to ${config.harborVersion})` : ''}`,
    );
  for (const loss of step.lost) log(`upgrade step: ${loss}`);
  const admin = await ensureAdmin(db, config.adminPassword);
  if (admin === 'kept') log('admin exists; HARBOR_ADMIN_PASSWORD is applied on the first start only and was ignored');
  // Harbor's first migration also creates the public `library` project; later starts leave it be
  else await createLibraryProject(db);

  const redisUrl = config.redisUrl.split('?')[0]!;
  const redis = new Redis(redisUrl, {
    lazyConnect: false,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: () => 1_000,
  });
  redis.on('error', () => undefined); // health reports it; no log flood while Redis is down

  const registry = new DistributionClient(config.registryUrl, config.registryCredential);
  const services: DoubleServices = {
    config,
    db,
    redis,
    tokenKeys,
    faults,
    systemConfig: new SystemConfig(db),
    registry,
    events: new EventBus((line) => log(`event bus: ${line}`)),
  };
  services.events.subscribe('audit log', auditSubscriber(services));
  services.events.subscribe('webhooks', webhookSubscriber(services));
  await syncBuiltInTrivy(services);
  // The jobservice half: scan jobs from the Redis queue.
  const worker = startJobWorker(redis, (job) => runScanJob(services, job), { log });
  // …and garbage collection, one at a time (MaxCurrency 1).
  const gcWorker = startJobWorker<GcJob>(redis, (job) => runGarbageCollection(services, job), {
    log,
    queue: GC_QUEUE,
    concurrency: 1,
    name: (job) => `garbage collection ${job.executionId}`,
  });
  const registryHealth = startHealthChecker(services, { log });
  const retentionWorker = startJobWorker<RetentionJob>(redis, (job) => runRetentionJob(services, job), {
    log,
    queue: RETENTION_QUEUE,
    name: (job) => `retention task ${job.taskId}`,
  });
  // …and webhook deliveries, with the retry set's requeuer (webhook/webhook-jobs.ts).
  const webhookWorker = startJobWorker<WebhookJob>(redis, (job) => runWebhookJob(services, job), {
    log,
    queue: WEBHOOK_QUEUE,
    name: (job) => `webhook task ${job.taskId}`,
  });
  const requeuer = startRetryRequeuer(redis);
  const replicationSchedule = startReplicationScheduler(services, {
    log,
    also: [
      { what: 'garbage collection', fire: (at) => fireDueGcSchedule(services, at) },
      { what: 'retention', fire: (at) => fireDueRetentionSchedules(services, at) },
    ],
  });
  const replicationWorker = startJobWorker<ReplicationJob>(redis, (job) => runReplicationTask(services, job), {
    log,
    queue: REPLICATION_QUEUE,
    name: (job) => `replication task ${job.taskId}`,
  });
  const clockTokens = config.testClockToken
    ? [config.testClockToken, ...(config.faultControlToken ? [config.faultControlToken] : [])]
    : [];
  const app = buildApp(
    services,
    config.faultControlToken ? { faults, token: config.faultControlToken } : undefined,
    clockTokens,
  );
  await app.listen({ port: config.port, host: '0.0.0.0' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const active = faults.active;
  log(
    `${config.versionLabel} listening on ${port}${active.length > 0 ? `; fault profiles: ${active.join(', ')}` : ''}${config.faultControlToken ? '; fault control on' : ''}`,
  );

  return {
    port,
    async close() {
      await app.close();
      registryHealth.stop();
      replicationSchedule.stop();
      await worker.stop();
      await gcWorker.stop();
      await retentionWorker.stop();
      requeuer.stop();
      await webhookWorker.stop();
      await replicationWorker.stop();
      redis.disconnect();
      await registry.close();
      await db.end();
    },
  };
}
