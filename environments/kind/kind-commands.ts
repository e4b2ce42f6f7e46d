// The kind and helm command lines of a run, through execa. Every command gets the run's own kubeconfig
// (never ~/.kube/config) and helm its own cache/config/data dirs inside the run's work dir, so a run
// leaves nothing in the user's home; kind's node network is per run (KIND_EXPERIMENTAL_DOCKER_NETWORK).
import { execa } from 'execa';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

export interface RunPaths {
  /** The run's work dir: kind config, values (0600), kubeconfig, helm's dirs. */
  workDir: string;
  kubeconfig: string;
  kindConfig: string;
  values: string;
}

/** Derived from the run id alone, so another process (`env down`, the reaper) finds the same dir. */
export function runPaths(runId: string, base = tmpdir()): RunPaths {
  const workDir = join(base, `hc-kind-${runId}`);
  return {
    workDir,
    kubeconfig: join(workDir, 'kubeconfig'),
    kindConfig: join(workDir, 'kind-config.yaml'),
    values: join(workDir, 'values.yaml'),
  };
}

/** The docker network kind puts this run's node on (kind's shared `kind` network would outlive the run). */
export function kindNetworkName(runId: string): string {
  return `${runId}-kind`;
}

/** Something that runs a command line: execa here, a recorder in tests. */
export type CommandRunner = (
  file: string,
  args: string[],
  options: { env?: Record<string, string>; signal?: AbortSignal; timeoutMs?: number },
) => Promise<{ exitCode: number; stdout: string; stderr: string }>;

export const execaRunner: CommandRunner = async (file, args, options) => {
  const result = await execa(file, args, {
    reject: false,
    env: options.env,
    ...(options.signal ? { cancelSignal: options.signal } : {}),
    ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
    forceKillAfterDelay: 5_000,
  });
  return { exitCode: result.exitCode ?? 1, stdout: String(result.stdout ?? ''), stderr: String(result.stderr ?? '') };
};

export interface KindCommands {
  kind: string;
  helm: string;
  runId: string;
  paths: RunPaths;
  run: CommandRunner;
}

function kindEnv(c: KindCommands): Record<string, string> {
  return { KIND_EXPERIMENTAL_DOCKER_NETWORK: kindNetworkName(c.runId), KUBECONFIG: c.paths.kubeconfig };
}

function helmEnv(c: KindCommands): Record<string, string> {
  return {
    KUBECONFIG: c.paths.kubeconfig,
    HELM_CACHE_HOME: join(c.paths.workDir, 'helm', 'cache'),
    HELM_CONFIG_HOME: join(c.paths.workDir, 'helm', 'config'),
    HELM_DATA_HOME: join(c.paths.workDir, 'helm', 'data'),
  };
}

/** The failing command's last stderr lines, as one line. */
export function commandFailure(what: string, result: { exitCode: number; stderr: string; stdout: string }): string {
  const lines = (result.stderr || result.stdout)
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return `${what} exited ${result.exitCode}: ${lines.slice(-2).join(' | ') || 'no output'}`;
}

export async function createCluster(c: KindCommands, signal?: AbortSignal) {
  return c.run(
    c.kind,
    [
      'create',
      'cluster',
      '--name',
      c.runId,
      '--config',
      c.paths.kindConfig,
      '--kubeconfig',
      c.paths.kubeconfig,
      '--wait',
      '120s',
    ],
    {
      env: kindEnv(c),
      ...(signal ? { signal } : {}),
      timeoutMs: 600_000,
    },
  );
}

export async function loadImages(c: KindCommands, images: string[], signal?: AbortSignal) {
  return c.run(c.kind, ['load', 'docker-image', '--name', c.runId, ...images], {
    env: kindEnv(c),
    ...(signal ? { signal } : {}),
    timeoutMs: 900_000,
  });
}

/** Idempotent: kind exits 0 when the cluster does not exist. */
export async function deleteCluster(c: KindCommands) {
  return c.run(c.kind, ['delete', 'cluster', '--name', c.runId, '--kubeconfig', c.paths.kubeconfig], {
    env: kindEnv(c),
    timeoutMs: 180_000,
  });
}

export async function listClusters(c: Pick<KindCommands, 'kind' | 'run'>): Promise<string[]> {
  const result = await c.run(c.kind, ['get', 'clusters'], { timeoutMs: 30_000 });
  return result.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

export type ChartSource = { repo: string; name: string; version: string } | { path: string };

export function helmInstallArgs(
  release: string,
  namespace: string,
  chart: ChartSource,
  valuesFile: string,
  kubeconfig: string,
): string[] {
  const chartArgs = 'path' in chart ? [chart.path] : [chart.name, '--repo', chart.repo, '--version', chart.version];
  // no --wait: readiness is followed through the API, which can say why a component is not ready
  return [
    'install',
    release,
    ...chartArgs,
    '--namespace',
    namespace,
    '--values',
    valuesFile,
    '--kubeconfig',
    kubeconfig,
  ];
}

export async function helmInstall(
  c: KindCommands,
  release: string,
  namespace: string,
  chart: ChartSource,
  signal?: AbortSignal,
) {
  return c.run(c.helm, helmInstallArgs(release, namespace, chart, c.paths.values, c.paths.kubeconfig), {
    env: helmEnv(c),
    ...(signal ? { signal } : {}),
    timeoutMs: 600_000,
  });
}
