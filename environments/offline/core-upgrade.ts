// Upgrading the offline stack in place, the way Harbor's upgrade guide does it: PostgreSQL, Redis, the object store
// and the registry keep running with their data; core/jobservice (the double) stops, the database is backed up
// (pg_dump in the database container), and core starts again at the new release on the same data — its start runs
// the schema migrations the new release has (harbor-double/upgrade/). The new core container is the old one with
// HARBOR_DOUBLE_HARBOR_VERSION (and the fault profile) changed: same image, network aliases, host port, labels and
// token key, as `docker compose up` does after the installer's tags change.
import type Docker from 'dockerode';
import { tarOfTree } from '../../fixtures/images/layer.ts';
import { pollUntil } from '../../lib/poll.ts';
import { EnvironmentError } from '../environment.ts';
import { execOrThrow } from './container-exec.ts';
import { TOKEN_PRIVATE_KEY_PATH } from './harbor-double-container.ts';
import { runLabels } from './run-labels.ts';

/** Where the backup is written inside the database container (removed with the container). */
export const DATABASE_BACKUP_FILE = '/tmp/harbor-conformance-gate.dump';

export interface CoreRelease {
  /** An emulated release of the double (harbor-double/upgrade/emulated-versions.ts). */
  harborVersion: string;
  /** The double's fault profile(s) for the new core, comma-separated; "" for none. */
  faultProfile?: string;
}

/** A stopped core: what it takes to start it again. */
export interface StoppedCore {
  inspect: Docker.ContainerInspectInfo;
  /** The token signing key (PEM), copied into the new container as the stack copied it into the old one. */
  tokenKeyPem: string;
}

export async function runContainer(docker: Docker, runId: string, component: string): Promise<Docker.Container> {
  const found = await docker.listContainers({
    all: true,
    filters: { label: Object.entries(runLabels(runId, component)).map(([k, v]) => `${k}=${v}`) },
  });
  if (found.length !== 1)
    throw new EnvironmentError(`offline stack ${runId}: expected one ${component} container, found ${found.length}`);
  return docker.getContainer(found[0]!.Id);
}

/** Stops and removes the core container, keeping its definition and its token key. */
export async function stopCore(docker: Docker, runId: string): Promise<StoppedCore> {
  const container = await runContainer(docker, runId, 'core');
  const inspect = await container.inspect();
  if (!inspect.State.Running) throw new EnvironmentError(`offline stack ${runId}: core is not running`);
  const tokenKeyPem = await execOrThrow(container, ['cat', TOKEN_PRIVATE_KEY_PATH], 'reading the token key');
  await container.stop({ t: 10 });
  await container.remove({ v: true });
  return { inspect, tokenKeyPem };
}

/** Starts core again from a stopped definition at `release`; returns the new container id. */
export async function startCore(docker: Docker, stopped: StoppedCore, release: CoreRelease): Promise<string> {
  const { Config, HostConfig, NetworkSettings } = stopped.inspect;
  const env = (Config.Env ?? []).filter(
    (e) => !e.startsWith('HARBOR_DOUBLE_HARBOR_VERSION=') && !e.startsWith('HARBOR_DOUBLE_FAULT_PROFILE='),
  );
  env.push(
    `HARBOR_DOUBLE_HARBOR_VERSION=${release.harborVersion}`,
    `HARBOR_DOUBLE_FAULT_PROFILE=${release.faultProfile ?? ''}`,
  );
  // the run's own network (the engine may list the default bridge too); the engine adds the container's short id as
  // an alias, only the names the stack gave are carried over
  const [networkName, network] =
    Object.entries(NetworkSettings.Networks ?? {}).find(([name]) => name !== 'bridge') ?? [];
  if (!networkName || !network) throw new EnvironmentError('the core container was on no network of its run');
  const endpoints = {
    [networkName]: { Aliases: (network.Aliases ?? []).filter((a: string) => !stopped.inspect.Id.startsWith(a)) },
  };
  const created = await docker.createContainer({
    Image: Config.Image,
    Env: env,
    Labels: Config.Labels,
    ...(Config.ExposedPorts ? { ExposedPorts: Config.ExposedPorts } : {}),
    HostConfig: {
      ...(HostConfig.PortBindings ? { PortBindings: HostConfig.PortBindings } : {}),
      NetworkMode: networkName,
    },
    NetworkingConfig: { EndpointsConfig: endpoints },
  });
  await created.putArchive(tarOfTree({ [TOKEN_PRIVATE_KEY_PATH.replace(/^\//, '')]: stopped.tokenKeyPem }), {
    path: '/',
  });
  await created.start();
  return created.id;
}

/** Polls /api/v2.0/health until Harbor says healthy (the last answer in the error otherwise). */
export async function waitUntilHealthy(url: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  await pollUntil(
    async () => {
      const response = await fetch(`${url}/api/v2.0/health`, { signal: AbortSignal.timeout(5_000) });
      return (await response.json()) as { status?: string };
    },
    {
      timeoutMs,
      intervalMs: 250,
      describe: `${url}/api/v2.0/health to say healthy`,
      accept: (health) => health.status === 'healthy',
      ...(signal ? { signal } : {}),
    },
  );
}

async function databaseAccess(
  docker: Docker,
  runId: string,
): Promise<{ container: Docker.Container; args: string[]; env: string[] }> {
  const container = await runContainer(docker, runId, 'database');
  const env = (await container.inspect()).Config.Env ?? [];
  const value = (name: string, fallback: string) =>
    env.find((e) => e.startsWith(`${name}=`))?.slice(name.length + 1) ?? fallback;
  return {
    container,
    args: ['-h', '127.0.0.1', '-U', value('POSTGRES_USER', 'postgres'), '-d', value('POSTGRES_DB', 'registry')],
    env: [`PGPASSWORD=${value('POSTGRES_PASSWORD', '')}`],
  };
}

/** pg_dump (custom format) of Harbor's database inside its container; returns the backup's size in bytes. */
export async function backupDatabase(docker: Docker, runId: string, file = DATABASE_BACKUP_FILE): Promise<number> {
  const db = await databaseAccess(docker, runId);
  await execOrThrow(db.container, ['pg_dump', '-Fc', '-f', file, ...db.args], 'pg_dump', db.env);
  const size = await execOrThrow(db.container, ['stat', '-c', '%s', file], 'stat of the backup');
  return Number(size.trim());
}

/** Restores a backupDatabase file over the database (core must be stopped: no open connections). */
export async function restoreDatabase(docker: Docker, runId: string, file = DATABASE_BACKUP_FILE): Promise<void> {
  const db = await databaseAccess(docker, runId);
  await execOrThrow(
    db.container,
    ['pg_restore', '--clean', '--if-exists', '--single-transaction', '--no-owner', ...db.args, file],
    'pg_restore',
    db.env,
  );
}
