// The offline environment: Harbor's topology on images built here (Debian packages, the Harbor
// double, the fixture scanner), one docker network per run, every resource labelled with the run id.
//
//   postgresql ─┐                      minio (Ceph RGW) ── bucket `harbor` ── registry ─┐
//   redis ──────┼──────────────────────────────────────────────────────────────────────┼── core/jobservice (double)
//   trivy-adapter (fixture scanner) ────────────────────────────────────────────────────┘
//   upstream (plain registry)
import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import type Docker from 'dockerode';
import type { HarborComponent, Target } from '../../lib/target.ts';
import { pollUntil } from '../../lib/poll.ts';
import { connectDockerEngine } from '../docker-engine.ts';
import { EnvironmentError, type Environment, type EnvironmentOptions } from '../environment.ts';
import { firstLine, guardedStart, harborPortInUse } from '../guarded-start.ts';
import { FixtureScannerContainer, type StartedFixtureScannerContainer } from './fixture-scanner-container.ts';
import { freePort, isPortFree } from './free-port.ts';
import { HarborDatabaseContainer, type StartedHarborDatabaseContainer } from './harbor-database-container.ts';
import { HarborDoubleContainer, type StartedHarborDoubleContainer } from './harbor-double-container.ts';
import { HarborRedisContainer, type StartedHarborRedisContainer } from './harbor-redis-container.ts';
import { HarborRegistryContainer, type StartedHarborRegistryContainer } from './harbor-registry-container.ts';
import { ensureOfflineImages, type OfflineImageName } from './images/offline-images.ts';
import { ObjectStorageContainer, type StartedObjectStorageContainer } from './object-storage-container.ts';
import {
  PlainRegistryContainer,
  UPSTREAM_V3_ALIAS,
  type StartedPlainRegistryContainer,
} from './plain-registry-container.ts';
import { missingToolReason, resolveGoTool } from '../../lib/tools/go-tools.ts';
import { randomSecret } from './random-secret.ts';
import { isValidRunId, runLabels } from './run-labels.ts';
import { removeRunResources } from './run-resources.ts';
import { describeScanner } from '../scanner-info.ts';
import { chooseScannerEngine, scannerImageOf } from './scanner-engine-choice.ts';
import { sweepRun } from './sweep-run.ts';
import { startComponent, type StartableContainer } from './start-component.ts';

/** The bucket the registry stores blobs in (the s3 driver never creates it). */
export const REGISTRY_BUCKET = 'harbor';

/** Everything the offline stack started, for tests and tools that need more than the Target. */
export interface OfflineStack {
  network: string;
  database: StartedHarborDatabaseContainer;
  redis: StartedHarborRedisContainer;
  objectStorage: StartedObjectStorageContainer;
  registry: StartedHarborRegistryContainer;
  upstream: StartedPlainRegistryContainer;
  /** The distribution v3 peer; absent when its binary could not be built (no Go here). */
  upstreamV3?: StartedPlainRegistryContainer;
  scanner: StartedFixtureScannerContainer;
  core: StartedHarborDoubleContainer;
  /** Bearer token of the double's fault control endpoint, when the options asked for it. */
  faultControlToken?: string;
  /** Bearer token of the double's test clock (always on offline: retention checks seed push and pull times). */
  testClockToken: string;
}

export interface OfflineEnvironment extends Environment {
  stack: OfflineStack;
}

const REQUIRED_IMAGES: OfflineImageName[] = ['registry', 'postgres', 'redis', 's3', 'harbor-double'];

