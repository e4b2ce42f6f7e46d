// The kind environment: Harbor's Helm chart (goharbor/harbor, the chart version of the Harbor release)
// on a kind cluster of its own per run, with PostgreSQL, Redis and S3 as "external" services run in the
// cluster from the offline images, the plain upstream registry beside it, and readiness followed through
// the Kubernetes API. Everything of a run — cluster, node network, work dir — goes on down(), on a
// failed start, and on Ctrl-C.
//
//   host 127.0.0.1:<harbor> ─→ NodePort 30002 ─→ harbor-nginx ─→ core · registry · portal (chart)
//   host 127.0.0.1:<upstream> ─→ NodePort 30500 ─→ upstream (offline registry image)
//   chart ─→ postgresql · redis · minio (offline images, `kind load`ed) · trivy (chart's adapter)
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import type Docker from 'dockerode';
import { pollUntil } from '../../lib/poll.ts';
import { KubeClusterApi } from '../../lib/kubernetes/kube-cluster-api.ts';
import type { HarborComponent, KubernetesWorkloads, Target } from '../../lib/target.ts';
import { connectDockerEngine } from '../docker-engine.ts';
import { EnvironmentError, type Environment, type EnvironmentOptions } from '../environment.ts';
import { firstLine, guardedStart } from '../guarded-start.ts';
import { generateOfficialSecrets } from '../official/official-secrets.ts';
import { ensureOfflineImages } from '../offline/images/offline-images.ts';
import { freePort } from '../offline/free-port.ts';
import { randomSecret } from '../offline/random-secret.ts';
import { bundleName, chartImages, imageRef, type ChartImage } from './chart-images.ts';
import { harborChartForVersion } from './harbor-chart-version.ts';
import {
  commandFailure,
  createCluster,
  execaRunner,
  helmInstall,
  loadImages,
  runPaths,
  type CommandRunner,
  type KindCommands,
} from './kind-commands.ts';
import { isValidClusterName, renderKindConfig } from './kind-cluster-config.ts';
import { HELM_RELEASE, kindPlan, kindSettings, renderPlan, renderValues, type KindPlan } from './kind-plan.ts';
import { ensureNodeImage, resolveKindTools, type KindTools } from './kind-preflight.ts';
import { waitForWorkloads } from './kind-readiness-watch.ts';
import { teardownKindRun } from './kind-teardown.ts';
import { spawnKindReaper } from './kind-reaper.ts';
import { BUCKET_JOB, HARBOR_NAMESPACE, NAME_LABEL, STAND_IN_PORTS } from './stand-in-manifests.ts';

const STACK = 'kind cluster';
const STAND_IN_TIMEOUT_MS = 300_000;
const CHART_TIMEOUT_MS = 900_000;

/** The chart's workloads with release `harbor` (expose.type nodePort, trivy on, metrics off). */
export const CHART_WORKLOADS = [
  'harbor-core',
  'harbor-jobservice',
  'harbor-registry',
  'harbor-portal',
  'harbor-nginx',
  'harbor-trivy',
] as const;
export const STAND_IN_WORKLOADS = ['postgresql', 'redis', 'minio', 'upstream', BUCKET_JOB] as const;

export interface KindEnvironment extends Environment {
  plan: KindPlan;
}

/** What the start uses from the outside world; tests replace it (a recording kind, a fake engine). */
export interface KindStartDeps {
  tools: () => KindTools;
  docker: () => Promise<Docker>;
  nodeImage: typeof ensureNodeImage;
  offlineImages: (options: {
    log: (line: string) => void;
    signal: AbortSignal;
    docker: Docker;
  }) => Promise<{ tags: Partial<Record<string, string>> }>;
  run: CommandRunner;
  /** Base of the run's work dir; default the OS temp dir. */
  tmpBase?: string;
}

export const defaultKindStartDeps: KindStartDeps = {
  tools: () => resolveKindTools(),
  docker: connectDockerEngine,
  nodeImage: ensureNodeImage,
  offlineImages: (options) => ensureOfflineImages({ ...options, only: ['postgres', 'redis', 's3', 'registry'] }),
  run: execaRunner,
};

