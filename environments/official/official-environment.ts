// The official environment: Harbor's own images (one container per component, hand-written configs as
// the installer's prepare step would write them, no prepare container, no compose) plus MinIO, on one
// docker network per run, every resource labelled with the run id (Harbor's own
// installer templates, goharbor/harbor make/photon/prepare/templates/@v2.15.x).
//
//   postgresql (harbor-db) ─┐    minio ── bucket `harbor` ── registry ── registryctl
//   redis (valkey|redis) ───┼── core (published on 127.0.0.1:<port>) ── jobservice (after core answers)
//   trivy-adapter ──────────┘    portal (optional)    upstream (registry-photon, plain)
import type Docker from 'dockerode';
import type { StartedTestContainer } from 'testcontainers';
import { pollUntil } from '../../lib/poll.ts';
import type { HarborComponent, Target } from '../../lib/target.ts';
import { connectDockerEngine } from '../docker-engine.ts';
import { EnvironmentError, type Environment, type EnvironmentOptions } from '../environment.ts';
import { firstLine, guardedStart, harborPortInUse } from '../guarded-start.ts';
import { freePort, isPortFree } from '../offline/free-port.ts';
import {
  ObjectStorageContainer,
  S3_REGION,
  type StartedObjectStorageContainer,
} from '../offline/object-storage-container.ts';
import { randomSecret } from '../offline/random-secret.ts';
import { isValidRunId, runLabels } from '../offline/run-labels.ts';
import { removeRunResources } from '../offline/run-resources.ts';
import { startComponent } from '../offline/start-component.ts';
import { sweepOfficialRun } from './sweep-official-run.ts';
import {
  DEFAULT_HARBOR_VERSION,
  DEFAULT_IMAGE_REGISTRY,
  bundleImage,
  harborImage,
  harborRelease,
  type HarborImageRole,
  type HarborRelease,
} from './harbor-release.ts';
import { componentContainer } from './official-component-container.ts';
import {
  HARBOR_PORT,
  REGISTRY_PORT,
  TRIVY_CACHE_DIR,
  TRIVY_DB_UPDATED_PROPERTY,
  describeSpec,
  officialComponentSpecs,
  specFor,
  trivySettings,
  type ComponentSpec,
  type OfficialSpecComponent,
  type TrivySettings,
} from './official-component-specs.ts';
import { ensureOfficialImages, type WantedImage } from './official-images.ts';
import { generateOfficialSecrets } from './official-secrets.ts';
import { chooseTrivyDb } from './official-trivy-db.ts';
import { describeScanner } from '../scanner-info.ts';

/** The last minio/minio image published on Docker Hub before MinIO went source-only (UNCONFIRMED: check the tag exists). */
export const DEFAULT_MINIO_IMAGE = 'minio/minio:RELEASE.2025-09-07T16-13-09Z';
export const REGISTRY_BUCKET = 'harbor';
const STACK = 'official stack';

export interface OfficialEnvironmentOptions extends EnvironmentOptions {
  /** Harbor release tag; default HC_HARBOR_VERSION or v2.15.2. */
  harborVersion?: string;
  /** Where Harbor's images come from; default HC_IMAGE_REGISTRY or ghcr.io/goharbor (Docker Hub limits pulls). */
  imageRegistry?: string;
  /** Default HC_MINIO_IMAGE or DEFAULT_MINIO_IMAGE. */
  minioImage?: string;
  /** Start harbor-portal (needed for /api/v2.0/health to turn healthy); default true, HC_PORTAL=false turns it off. */
  portal?: boolean;
  /** Host dir laid out like Trivy's cache (db/trivy.db, db/metadata.json): no DB download at all. Default HC_TRIVY_DB_DIR. */
  trivyDbDir?: string;
  /** OCI repositories of the Trivy DB in order; default HC_TRIVY_DB_REPOSITORY (comma-separated) or mirror.gcr.io then ghcr.io. */
  trivyDbRepositories?: string[];
}

export interface OfficialStack {
  network: string;
  release: HarborRelease;
  /** Harbor's admin password for this run (never logged). */
  adminPassword: string;
  objectStorage: StartedObjectStorageContainer;
  containers: Partial<Record<OfficialSpecComponent, StartedTestContainer>>;
}

export interface OfficialEnvironment extends Environment {
  stack: OfficialStack;
}

type Log = (line: string) => void;

