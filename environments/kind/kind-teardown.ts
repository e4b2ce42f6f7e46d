// Removes everything of one kind run, whatever state it is in (never started, half created, up):
// `kind delete cluster`, then whatever docker still holds with kind's cluster label for this run (kind
// missing or its delete failed), the run's node network, and the run's work dir. Idempotent.
import { rm } from 'node:fs/promises';
import { EnvironmentError } from '../environment.ts';
import { commandFailure, deleteCluster, kindNetworkName, runPaths, type CommandRunner } from './kind-commands.ts';

/** The label kind puts on its node containers (pkg/cluster/internal/providers/docker/constants.go). */
export const KIND_CLUSTER_LABEL = 'io.x-k8s.kind.cluster';

/** The part of dockerode teardown uses (a fake in tests). */
export interface TeardownDocker {
  listContainers(options: { all: boolean; filters: string }): Promise<Array<{ Id: string; Names?: string[] }>>;
  getContainer(id: string): { remove(options: { force: boolean; v: boolean }): Promise<unknown> };
  listNetworks(options: { filters: string }): Promise<Array<{ Id: string; Name: string }>>;
  getNetwork(id: string): { remove(): Promise<unknown> };
}

export interface TeardownDeps {
  /** kind's path, when installed. */
  kind: string | undefined;
  run: CommandRunner;
  docker: TeardownDocker;
  log: (line: string) => void;
  /** Base of the run's work dir (default the OS temp dir). */
  tmpBase?: string;
}

export async function teardownKindRun(runId: string, deps: TeardownDeps): Promise<void> {
  const paths = runPaths(runId, deps.tmpBase);
  const problems: string[] = [];
  if (deps.kind) {
    const result = await deleteCluster({ kind: deps.kind, helm: '', runId, paths, run: deps.run }).catch(
      (error: Error) => ({ exitCode: 1, stdout: '', stderr: error.message }),
    );
    if (result.exitCode !== 0) problems.push(commandFailure('kind delete cluster', result));
  }
  // kind's node containers of this run, if kind could not remove them (or is not installed)
  const containers = await deps.docker.listContainers({
    all: true,
    filters: JSON.stringify({ label: [`${KIND_CLUSTER_LABEL}=${runId}`] }),
  });
  for (const container of containers) {
    deps.log(`removing kind node ${container.Names?.[0]?.replace(/^\//, '') ?? container.Id.slice(0, 12)}`);
    await deps.docker
      .getContainer(container.Id)
      .remove({ force: true, v: true })
      .catch((error: Error) => problems.push(`node ${container.Id.slice(0, 12)}: ${error.message}`));
  }
  const network = kindNetworkName(runId);
  for (const info of await deps.docker.listNetworks({ filters: JSON.stringify({ name: [network] }) })) {
    // the name filter matches substrings: only the exact name is this run's
    if (info.Name !== network) continue;
    await deps.docker
      .getNetwork(info.Id)
      .remove()
      .catch((error: Error) => problems.push(`network ${network}: ${error.message}`));
  }
  await rm(paths.workDir, { recursive: true, force: true });
  // a failed `kind delete` whose leftovers were removed above is no problem left
  const left = await deps.docker.listContainers({
    all: true,
    filters: JSON.stringify({ label: [`${KIND_CLUSTER_LABEL}=${runId}`] }),
  });
  if (left.length > 0)
    throw new EnvironmentError(
      `kind run ${runId} was not removed completely (${problems.join('; ')}): kind delete cluster --name ${runId}`,
    );
}
