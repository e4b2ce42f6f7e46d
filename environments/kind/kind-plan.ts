// Everything a kind run will do, decided before anything is created: the cluster's config, the chart
// and its version, the values, the stand-ins and which images go in with `kind load`. `--dry-run`
// prints it (secrets redacted); the start executes it.
import type { KubernetesObject } from '@kubernetes/client-node';
import { dumpYaml } from '@kubernetes/client-node';
import { DEFAULT_HARBOR_VERSION, DEFAULT_IMAGE_REGISTRY, type HarborRelease } from '../official/harbor-release.ts';
import { trivySettings, type TrivySettings } from '../official/official-component-specs.ts';
import type { OfficialSecrets } from '../official/official-secrets.ts';
import { S3_REGION } from '../offline/object-storage-container.ts';
import { chartImages, imageRef, type ChartImage } from './chart-images.ts';
import { harborChartForVersion, type HarborChart } from './harbor-chart-version.ts';
import { harborChartValues, redactedValues, type HelmValues } from './harbor-chart-values.ts';
import {
  DEFAULT_KIND_NODE_IMAGE,
  kindClusterConfig,
  renderKindConfig,
  type KindClusterConfig,
} from './kind-cluster-config.ts';
import { HARBOR_NAMESPACE, STAND_IN_PORTS, standInManifests, type StandInInput } from './stand-in-manifests.ts';

export const HELM_RELEASE = 'harbor';
export const DEFAULT_CHART_REPO = 'https://helm.goharbor.io';
export const REGISTRY_BUCKET = 'harbor';

export interface KindSettings {
  harborVersion: string;
  imageRegistry: string;
  nodeImage: string;
  /** A local chart directory or .tgz (HC_HELM_CHART); default: chart `harbor` from DEFAULT_CHART_REPO. */
  chartPath?: string;
  trivy: TrivySettings;
}

/** The kind environment's settings from the environment variables the official one reads, plus its own. */
export function kindSettings(env: NodeJS.ProcessEnv = process.env): KindSettings {
  const repos = env.HC_TRIVY_DB_REPOSITORY?.split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  return {
    harborVersion: env.HC_HARBOR_VERSION ?? DEFAULT_HARBOR_VERSION,
    imageRegistry: env.HC_IMAGE_REGISTRY ?? DEFAULT_IMAGE_REGISTRY,
    nodeImage: env.HC_KIND_NODE_IMAGE ?? DEFAULT_KIND_NODE_IMAGE,
    ...(env.HC_HELM_CHART ? { chartPath: env.HC_HELM_CHART } : {}),
    // a host directory cannot be copied into a pod: the adapter downloads its DB (HC_TRIVY_DB_REPOSITORY)
    trivy: trivySettings(repos?.length ? { dbRepositories: repos } : {}),
  };
}

export interface KindPlanInput {
  runId: string;
  settings: KindSettings;
  secrets: OfficialSecrets;
  /** S3 key pair of the in-cluster stand-in. */
  s3: { accessKey: string; secretKey: string };
  harborHostPort: number;
  upstreamHostPort: number;
  /** Tags of the offline images the stand-ins run (a placeholder in a dry run that builds nothing). */
  offlineImages: StandInInput['images'];
  systemSettings: Record<string, string | boolean | number>;
  /** The chart's images as this engine has them (kind-environment.ts); default the settings' registry. */
  harborImages?: ChartImage[];
}

export interface KindPlan {
  runId: string;
  release: HarborRelease;
  chart: HarborChart;
  /** What `helm install` is given: a repo chart with --version, or a local path. */
  chartSource: { repo: string; name: string; version: string } | { path: string };
  kindConfig: KindClusterConfig;
  values: HelmValues;
  standIns: KubernetesObject[];
  harborImages: ChartImage[];
  /** Images built here: always `kind load`ed (the cluster cannot pull them). */
  offlineImages: string[];
  harborHostPort: number;
  upstreamHostPort: number;
}