export async function startOfficialEnvironment(opts: OfficialEnvironmentOptions): Promise<OfficialEnvironment> {
  const { runId } = opts;
  const log = opts.log ?? (() => {});
  if (!isValidRunId(runId)) {
    throw new EnvironmentError(
      `run id "${runId}" is not usable as a docker name: use lower-case letters, digits, '.', '_' and '-'`,
    );
  }
  const release = harborRelease(opts.harborVersion ?? process.env.HC_HARBOR_VERSION ?? DEFAULT_HARBOR_VERSION);
  const imageRegistry = opts.imageRegistry ?? process.env.HC_IMAGE_REGISTRY ?? DEFAULT_IMAGE_REGISTRY;
  const minioImage = opts.minioImage ?? process.env.HC_MINIO_IMAGE ?? DEFAULT_MINIO_IMAGE;
  const withPortal = opts.portal ?? process.env.HC_PORTAL !== 'false';
  const trivyDb = await chooseTrivyDb(trivyInput(opts), log);
  const trivy = trivySettings(trivyDb.input);
  // this environment removes its resources by label itself; Ryuk's image may not be pullable
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  const docker = await connectDockerEngine();
  if (opts.harborPort !== undefined && !(await isPortFree(opts.harborPort))) throw harborPortInUse(opts.harborPort);

  // every component start, so a failed run can let them settle before its last sweep
  const inFlight: Promise<unknown>[] = [];
  const t0 = Date.now();
  const sweep = () => sweepOfficialRun(docker, runId, inFlight);
  return guardedStart({ runId, stackName: STACK, signal: opts.signal, log, sweep }, async (controller) => {
    log(`${STACK} ${runId}: Harbor ${release.version} from ${imageRegistry}`);
    const images = await ensureOfficialImages(wantedImages(release, imageRegistry, minioImage, withPortal), {
      docker,
      harborVersion: release.version,
      log,
      signal: controller.signal,
    });
    controller.signal.throwIfAborted();
    log(`${STACK} ${runId}: starting containers`);
    const stack = await startStack({
      docker,
      runId,
      release,
      images,
      trivy,
      withPortal,
      opts,
      controller,
      log,
      inFlight,
    });
    const target = await describeTarget(runId, release, stack, trivyDb.fixtureDb, controller.signal);
    controller.signal.throwIfAborted();
    log(`${STACK} ${runId}: up in ${seconds(t0)} s at ${target.url} (${target.harborVersion})`);
    return { target, stack, down: () => downRun(docker, runId, log) };
  });
}

/** Removes a run kept up by `env up` / `run --keep`, from another process. */
export async function removeEnvironment(runId: string): Promise<void> {
  await sweepOfficialRun(await connectDockerEngine(), runId);
}

type ImageKey = HarborImageRole | 'object-storage';

/** Harbor's images of the release (core first: its failure line is the one a user sees), then MinIO. */
export function wantedImages(
  release: HarborRelease,
  imageRegistry: string,
  minioImage: string,
  withPortal: boolean,
): Array<WantedImage & { component: ImageKey }> {
  const roles: HarborImageRole[] = ['core', 'jobservice', 'registry', 'registryctl', 'database', 'redis', 'scanner'];
  if (withPortal) roles.push('portal');
  const harbor = roles.map((role): WantedImage & { component: ImageKey } => {
    const image = harborImage(release, role, imageRegistry);
    const loaded = bundleImage(release, role);
    return { component: role, image, inHarborBundle: true, ...(loaded !== image ? { alsoKnownAs: [loaded] } : {}) };
  });
  return [...harbor, { component: 'object-storage', image: minioImage, inHarborBundle: false }];
}

function trivyInput(opts: OfficialEnvironmentOptions): {
  dir?: string | undefined;
  repositories?: string[] | undefined;
} {
  const dir = opts.trivyDbDir ?? process.env.HC_TRIVY_DB_DIR;
  const repositories =
    opts.trivyDbRepositories ??
    process.env.HC_TRIVY_DB_REPOSITORY?.split(',')
      .map((r) => r.trim())
      .filter(Boolean);
  return { dir, repositories };
}

interface StackContext {
  docker: Docker;
  runId: string;
  release: HarborRelease;
  images: Record<ImageKey, string>;
  trivy: TrivySettings;
  withPortal: boolean;
  opts: OfficialEnvironmentOptions;
  controller: AbortController;
  log: Log;
  inFlight: Promise<unknown>[];
}