export async function startOfflineEnvironment(opts: EnvironmentOptions): Promise<OfflineEnvironment> {
  const { runId } = opts;
  const log = opts.log ?? (() => {});
  if (!isValidRunId(runId)) {
    throw new EnvironmentError(
      `run id "${runId}" is not usable as a docker name: use lower-case letters, digits, '.', '_' and '-'`,
    );
  }
  // this environment removes its resources by label itself; Ryuk's image could not be pulled anyway
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  const docker = await connectDockerEngine();
  if (opts.harborPort !== undefined && !(await isPortFree(opts.harborPort))) throw harborPortInUse(opts.harborPort);

  const t0 = Date.now();
  return guardedStart(
    { runId, stackName: 'offline stack', signal: opts.signal, log, sweep: () => sweepRun(docker, runId) },
    async (controller) => {
      const withV3 = resolveGoTool('registry-v3') !== null;
      if (!withV3) log(`offline stack ${runId}: no distribution v3 peer (${missingToolReason('registry-v3')})`);
      const scannerImage = scannerImageOf(chooseScannerEngine(opts.scanner, log));
      const { tags } = await ensureOfflineImages({
        log,
        signal: controller.signal,
        docker,
        only: [...REQUIRED_IMAGES, scannerImage, ...(withV3 ? (['registry-v3'] as const) : [])],
      });
      controller.signal.throwIfAborted();
      log(`offline stack ${runId}: starting containers`);
      const images = { ...tags, scanner: tags[scannerImage] } as Record<OfflineImageName | 'scanner', string>;
      const stack = await startStack(docker, runId, images, opts, controller, log);
      const target = await describeTarget(runId, stack, opts.faultProfile, controller.signal);
      log(
        `offline stack ${runId}: scanner ${target.scanner?.name} ${target.scanner?.version} (DB ${target.scanner?.databaseUpdatedAt ?? 'unknown'})`,
      );
      controller.signal.throwIfAborted();
      log(`offline stack ${runId}: up in ${seconds(t0)} s at ${target.url} (${target.harborVersion})`);
      const faultControl = stack.faultControlToken ? { url: target.url, token: stack.faultControlToken } : undefined;
      return { target, stack, ...(faultControl ? { faultControl } : {}), down: () => downRun(docker, runId, log) };
    },
  );
}

