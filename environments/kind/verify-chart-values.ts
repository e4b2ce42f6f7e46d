// Checks the generated values against Harbor's real chart, outside the project:
//   node environments/kind/verify-chart-values.ts <goharbor/harbor-helm git dir> [chart versions…]
// For each mapped chart version (default: all of MAPPED_CHARTS) the chart is exported from the given
// clone into the OS temp dir (never into this repository), then `helm lint`, `helm template` and the
// environment's own `helm install` command line (--dry-run=client) run with the values it generates, every values key is looked up in the chart's
// values.yaml or templates, and the rendered manifests are checked to carry the settings. Prints one
// line per version and a JSON summary (the keys, for chart-values-keys.json). Exit 1 on any failure.
import { execa } from 'execa';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAllYaml, loadYaml } from '@kubernetes/client-node';
import { startFakeKubeApi } from '../../lib/kubernetes/testing/fake-kube-api.ts';
import { resolveGoTool } from '../../lib/tools/go-tools.ts';
import { generateOfficialSecrets } from '../official/official-secrets.ts';
import { CHART_WORKLOADS } from './kind-environment.ts';
import { MAPPED_CHARTS, chartLine } from './harbor-chart-version.ts';
import { valuesLeafPaths } from './harbor-chart-values.ts';
import { helmInstallArgs } from './kind-commands.ts';
import { HELM_RELEASE, kindPlan, kindSettings, renderValues } from './kind-plan.ts';
import { HARBOR_NAMESPACE } from './stand-in-manifests.ts';

interface Manifest {
  kind: string;
  metadata: { name: string };
  data?: Record<string, string>;
  spec?: Record<string, unknown>;
}

export interface KeyCheck {
  key: string;
  /** `values.yaml` when the chart's defaults have it, `templates` when only a template reads it (commented-out defaults). */
  foundIn: 'values.yaml' | 'templates';
}

/** Where the chart knows a values key: its values.yaml (a default, any depth), else a template that reads it. */
export function lookUpKey(key: string, chartValues: unknown, templates: string): KeyCheck | undefined {
  let node: unknown = chartValues;
  const parts = key.split('.');
  for (const part of parts) {
    if (node && typeof node === 'object' && !Array.isArray(node) && part in node)
      node = (node as Record<string, unknown>)[part];
    else {
      node = undefined;
      break;
    }
  }
  if (node !== undefined) return { key, foundIn: 'values.yaml' };
  // a template reads `<parent>.<last>` (e.g. `$storage.s3.accesskey`): the key is the chart's, documented as a comment
  const [parent, last] = parts.slice(-2);
  if (parent && last && new RegExp(`\\.${parent}\\.${last}\\b`).test(templates)) return { key, foundIn: 'templates' };
  return undefined;
}

async function readTemplates(dir: string): Promise<string> {
  const texts: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) texts.push(await readFile(join(entry.parentPath, entry.name), 'utf8'));
  }
  return texts.join('\n');
}

function b64(text: string | undefined): string {
  return Buffer.from(text ?? '', 'base64').toString('utf8');
}

/** The settings the values must produce in the rendered manifests; each problem is one line. */
export function checkRendered(
  manifests: Manifest[],
  expect: {
    externalURL: string;
    adminPassword: string;
    userSettings: string;
    coreImage: string;
    dbRepositories: boolean;
  },
): string[] {
  const problems: string[] = [];
  const find = (kind: string, name: string) => manifests.find((m) => m.kind === kind && m.metadata?.name === name);
  const workloads = manifests
    .filter((m) => m.kind === 'Deployment' || m.kind === 'StatefulSet')
    .map((m) => m.metadata.name)
    .sort();
  if (JSON.stringify(workloads) !== JSON.stringify([...CHART_WORKLOADS].sort()))
    problems.push(`workloads ${workloads.join(',')} are not CHART_WORKLOADS`);
  const coreCm = find('ConfigMap', 'harbor-core');
  if (coreCm?.data?.EXT_ENDPOINT !== expect.externalURL)
    problems.push(`core EXT_ENDPOINT is ${coreCm?.data?.EXT_ENDPOINT}`);
  if (coreCm?.data?.POSTGRESQL_HOST !== 'postgresql')
    problems.push(`core POSTGRESQL_HOST is ${coreCm?.data?.POSTGRESQL_HOST}`);
  if (!coreCm?.data?._REDIS_URL_CORE?.includes('redis:6379'))
    problems.push(`core _REDIS_URL_CORE is ${coreCm?.data?._REDIS_URL_CORE}`);
  const coreSecret = find('Secret', 'harbor-core');
  if (b64(coreSecret?.data?.HARBOR_ADMIN_PASSWORD) !== expect.adminPassword)
    problems.push('core secret HARBOR_ADMIN_PASSWORD is not the run admin password');
  if (b64(coreSecret?.data?.CONFIG_OVERWRITE_JSON) !== expect.userSettings)
    problems.push('core secret CONFIG_OVERWRITE_JSON is not the policy system settings');
  const registryConfig = find('ConfigMap', 'harbor-registry')?.data?.['config.yml'] ?? '';
  if (
    !/s3:\s*\n\s*region: us-east-1\s*\n\s*bucket: harbor\s*\n\s*regionendpoint: http:\/\/minio:9000/.test(
      registryConfig,
    )
  )
    problems.push('registry config.yml has no s3 storage on http://minio:9000');
  if (!/redirect:\s*\n\s*disable: true/.test(registryConfig)) problems.push('registry config.yml keeps redirects on');
  const service = find('Service', 'harbor');
  const ports = (service?.spec?.ports as Array<{ nodePort?: number }> | undefined) ?? [];
  if (service?.spec?.type !== 'NodePort' || !ports.some((p) => p.nodePort === 30002))
    problems.push('service harbor is not NodePort 30002');
  const core = JSON.stringify(find('Deployment', 'harbor-core') ?? {});
  if (!core.includes(`"image":"${expect.coreImage}"`)) problems.push(`core image is not ${expect.coreImage}`);
  if (!core.includes('GC_TIME_WINDOW_HOURS')) problems.push('core has no GC_TIME_WINDOW_HOURS');
  const trivy = JSON.stringify(find('StatefulSet', 'harbor-trivy') ?? {});
  if (expect.dbRepositories && !trivy.includes('mirror.gcr.io/aquasec/trivy-db,ghcr.io/aquasecurity/trivy-db'))
    problems.push('trivy has not the DB repositories');
  if (manifests.some((m) => m.kind === 'PersistentVolumeClaim'))
    problems.push('a PersistentVolumeClaim is rendered (persistence should be off)');
  return problems;
}

