// Starts the environment a run asks for. Provisioners are imported lazily: a run against an external
// Harbor never loads testcontainers, and an environment not yet in this build fails with one line.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Environment, EnvironmentOptions } from '../environments/environment.ts';
import { EnvironmentError } from '../environments/environment.ts';
import type { RunConfig } from './config.ts';

type Starter = (options: EnvironmentOptions) => Promise<Environment>;

const provisioners = {
  offline: { module: '../environments/offline/offline-environment.ts', starter: 'startOfflineEnvironment' },
  official: { module: '../environments/official/official-environment.ts', starter: 'startOfficialEnvironment' },
  kind: { module: '../environments/kind/kind-environment.ts', starter: 'startKindEnvironment' },
} as const;

export async function startEnvironment(config: RunConfig, options: EnvironmentOptions): Promise<Environment> {
  if (config.env === 'external') {
    const { connectExternalEnvironment } = await import('../environments/external/external-environment.ts');
    return connectExternalEnvironment({
      url: config.url as string,
      username: config.username,
      password: config.password as string,
      mutating: config.allowMutating,
      runId: options.runId,
      ...(options.log ? { log: options.log } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }
  const { module, starter } = provisioners[config.env];
  const start = await loadStarter(config.env, module, starter);
  return start(options);
}

async function loadStarter(name: string, module: string, exportName: string): Promise<Starter> {
  const url = new URL(module, import.meta.url);
  if (!existsSync(fileURLToPath(url))) {
    throw new EnvironmentError(
      `the ${name} environment is not part of this build yet (${module.replace('../', '')} is missing); use --env offline or --env external`,
    );
  }
  const mod = (await import(url.href)) as Record<string, unknown>;
  const start = mod[exportName];
  if (typeof start !== 'function')
    throw new EnvironmentError(`${module.replace('../', '')} does not export ${exportName}()`);
  return start as Starter;
}

/**
 * Removes an environment kept up by `env up` / `run --keep`, from another process than the one that
 * started it. Provisioners export `removeEnvironment(runId)`; without one, everything Docker holds with
 * the run's label goes (containers, then networks and volumes).
 */
export async function removeKeptEnvironment(
  env: RunConfig['env'],
  runId: string,
  log: (line: string) => void,
): Promise<void> {
  if (env === 'external') return;
  const { module } = provisioners[env];
  const url = new URL(module, import.meta.url);
  if (existsSync(fileURLToPath(url))) {
    const mod = (await import(url.href)) as { removeEnvironment?: (runId: string) => Promise<void> };
    if (typeof mod.removeEnvironment === 'function') return mod.removeEnvironment(runId);
  }
  await removeDockerResourcesLabelled(runLabel, runId, log);
}

/** Label every provisioner puts on the containers, networks and volumes of a run. */
export const runLabel = 'harbor-conformance.run-id';

async function removeDockerResourcesLabelled(label: string, value: string, log: (line: string) => void): Promise<void> {
  const { default: Docker } = await import('dockerode');
  const docker = new Docker();
  const filters = JSON.stringify({ label: [`${label}=${value}`] });
  for (const info of await docker.listContainers({ all: true, filters })) {
    log(`removing container ${info.Names[0] ?? info.Id.slice(0, 12)}`);
    await docker.getContainer(info.Id).remove({ force: true, v: true });
  }
  for (const info of await docker.listNetworks({ filters })) {
    log(`removing network ${info.Name}`);
    await docker.getNetwork(info.Id).remove();
  }
  const { Volumes } = await docker.listVolumes({ filters });
  for (const info of Volumes ?? []) {
    log(`removing volume ${info.Name}`);
    await docker.getVolume(info.Name).remove();
  }
}

/** How long an environment may take to come up (cold image builds included). HC_START_TIMEOUT in seconds. */
export function startTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const seconds = Number(env.HC_START_TIMEOUT ?? 1200);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 1_200_000;
}

/**
 * startEnvironment with a deadline, and a sweep of everything labelled with the run id when the start
 * fails. The ref'd timer also keeps the process alive: a provisioner whose promise waits on nothing
 * (a container that died before its wait strategy armed) must not let Node exit with containers left.
 */
export async function startEnvironmentGuarded(
  config: RunConfig,
  options: EnvironmentOptions & { log: (line: string) => void },
  abort: (reason: Error) => void,
  timeoutMs = startTimeoutMs(),
): Promise<Environment> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new EnvironmentError(
        `the ${config.env} environment did not come up within ${Math.round(timeoutMs / 1000)} s (HC_START_TIMEOUT)`,
      );
      abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    return await Promise.race([startEnvironment(config, options), deadline]);
  } catch (error) {
    await removeKeptEnvironment(config.env, options.runId, options.log).catch(() => {});
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