async function startStack(
  docker: Docker,
  runId: string,
  images: Record<OfflineImageName | 'scanner', string>,
  opts: EnvironmentOptions,
  controller: AbortController,
  log: (line: string) => void,
): Promise<OfflineStack> {
  const network = `${runId}-net`;
  await docker.createNetwork({
    Name: network,
    Driver: 'bridge',
    CheckDuplicate: true,
    Labels: runLabels(runId, 'network'),
  });

  const start = <S>(component: HarborComponent, container: StartableContainer<S>): Promise<S> =>
    startComponent({ docker, runId, network, controller, log }, component, container);
  // every branch runs to its end or its first error; the first error wins, the rest are ignored
  const quiet = <T>(promise: Promise<T>): Promise<T> => {
    promise.catch(() => {});
    return promise;
  };

  const tokenKey = quiet(
    promisify(generateKeyPair)('rsa', {
      modulusLength: 4096,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    }).then((pair) => pair.privateKey),
  );
  const database = quiet(start('database', new HarborDatabaseContainer(images.postgres)));
  const redis = quiet(start('redis', new HarborRedisContainer(images.redis)));
  const objectStorage = quiet(start('object-storage', new ObjectStorageContainer(images.s3)));
  const upstream = quiet(
    freePort().then((port) => start('upstream', new PlainRegistryContainer(images.registry, undefined, port))),
  );
  const upstreamV3 = images['registry-v3']
    ? quiet(start('upstream-v3', new PlainRegistryContainer(images['registry-v3'], UPSTREAM_V3_ALIAS)))
    : Promise.resolve(undefined);
  const scanner = quiet(start('scanner', new FixtureScannerContainer(images.scanner)));

  const registry = quiet(
    (async () => {
      const [storage, cache] = await Promise.all([objectStorage, redis]);
      controller.signal.throwIfAborted();
      await storage.createBucket(REGISTRY_BUCKET).catch((error: unknown) => {
        throw new EnvironmentError(
          `offline stack: object-storage did not create bucket ${REGISTRY_BUCKET}: ${firstLine(error)}`,
        );
      });
      const access = storage.getS3Access();
      return start(
        'registry',
        new HarborRegistryContainer(images.registry).withRedis(cache.getInternalAddress(), 1).withS3Storage({
          regionEndpoint: storage.getInternalEndpoint(),
          region: access.region,
          accessKey: access.accessKey,
          secretKey: access.secretKey,
          bucket: REGISTRY_BUCKET,
        }),
      );
    })(),
  );

  let controlToken: string | undefined;
  const clockToken = randomSecret(32);
  // core starts after what it depends on, as in Harbor's compose file
  const core = quiet(
    (async () => {
      const [db, cache, reg, scan, key, storage] = await Promise.all([
        database,
        redis,
        registry,
        scanner,
        tokenKey,
        objectStorage,
      ]);
      const access = storage.getS3Access();
      const adminPassword = randomSecret(20);
      controlToken ??= opts.faultControl ? randomSecret(32) : undefined;
      for (let attempt = 1; ; attempt++) {
        const port = opts.harborPort ?? (await freePort());
        const double = new HarborDoubleContainer(images['harbor-double'])
          .withHostPort(port)
          .withDatabase({
            host: db.getInternalHost(),
            port: db.getInternalPort(),
            username: db.getUsername(),
            password: db.getPassword(),
            database: db.getDatabase(),
          })
          .withRedisUrl(cache.getInternalUrl(0))
          .withRegistry(reg.getInternalUrl(), reg.getUsername(), reg.getPassword())
          .withRegistryStorageProvider('s3')
          .withRegistryStorage(
            {
              regionEndpoint: storage.getInternalEndpoint(),
              region: access.region,
              accessKey: access.accessKey,
              secretKey: access.secretKey,
              bucket: REGISTRY_BUCKET,
            },
            cache.getInternalUrl(1),
          )
          .withAdminPassword(adminPassword)
          .withTokenPrivateKey(key)
          .withScanner(scan.getInternalUrl())
          .withFaultProfile(opts.faultProfile)
          .withHarborVersion(opts.doubleHarborVersion)
          .withFaultControl(controlToken)
          .withTestClock(clockToken);
        try {
          return await start('core', double);
        } catch (error) {
          const portTaken = /port is already allocated|address already in use/i.test(String(error));
          if (portTaken && opts.harborPort !== undefined) throw harborPortInUse(opts.harborPort);
          // the free port was taken between the check and the container start: try another one
          if (attempt >= 3 || !portTaken) throw error;
          await removeComponent(docker, runId, 'core');
          controller.signal.throwIfAborted();
        }
      }
    })(),
  );

  const all = Promise.all([database, redis, objectStorage, registry, upstream, scanner, core, upstreamV3]);
  const [db, cache, storage, reg, up, scan, double, upV3] = await all;
  return {
    network,
    database: db,
    redis: cache,
    objectStorage: storage,
    registry: reg,
    upstream: up,
    ...(upV3 ? { upstreamV3: upV3 } : {}),
    scanner: scan,
    core: double,
    ...(controlToken ? { faultControlToken: controlToken } : {}),
    testClockToken: clockToken,
  };
}