async function startStack(ctx: StackContext): Promise<OfficialStack> {
  const { docker, runId, controller, log } = ctx;
  const network = `${runId}-net`;
  await docker.createNetwork({
    Name: network,
    Driver: 'bridge',
    CheckDuplicate: true,
    Labels: runLabels(runId, 'network'),
  });
  const startContext = { docker, runId, network, controller, log, stackName: STACK };
  // every branch runs to its end or its first error; the first error wins, the rest are ignored
  const quiet = <T>(promise: Promise<T>): Promise<T> => {
    promise.catch(() => {});
    ctx.inFlight.push(promise);
    return promise;
  };

  const secrets = quiet(generateOfficialSecrets());
  // MinIO first: the registry's S3 keys are MinIO's root credentials, and the bucket must exist before the registry serves
  const objectStorage = quiet(
    (async () => {
      const storage = await startComponent(
        startContext,
        'object-storage',
        new ObjectStorageContainer(ctx.images['object-storage']),
      );
      await storage.createBucket(REGISTRY_BUCKET).catch((error: unknown) => {
        throw new EnvironmentError(`${STACK}: MinIO did not create bucket ${REGISTRY_BUCKET}: ${firstLine(error)}`);
      });
      return storage;
    })(),
  );
  const specs = quiet(
    (async () => {
      const [s, storage] = await Promise.all([secrets, objectStorage]);
      const access = storage.getS3Access();
      const harborPort = ctx.opts.harborPort ?? (await freePort());
      return officialComponentSpecs({
        release: ctx.release,
        // the upstream is a second registry-photon with a plain config
        images: { ...ctx.images, upstream: ctx.images.registry },
        secrets: s,
        harborPort,
        s3: {
          regionEndpoint: storage.getInternalEndpoint(),
          region: S3_REGION,
          accessKey: access.accessKey,
          secretKey: access.secretKey,
          bucket: REGISTRY_BUCKET,
        },
        trivy: ctx.trivy,
        upstreamHttpSecret: randomSecret(32),
      });
    })(),
  );
  const start = (component: OfficialSpecComponent, after: Promise<unknown>[] = []) =>
    quiet(
      (async () => {
        const [all] = await Promise.all([specs, ...after]);
        controller.signal.throwIfAborted();
        return startSpec(ctx, startContext, specFor(all, component));
      })(),
    );

  const database = start('database');
  const redis = start('redis');
  const upstream = start('upstream');
  const portal = ctx.withPortal ? start('portal') : undefined;
  const registry = start('registry', [redis]);
  const registryctl = start('registryctl');
  const scanner = start('scanner', [redis]);
  // core after what compose starts it after; jobservice only once core answers (it exits otherwise)
  const core = start('core', [database, redis, registry]);
  const jobservice = start('jobservice', [core]);
  const scannerDb = quiet(scanner.then((started) => readyScannerDatabase(started, ctx)));

  const [storage, db, cache, up, reg, ctl, scan, coreContainer, jobs, portalContainer] = await Promise.all([
    objectStorage,
    database,
    redis,
    upstream,
    registry,
    registryctl,
    scanner,
    core,
    jobservice,
    portal,
    scannerDb,
  ]);
  return {
    network,
    release: ctx.release,
    adminPassword: (await secrets).adminPassword,
    objectStorage: storage,
    containers: {
      database: db,
      redis: cache,
      upstream: up,
      registry: reg,
      registryctl: ctl,
      scanner: scan,
      core: coreContainer,
      jobservice: jobs,
      ...(portalContainer ? { portal: portalContainer } : {}),
    },
  };
}

async function startSpec(
  ctx: StackContext,
  startContext: Parameters<typeof startComponent>[0],
  spec: ComponentSpec,
): Promise<StartedTestContainer> {
  try {
    ctx.log(`  starting ${describeSpec(spec)}`);
    return await startComponent(startContext, spec.component, componentContainer(spec));
  } catch (error) {
    const taken = /port is already allocated|address already in use/i.test(String(error));
    if (spec.hostPort !== undefined && taken) throw harborPortInUse(spec.hostPort);
    throw error;
  }
}

/**
 * The adapter's probes answer 200 with or without a vulnerability DB, and without one the first scan
 * downloads it (and fails on a rate limit, looking like a product bug). So: a seeded DB is made the
 * scanner user's, otherwise the DB is downloaded now; ready once /api/v1/metadata reports its date.
 */