export async function startKindEnvironment(
  opts: EnvironmentOptions,
  deps: KindStartDeps = defaultKindStartDeps,
): Promise<KindEnvironment> {
  const { runId } = opts;
  const log = opts.log ?? (() => {});
  if (!isValidClusterName(runId)) {
    throw new EnvironmentError(
      `run id "${runId}" is not usable as a kind cluster name: use at most 50 lower-case letters, digits, '.' and '-'`,
    );
  }
  const settings = kindSettings();
  harborChartForVersion(settings.harborVersion); // an unmapped version fails before anything else
  const tools = deps.tools();
  const docker = await deps.docker();
  // here a machine without registry access stops, before any image is built or anything is created
  const nodeImage = await deps.nodeImage(docker, settings.nodeImage, log, opts.signal);

  const paths = runPaths(runId, deps.tmpBase);
  const commands: KindCommands = { kind: tools.kind.path, helm: tools.helm.path, runId, paths, run: deps.run };
  const teardown = () =>
    teardownKindRun(runId, {
      kind: tools.kind.path,
      run: deps.run,
      docker,
      log,
      ...(deps.tmpBase ? { tmpBase: deps.tmpBase } : {}),
    });
  const t0 = Date.now();
  return guardedStart(
    { runId, stackName: STACK, signal: opts.signal, log, sweep: teardown, reaper: spawnKindReaper },
    async (controller) => {
      const signal = controller.signal;
      await mkdir(paths.workDir, { recursive: true, mode: 0o700 });
      log(`${STACK} ${runId}: offline images for the stand-ins`);
      const { tags } = await deps.offlineImages({ log, signal, docker });
      signal.throwIfAborted();
      const harborImages = await locateHarborImages(
        docker,
        chartImages(harborChartForVersion(settings.harborVersion).release, settings.imageRegistry),
      );
      const secrets = await generateOfficialSecrets();
      const plan = kindPlan({
        runId,
        settings: { ...settings, nodeImage },
        secrets,
        s3: { accessKey: `hc${randomSecret(14)}`, secretKey: randomSecret(32) },
        harborHostPort: await freePort(),
        upstreamHostPort: await freePort(),
        offlineImages: {
          postgres: tags.postgres as string,
          redis: tags.redis as string,
          s3: tags.s3 as string,
          registry: tags.registry as string,
        },
        systemSettings: opts.systemSettings ?? {},
        harborImages: harborImages.map((h) => h.image),
      });
      await writeFile(paths.kindConfig, renderKindConfig(plan.kindConfig), { mode: 0o600 });
      await writeFile(paths.values, renderValues(plan.values), { mode: 0o600 });
      await chmod(paths.values, 0o600);

      log(`${STACK} ${runId}: kind create cluster (node ${nodeImage}, Harbor on 127.0.0.1:${plan.harborHostPort})`);
      await must(createCluster(commands, signal), 'kind create cluster', runId);
      const toLoad = [...plan.offlineImages, ...harborImages.filter((h) => h.local).map((h) => imageRef(h.image))];
      log(
        `${STACK} ${runId}: kind load docker-image ${toLoad.length} images (${harborImages.filter((h) => !h.local).length} Harbor images left for the cluster to pull)`,
      );
      await must(loadImages(commands, toLoad, signal), 'kind load docker-image', runId);
      signal.throwIfAborted();

      const api = KubeClusterApi.fromFile(paths.kubeconfig);
      await api.createAll(plan.standIns);
      const what = `${STACK} ${runId}`;
      log(`${what}: waiting for the stand-ins`);
      await waitForWorkloads(api, {
        namespace: HARBOR_NAMESPACE,
        expected: STAND_IN_WORKLOADS,
        timeoutMs: STAND_IN_TIMEOUT_MS,
        what,
        signal,
        log,
      });
      log(
        `${what}: helm install ${HELM_RELEASE} goharbor/harbor ${plan.chart.version} (Harbor ${plan.release.version})`,
      );
      await must(
        helmInstall(commands, HELM_RELEASE, HARBOR_NAMESPACE, plan.chartSource, signal),
        'helm install',
        runId,
      );
      await waitForWorkloads(api, {
        namespace: HARBOR_NAMESPACE,
        expected: [...STAND_IN_WORKLOADS, ...CHART_WORKLOADS],
        timeoutMs: CHART_TIMEOUT_MS,
        what,
        signal,
        log,
      });

      const target = await describeTarget(plan, secrets.adminPassword, paths.kubeconfig, signal);
      log(`${what}: up in ${((Date.now() - t0) / 1000).toFixed(1)} s at ${target.url} (${target.harborVersion})`);
      return { target, plan, down: teardown };
    },
  );
}

/** Removes a run kept up by `env up` / `run --keep`, or an interrupted one, from another process. */
export async function removeEnvironment(runId: string): Promise<void> {
  const kind = (() => {
    try {
      return resolveKindTools().kind.path;
    } catch {
      return undefined; // no kind: its node containers are removed through docker
    }
  })();
  const docker = await connectDockerEngine();
  await teardownKindRun(runId, { kind, run: execaRunner, docker, log: () => {} });
}

/** `--env kind --dry-run`: the plan with placeholder secrets and ports, nothing built, nothing created. */
export async function planKindEnvironment(opts: Pick<EnvironmentOptions, 'runId' | 'systemSettings'>): Promise<string> {
  const settings = kindSettings();
  const secrets = await generateOfficialSecrets();
  const plan = kindPlan({
    runId: opts.runId,
    settings,
    secrets,
    s3: { accessKey: `hc${randomSecret(14)}`, secretKey: randomSecret(32) },
    harborHostPort: await freePort(),
    upstreamHostPort: await freePort(),
    offlineImages: {
      postgres: 'harbor-conformance/postgres:<content hash>',
      redis: 'harbor-conformance/redis:<content hash>',
      s3: 'harbor-conformance/s3:<content hash>',
      registry: 'harbor-conformance/registry:<content hash>',
    },
    systemSettings: opts.systemSettings ?? {},
  });
  return renderPlan(plan, settings);
}

