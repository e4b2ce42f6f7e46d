// Everything a run created, found by its run-id label: listed for tests, removed by down().
import type Docker from 'dockerode';
import { RUN_ID_LABEL } from './run-labels.ts';

export interface RunResources {
  containers: string[];
  networks: string[];
  volumes: string[];
}

export async function listRunResources(docker: Docker, runId: string): Promise<RunResources> {
  const filters = { label: [`${RUN_ID_LABEL}=${runId}`] };
  const [containers, networks, volumes] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
    docker.listVolumes({ filters }),
  ]);
  return {
    containers: containers.map((c) => c.Id),
    networks: networks.map((n) => n.Id),
    volumes: (volumes.Volumes ?? []).map((v) => v.Name),
  };
}

/** Removes the run's containers (with their anonymous volumes), then its networks and volumes. Idempotent. */
export async function removeRunResources(docker: Docker, runId: string): Promise<void> {
  const found = await listRunResources(docker, runId);
  await Promise.all(found.containers.map((id) => ignoreGone(docker.getContainer(id).remove({ force: true, v: true }))));
  // a container may still be leaving its networks: list again after the containers are gone
  const rest = await listRunResources(docker, runId);
  await Promise.all([
    ...rest.networks.map((id) => ignoreGone(docker.getNetwork(id).remove())),
    ...rest.volumes.map((name) => ignoreGone(docker.getVolume(name).remove({ force: true }))),
  ]);
}

async function ignoreGone(operation: Promise<unknown>): Promise<void> {
  try {
    await operation;
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    // 404: already gone; 409: removal already in progress (a concurrent down())
    if (status !== 404 && status !== 409) throw error;
  }
}