async function describeTarget(
  runId: string,
  stack: OfflineStack,
  faultProfile: string | undefined,
  signal: AbortSignal,
): Promise<Target> {
  const url = stack.core.getUrl();
  const admin = { username: 'admin', password: stack.core.getAdminPassword() };
  const authorization = `Basic ${Buffer.from(`${admin.username}:${admin.password}`).toString('base64')}`;
  let harborVersion: string;
  try {
    harborVersion = await pollUntil(
      async () => {
        const response = await fetch(`${url}/api/v2.0/systeminfo`, { headers: { authorization } });
        if (!response.ok) throw new Error(`HTTP ${response.status} ${(await response.text()).slice(0, 200)}`);
        const info = (await response.json()) as { harbor_version?: unknown };
        return typeof info.harbor_version === 'string' ? info.harbor_version : '';
      },
      { timeoutMs: 30_000, intervalMs: 200, describe: `${url}/api/v2.0/systeminfo to report harbor_version`, signal },
    );
  } catch (error) {
    throw new EnvironmentError(
      `offline stack: core answers ping but not an authenticated systeminfo (${firstLine(error)})`,
    );
  }
  const id = (container: { getId(): string }) => container.getId();
  const webhookReceiverHost = await networkGateway(stack.network);
  return {
    kind: 'offline',
    runId,
    url,
    registryHost: stack.core.getRegistryHost(),
    admin,
    harborVersion,
    capabilities: {
      scanner: true,
      cosign: true,
      notation: true,
      faultInjection: true,
      mutating: true,
      replicationPeer: true,
    },
    // The fixture scanner reports exactly fixtures/advisories/ and scans in seconds.
    scanning: { exactAdvisorySet: true, scanDeadlineMs: 60_000, scanStartDeadlineMs: 10_000 },
    // The double's proxy-cache rounds are 50 ms (HARBOR_DOUBLE_PROXY_CACHE_INTERVAL_MS) instead of Harbor's 20 s:
    // an image is stored within ~0.5 s, an index with an unpulled platform after its 20 rounds (~1 s).
    proxyCache: { cacheFillDeadlineMs: 6_000 },
    peers: {
      plainRegistry: { url: stack.upstream.getUrl(), internalUrl: stack.upstream.getInternalUrl() },
      harbor: { url, internalUrl: stack.core.getPeerUrl() },
      ...(stack.upstreamV3
        ? { plainRegistryV3: { url: stack.upstreamV3.getUrl(), internalUrl: stack.upstreamV3.getInternalUrl() } }
        : {}),
    },
    faults: {
      kind: 'docker',
      containers: {
        core: id(stack.core),
        registry: id(stack.registry),
        database: id(stack.database),
        redis: id(stack.redis),
        'object-storage': id(stack.objectStorage),
        scanner: id(stack.scanner),
        upstream: id(stack.upstream),
        ...(stack.upstreamV3 ? { 'upstream-v3': id(stack.upstreamV3) } : {}),
      },
    },
    ...(faultProfile ? { faultProfile } : {}),
    registryStorage: { s3: stack.objectStorage.getS3Access(), bucket: REGISTRY_BUCKET, rootDirectory: '' },
    testClock: { url, token: stack.testClockToken },
    // Both engines scan with fixtures/advisories only (Trivy with the DB built from them).
    scanner: await describeScanner(stack.scanner.getUrl(), true, signal),
    ...(webhookReceiverHost ? { webhookReceiverHost } : {}),
  };
}

/** The run network's gateway: the host's address on it, where containers reach a port the harness opens. */
async function networkGateway(network: string): Promise<string | undefined> {
  const docker = await connectDockerEngine();
  const info = (await docker.getNetwork(network).inspect()) as { IPAM?: { Config?: Array<{ Gateway?: string }> } };
  return info.IPAM?.Config?.find((c) => c.Gateway)?.Gateway;
}

async function downRun(docker: Docker, runId: string, log: (line: string) => void): Promise<void> {
  const t = Date.now();
  await removeRunResources(docker, runId);
  log(`offline stack ${runId}: removed in ${seconds(t)} s`);
}

async function removeComponent(docker: Docker, runId: string, component: string): Promise<void> {
  const found = await docker.listContainers({
    all: true,
    filters: { label: Object.entries(runLabels(runId, component)).map(([k, v]) => `${k}=${v}`) },
  });
  await Promise.all(
    found.map((c) =>
      docker
        .getContainer(c.Id)
        .remove({ force: true, v: true })
        .catch(() => {}),
    ),
  );
}

function seconds(since: number): string {
  return ((Date.now() - since) / 1000).toFixed(1);
}