/** Each chart image as this engine has it: the wanted name, else the name Harbor's offline bundle loads. */
async function locateHarborImages(
  docker: Docker,
  images: ChartImage[],
): Promise<Array<{ image: ChartImage; local: boolean }>> {
  return Promise.all(
    images.map(async (image) => {
      if (await hasImage(docker, imageRef(image))) return { image, local: true };
      const loaded = bundleName(image);
      if (await hasImage(docker, loaded))
        return { image: { ...image, repository: loaded.slice(0, loaded.lastIndexOf(':')) }, local: true };
      return { image, local: false };
    }),
  );
}

async function hasImage(docker: Docker, name: string): Promise<boolean> {
  try {
    await docker.getImage(name).inspect();
    return true;
  } catch {
    return false;
  }
}

async function must(
  result: Promise<{ exitCode: number; stdout: string; stderr: string }>,
  what: string,
  runId: string,
): Promise<void> {
  const r = await result;
  if (r.exitCode !== 0) throw new EnvironmentError(`${STACK} ${runId}: ${commandFailure(what, r)}`);
}

function chartPodSelector(component: string): Record<string, string> {
  // `component` first: the black-hole policy keys on a selector's first label
  return { component, release: HELM_RELEASE, app: 'harbor' };
}

export function kubernetesWorkloads(kubeconfigPath: string): KubernetesWorkloads {
  const chart = (component: string, kind: 'Deployment' | 'StatefulSet' = 'Deployment') => ({
    kind,
    name: `${HELM_RELEASE}-${component}`,
    podSelector: chartPodSelector(component),
  });
  const standIn = (name: string) => ({ kind: 'Deployment' as const, name, podSelector: { [NAME_LABEL]: name } });
  const workloads: KubernetesWorkloads['workloads'] = {
    core: chart('core'),
    jobservice: chart('jobservice'),
    registry: chart('registry'),
    scanner: chart('trivy', 'StatefulSet'),
    database: standIn('postgresql'),
    redis: standIn('redis'),
    'object-storage': standIn('minio'),
    upstream: standIn('upstream'),
  } satisfies Partial<Record<HarborComponent, unknown>>;
  return { kubeconfigPath, namespace: HARBOR_NAMESPACE, workloads };
}

async function describeTarget(
  plan: KindPlan,
  adminPassword: string,
  kubeconfigPath: string,
  signal: AbortSignal,
): Promise<Target> {
  const registryHost = `127.0.0.1:${plan.harborHostPort}`;
  const url = `http://${registryHost}`;
  const authorization = `Basic ${Buffer.from(`admin:${adminPassword}`).toString('base64')}`;
  let harborVersion: string;
  try {
    harborVersion = await pollUntil(
      async () => {
        const response = await fetch(`${url}/api/v2.0/systeminfo`, { headers: { authorization } });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const info = (await response.json()) as { harbor_version?: unknown };
        return typeof info.harbor_version === 'string' ? info.harbor_version : '';
      },
      {
        timeoutMs: 120_000,
        intervalMs: 1_000,
        describe: `${url}/api/v2.0/systeminfo to report harbor_version`,
        signal,
      },
    );
  } catch (error) {
    throw new EnvironmentError(
      `${STACK}: every workload is ready but ${url} answers no authenticated systeminfo (${firstLine(error)}): check the port mapping 127.0.0.1:${plan.harborHostPort} → NodePort`,
    );
  }
  return {
    kind: 'kind',
    runId: plan.runId,
    url,
    registryHost,
    admin: { username: 'admin', password: adminPassword },
    harborVersion,
    // faultInjection names docker containers a check may stop (Target.faults); kind's workloads are in Target.kubernetes
    capabilities: {
      scanner: true,
      ...plan.release.capabilities,
      faultInjection: false,
      mutating: true,
      replicationPeer: true,
    },
    // real Trivy with its own DB: the fixture CVEs are a lower bound, and the first scan may wait for the DB
    scanning: { exactAdvisorySet: false, scanDeadlineMs: 180_000, scanStartDeadlineMs: 30_000 },
    // core.configureUserSettings (CONFIG_OVERWRITE_JSON) makes the configuration read-only for the API
    ...('configureUserSettings' in (plan.values.core as Record<string, unknown>)
      ? { systemSettingsDeployed: true }
      : {}),
    peers: {
      plainRegistry: {
        url: `http://127.0.0.1:${plan.upstreamHostPort}`,
        internalUrl: `http://upstream:${STAND_IN_PORTS.upstream}`,
      },
    },
    kubernetes: kubernetesWorkloads(kubeconfigPath),
  };
}