export function kindPlan(input: KindPlanInput): KindPlan {
  const { settings } = input;
  const { release, chart } = harborChartForVersion(settings.harborVersion);
  const harborImages = input.harborImages ?? chartImages(release, settings.imageRegistry);
  const values = harborChartValues({
    release,
    chart,
    images: harborImages,
    secrets: input.secrets,
    harborHostPort: input.harborHostPort,
    database: {
      host: 'postgresql',
      port: STAND_IN_PORTS.postgresql,
      username: 'postgres',
      password: input.secrets.databasePassword,
      database: 'registry',
    },
    redisAddress: `redis:${STAND_IN_PORTS.redis}`,
    s3: {
      regionEndpoint: `http://minio:${STAND_IN_PORTS.minio}`,
      region: S3_REGION,
      accessKey: input.s3.accessKey,
      secretKey: input.s3.secretKey,
      bucket: REGISTRY_BUCKET,
    },
    trivy: settings.trivy,
    systemSettings: input.systemSettings,
  });
  return {
    runId: input.runId,
    release,
    chart,
    chartSource: settings.chartPath
      ? { path: settings.chartPath }
      : { repo: DEFAULT_CHART_REPO, name: 'harbor', version: chart.version },
    kindConfig: kindClusterConfig({
      runId: input.runId,
      nodeImage: settings.nodeImage,
      harborHostPort: input.harborHostPort,
      upstreamHostPort: input.upstreamHostPort,
    }),
    values,
    standIns: standInManifests({
      runId: input.runId,
      images: input.offlineImages,
      databasePassword: input.secrets.databasePassword,
      s3AccessKey: input.s3.accessKey,
      s3SecretKey: input.s3.secretKey,
      s3Region: S3_REGION,
      bucket: REGISTRY_BUCKET,
    }),
    harborImages,
    offlineImages: [...new Set(Object.values(input.offlineImages))],
    harborHostPort: input.harborHostPort,
    upstreamHostPort: input.upstreamHostPort,
  };
}

/** The plan as `--env kind --dry-run` prints it: no secret, not even the stand-ins' Secret object. */
export function renderPlan(plan: KindPlan, settings: KindSettings): string {
  const source =
    'path' in plan.chartSource
      ? `${plan.chartSource.path} (HC_HELM_CHART)`
      : `${plan.chartSource.name} ${plan.chartSource.version} from ${plan.chartSource.repo}`;
  const lines = [
    `# kind environment plan for run ${plan.runId} (dry run: nothing was created)`,
    `# Harbor ${plan.release.version} → goharbor/harbor chart ${plan.chart.version} (${plan.chart.source})`,
    `# chart: ${source}; release ${HELM_RELEASE} in namespace ${HARBOR_NAMESPACE}`,
    `# Harbor at http://127.0.0.1:${plan.harborHostPort}, upstream registry at http://127.0.0.1:${plan.upstreamHostPort}`,
    '',
    `# --- kind config (kind create cluster --config; node image ${settings.nodeImage}) ---`,
    renderKindConfig(plan.kindConfig).trimEnd(),
    '',
    '# --- images ---',
    ...plan.offlineImages.map((image) => `# kind load docker-image ${image}   (offline stand-in, built here)`),
    ...plan.harborImages.map(
      (image) => `# ${imageRef(image)}   (kind load when this Docker engine has it, else pulled by the cluster)`,
    ),
    '',
    '# --- helm values (secrets redacted) ---',
    dumpYaml(redactedValues(plan.values)).trimEnd(),
    '',
    '# --- stand-ins applied before the chart (Secret values not shown) ---',
    ...plan.standIns.map(
      (object) =>
        `# ${object.kind} ${object.metadata?.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata?.name}`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}

/** The values file helm is given (YAML; secrets in clear: written 0600 into the run's temp dir only). */
export function renderValues(values: HelmValues): string {
  return dumpYaml(values);
}

export function imageOf(plan: KindPlan, role: ChartImage['role']): string {
  const image = plan.harborImages.find((i) => i.role === role);
  if (!image) throw new Error(`no ${role} image in the plan`);
  return imageRef(image);
}