async function verifyVersion(
  repo: string,
  version: string,
  helm: string,
  work: string,
): Promise<{ ok: boolean; line: string; keys: KeyCheck[] }> {
  const chart = MAPPED_CHARTS.find((c) => c.version === version);
  if (!chart) return { ok: false, line: `${version}: not a mapped chart version`, keys: [] };
  const ref = /@([0-9a-f]{7,40})/.exec(chart.source)?.[1] ?? `v${chart.version}`;
  const dir = join(work, `harbor-${version}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await execa('sh', ['-c', `git -C "$1" archive "$2" | tar -x -C "$3"`, 'sh', repo, ref, dir]);
  const chartYaml = loadYaml<{ version: string; appVersion: string }>(await readFile(join(dir, 'Chart.yaml'), 'utf8'));
  if (chartYaml.version !== chart.version || `v${chartYaml.appVersion}` !== chart.harborVersion) {
    return {
      ok: false,
      line: `${version}: ${ref} has Chart.yaml ${chartYaml.version}/${chartYaml.appVersion}, not ${chart.version}/${chart.harborVersion}`,
      keys: [],
    };
  }
  const secrets = await generateOfficialSecrets();
  const plan = kindPlan({
    runId: 'hc-20261201-000000-veri',
    settings: { ...kindSettings({}), harborVersion: chart.harborVersion },
    secrets,
    s3: { accessKey: 'hcverifyaccesskey', secretKey: 'verify-secret-key-0123456789abcdef' },
    harborHostPort: 30080,
    upstreamHostPort: 30081,
    offlineImages: { postgres: 'p', redis: 'r', s3: 's', registry: 'g' },
    systemSettings: { self_registration: false, project_creation_restriction: 'adminonly' },
  });
  const valuesFile = join(work, `values-${version}.yaml`);
  await writeFile(valuesFile, renderValues(plan.values), { mode: 0o600 });

  const chartValues = loadYaml(await readFile(join(dir, 'values.yaml'), 'utf8'));
  const templates = await readTemplates(join(dir, 'templates'));
  const keys: KeyCheck[] = [];
  const unknown: string[] = [];
  for (const key of valuesLeafPaths(plan.values)) {
    const found = lookUpKey(key, chartValues, templates);
    if (found) keys.push(found);
    else unknown.push(key);
  }
  const lint = await execa(helm, ['lint', dir, '--values', valuesFile], { reject: false });
  const template = await execa(
    helm,
    ['template', HELM_RELEASE, dir, '--namespace', HARBOR_NAMESPACE, '--values', valuesFile],
    { reject: false },
  );
  // the environment's own `helm install` command line, as a client-side dry run without the server's
  // OpenAPI schema; helm still asks for the version and API groups, which a recording API server answers
  // as kind's v1.37 would (and must see no write)
  const api = await startFakeKubeApi();
  const groups = ['apps/v1', 'batch/v1', 'networking.k8s.io/v1'];
  api.route = (r) => {
    const path = r.path.split('?')[0];
    if (path === '/version')
      return { status: 200, body: { major: '1', minor: '37', gitVersion: 'v1.37.0', platform: 'linux/amd64' } };
    if (path === '/api')
      return { status: 200, body: { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] } };
    if (path === '/apis') {
      const list = groups.map((gv) => ({
        name: gv.split('/')[0],
        versions: [{ groupVersion: gv, version: gv.split('/')[1] }],
        preferredVersion: { groupVersion: gv, version: gv.split('/')[1] },
      }));
      return { status: 200, body: { kind: 'APIGroupList', apiVersion: 'v1', groups: list } };
    }
    return undefined;
  };
  const kubeconfig = join(work, 'kubeconfig');
  await writeFile(kubeconfig, api.kubeconfig, { mode: 0o600 });
  const install = await execa(
    helm,
    [
      ...helmInstallArgs(HELM_RELEASE, HARBOR_NAMESPACE, { path: dir }, valuesFile, kubeconfig),
      '--dry-run=client',
      '--disable-openapi-validation',
    ],
    {
      reject: false,
      env: {
        HELM_CACHE_HOME: join(work, 'helm'),
        HELM_CONFIG_HOME: join(work, 'helm'),
        HELM_DATA_HOME: join(work, 'helm'),
      },
    },
  );
  await api.close();
  const asked = [...new Set(api.requests.map((r) => `${r.method} ${r.path.split('?')[0]}`))];
  const problems: string[] = [];
  if (install.exitCode === 0 && asked.some((a) => !a.startsWith('GET ')))
    problems.push(`helm's dry run wrote to the API: ${asked.join(', ')}`);
  if (install.exitCode !== 0)
    problems.push(`helm install --dry-run=client: ${String(install.stderr).trim().split('\n').at(-1)}`);
  if (unknown.length > 0) problems.push(`keys the chart does not know: ${unknown.join(', ')}`);
  if (lint.exitCode !== 0)
    problems.push(
      `helm lint: ${String(lint.stdout)
        .split('\n')
        .filter((l) => /ERROR|WARNING/.test(l))
        .join(' | ')}`,
    );
  if (template.exitCode !== 0) problems.push(`helm template: ${String(template.stderr).trim().split('\n').at(-1)}`);
  else {
    const manifests = (loadAllYaml(String(template.stdout)) as Manifest[]).filter(Boolean);
    problems.push(
      ...checkRendered(manifests, {
        externalURL: 'http://127.0.0.1:30080',
        adminPassword: secrets.adminPassword,
        userSettings: String((plan.values.core as Record<string, unknown>).configureUserSettings),
        coreImage: `ghcr.io/goharbor/harbor-core:${chart.harborVersion}`,
        dbRepositories: 'dbRepository' in (plan.values.trivy as Record<string, unknown>),
      }),
    );
    const rendered = String(template.stdout);
    for (const secret of [secrets.adminPassword, secrets.databasePassword, secrets.coreSecret]) {
      if (rendered.includes(secret))
        problems.push('a secret appears in clear in the rendered manifests (not base64 in a Secret)');
    }
  }
  await rm(dir, { recursive: true, force: true });
  await rm(valuesFile, { force: true });
  const lintSummary =
    String(lint.stdout).match(/\d+ chart\(s\) linted, \d+ chart\(s\) failed/)?.[0] ?? `lint exit ${lint.exitCode}`;
  const line = `${chart.version} (Harbor ${chart.harborVersion}, ${ref}): ${problems.length === 0 ? 'OK' : 'FAILED'} — ${keys.length} keys known (${keys.filter((k) => k.foundIn === 'templates').length} only in templates), helm lint: ${lintSummary}, helm template: ${template.exitCode === 0 ? 'rendered' : 'failed'}, helm install --dry-run=client: ${install.exitCode === 0 ? 'ok' : 'failed'}${problems.length ? `; ${problems.join('; ')}` : ''}`;
  return { ok: problems.length === 0, line, keys };
}

if (import.meta.main) {
  const [repo, ...versions] = process.argv.slice(2);
  const helm = resolveGoTool('helm');
  if (!repo || !helm) {
    process.stderr.write(
      `usage: verify-chart-values.ts <goharbor/harbor-helm git dir> [chart versions…]${helm ? '' : ' (and helm: bash scripts/tools/build-go-tools.sh helm)'}\n`,
    );
    process.exit(2);
  }
  const work = join(tmpdir(), 'hc-verify-harbor-chart');
  await mkdir(work, { recursive: true });
  const results: Record<string, { ok: boolean; keys: KeyCheck[] }> = {};
  let failed = 0;
  for (const version of versions.length ? versions : MAPPED_CHARTS.map((c) => c.version)) {
    const result = await verifyVersion(repo, version, helm.path, work);
    process.stdout.write(`${result.line}\n`);
    results[version] = { ok: result.ok, keys: result.keys };
    if (!result.ok) failed += 1;
  }
  await rm(work, { recursive: true, force: true });
  const byLine: Record<string, { versions: string[]; keys: KeyCheck[] }> = {};
  for (const [version, r] of Object.entries(results)) {
    if (!r.ok) continue;
    const entry = (byLine[chartLine(version)] ??= { versions: [], keys: r.keys });
    entry.versions.push(version);
  }
  process.stdout.write(`${JSON.stringify({ helm: helm.pinned ?? helm.path, lines: byLine }, null, 2)}\n`);
  process.exit(failed ? 1 : 0);
}