async function readyScannerDatabase(scanner: StartedTestContainer, ctx: StackContext): Promise<void> {
  const { trivy, log, controller } = ctx;
  const t = Date.now();
  if (trivy.seededDbDir) {
    await scanner.exec(['chown', '-R', '10000:10000', TRIVY_CACHE_DIR], { user: 'root' });
  } else {
    log(`  trivy-adapter: downloading the vulnerability DB from ${trivy.dbRepositories.join(', ')}`);
    const download = await withDeadline(
      scanner.exec([
        'trivy',
        'image',
        '--cache-dir',
        TRIVY_CACHE_DIR,
        '--download-db-only',
        '--no-progress',
        '--db-repository',
        trivy.dbRepositories.join(','),
      ]),
      600_000,
      'the Trivy DB download',
    );
    if (download.exitCode !== 0) {
      const last = download.output.trim().split('\n').slice(-2).join(' | ');
      throw new EnvironmentError(
        `${STACK}: trivy-adapter could not download the vulnerability DB from ${trivy.dbRepositories.join(', ')} (${last}): set HC_TRIVY_DB_REPOSITORY to a reachable mirror or HC_TRIVY_DB_DIR to a pre-seeded DB`,
      );
    }
  }
  const metadataUrl = `http://127.0.0.1:${scanner.getMappedPort(HARBOR_PORT)}/api/v1/metadata`;
  try {
    await pollUntil(
      async () => {
        const response = await fetch(metadataUrl);
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const body = (await response.json()) as { properties?: Record<string, unknown> };
        return body.properties?.[TRIVY_DB_UPDATED_PROPERTY] ?? '';
      },
      {
        timeoutMs: 60_000,
        intervalMs: 500,
        describe: `${metadataUrl} to report ${TRIVY_DB_UPDATED_PROPERTY}`,
        signal: controller.signal,
      },
    );
  } catch (error) {
    throw new EnvironmentError(`${STACK}: trivy-adapter has no vulnerability DB (${firstLine(error)})`);
  }
  log(`  trivy-adapter vulnerability DB ready in ${seconds(t)} s`);
}

async function describeTarget(
  runId: string,
  release: HarborRelease,
  stack: OfficialStack,
  fixtureDb: boolean,
  signal: AbortSignal,
): Promise<Target> {
  const core = stack.containers.core as StartedTestContainer;
  const upstream = stack.containers.upstream as StartedTestContainer;
  const registryHost = `127.0.0.1:${core.getMappedPort(HARBOR_PORT)}`;
  const url = `http://${registryHost}`;
  const admin = { username: 'admin', password: stack.adminPassword };
  const authorization = `Basic ${Buffer.from(`admin:${stack.adminPassword}`).toString('base64')}`;
  let harborVersion: string;
  try {
    harborVersion = await pollUntil(
      async () => {
        const response = await fetch(`${url}/api/v2.0/systeminfo`, { headers: { authorization } });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const info = (await response.json()) as { harbor_version?: unknown };
        return typeof info.harbor_version === 'string' ? info.harbor_version : '';
      },
      { timeoutMs: 60_000, intervalMs: 500, describe: `${url}/api/v2.0/systeminfo to report harbor_version`, signal },
    );
  } catch (error) {
    throw new EnvironmentError(`${STACK}: core answers ping but not an authenticated systeminfo (${firstLine(error)})`);
  }
  const ids: Partial<Record<HarborComponent, string>> = { 'object-storage': stack.objectStorage.getId() };
  const faultNames: Array<[HarborComponent, OfficialSpecComponent]> = [
    ['core', 'core'],
    ['jobservice', 'jobservice'],
    ['registry', 'registry'],
    ['database', 'database'],
    ['redis', 'redis'],
    ['scanner', 'scanner'],
    ['upstream', 'upstream'],
  ];
  for (const [name, component] of faultNames) {
    const container = stack.containers[component];
    if (container) ids[name] = container.getId();
  }
  return {
    kind: 'official',
    runId,
    url,
    registryHost,
    admin,
    harborVersion,
    capabilities: {
      scanner: true,
      ...release.capabilities,
      faultInjection: true,
      mutating: true,
      replicationPeer: true,
    },
    // Real Trivy: its own advisory database (a superset of the fixture set); Harbor's own tests wait 150 s.
    scanning: { exactAdvisorySet: false, scanDeadlineMs: 180_000, scanStartDeadlineMs: 30_000 },
    peers: {
      plainRegistry: {
        url: `http://127.0.0.1:${upstream.getMappedPort(REGISTRY_PORT)}`,
        internalUrl: `http://upstream:${REGISTRY_PORT}`,
      },
    },
    faults: { kind: 'docker', containers: ids },
    scanner: await describeScanner(
      `http://127.0.0.1:${(stack.containers.scanner as StartedTestContainer).getMappedPort(HARBOR_PORT)}`,
      fixtureDb,
      signal,
    ),
  };
}

async function downRun(docker: Docker, runId: string, log: Log): Promise<void> {
  const t = Date.now();
  await removeRunResources(docker, runId);
  log(`${STACK} ${runId}: removed in ${seconds(t)} s`);
}

async function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new EnvironmentError(`${STACK}: ${what} did not finish within ${ms / 1000} s`)),
          ms,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function seconds(since: number): string {
  return ((Date.now() - since) / 1000).toFixed(1);
}
