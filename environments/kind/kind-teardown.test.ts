import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EnvironmentError } from '../environment.ts';
import { runPaths, type CommandRunner } from './kind-commands.ts';
import { KIND_CLUSTER_LABEL, teardownKindRun, type TeardownDocker } from './kind-teardown.ts';

const runId = 'hc-20261201-091417-giu3';

/** Docker as far as teardown sees it: kind node containers by label, networks by name. */
function fakeDocker(state: {
  containers: Array<{ Id: string; Names: string[]; cluster: string }>;
  networks: Array<{ Id: string; Name: string }>;
}) {
  const removed: string[] = [];
  const docker: TeardownDocker = {
    async listContainers({ filters }) {
      const label = (JSON.parse(filters) as { label: string[] }).label[0]!;
      return state.containers.filter((c) => `${KIND_CLUSTER_LABEL}=${c.cluster}` === label);
    },
    getContainer: (id) => ({
      async remove() {
        removed.push(`container ${id}`);
        state.containers = state.containers.filter((c) => c.Id !== id);
      },
    }),
    async listNetworks({ filters }) {
      const name = (JSON.parse(filters) as { name: string[] }).name[0]!;
      return state.networks.filter((n) => n.Name.includes(name)); // docker's name filter is a substring match
    },
    getNetwork: (id) => ({
      async remove() {
        removed.push(`network ${id}`);
        state.networks = state.networks.filter((n) => n.Id !== id);
      },
    }),
  };
  return { docker, removed };
}

function recordingRunner(
  exitCode = 0,
  onRun?: () => void,
): { run: CommandRunner; calls: Array<{ file: string; args: string[]; env?: Record<string, string> }> } {
  const calls: Array<{ file: string; args: string[]; env?: Record<string, string> }> = [];
  return {
    calls,
    run: async (file, args, options) => {
      calls.push({ file, args, ...(options.env ? { env: options.env } : {}) });
      onRun?.();
      return {
        exitCode,
        stdout: '',
        stderr: exitCode ? 'ERROR: failed to delete cluster "x": docker rm: permission denied' : '',
      };
    },
  };
}

let base: string;
beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'hc-kind-teardown-test-'));
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('teardown of a kind run', () => {
  it('deletes the cluster with kind, on its own node network, and removes the work dir', async () => {
    const paths = runPaths(runId, base);
    await mkdir(paths.workDir, { recursive: true });
    await writeFile(paths.values, 'harborAdminPassword: secret');
    const state = {
      containers: [{ Id: 'c1', Names: [`/${runId}-control-plane`], cluster: runId }],
      networks: [
        { Id: 'n1', Name: `${runId}-kind` },
        { Id: 'n2', Name: `${runId}-kind-other` },
      ],
    };
    const { docker, removed } = fakeDocker(state);
    // kind removes its node when it deletes the cluster
    const { run, calls } = recordingRunner(0, () => (state.containers = []));
    await teardownKindRun(runId, { kind: '/bin/kind', run, docker, log: () => {}, tmpBase: base });
    expect(calls).toEqual([
      {
        file: '/bin/kind',
        args: ['delete', 'cluster', '--name', runId, '--kubeconfig', paths.kubeconfig],
        env: { KIND_EXPERIMENTAL_DOCKER_NETWORK: `${runId}-kind`, KUBECONFIG: paths.kubeconfig },
      },
    ]);
    expect(removed).toEqual(['network n1']); // the exact name only
    expect(existsSync(paths.workDir)).toBe(false);
  });

  it('removes the nodes through docker when kind fails or is not installed', async () => {
    for (const kind of ['/bin/kind', undefined]) {
      const state = {
        containers: [
          { Id: 'c1', Names: [`/${runId}-control-plane`], cluster: runId },
          { Id: 'c2', Names: ['/other-control-plane'], cluster: 'other' },
        ],
        networks: [],
      };
      const { docker, removed } = fakeDocker(state);
      const { run, calls } = recordingRunner(1);
      await teardownKindRun(runId, { kind, run, docker, log: () => {}, tmpBase: base });
      expect(calls).toHaveLength(kind ? 1 : 0);
      expect(removed).toEqual(['container c1']);
      expect(state.containers.map((c) => c.Id)).toEqual(['c2']);
    }
  });

  it('is idempotent: nothing there, nothing done, no error', async () => {
    const { docker, removed } = fakeDocker({ containers: [], networks: [] });
    const { run } = recordingRunner(0);
    await teardownKindRun(runId, { kind: '/bin/kind', run, docker, log: () => {}, tmpBase: base });
    await teardownKindRun(runId, { kind: '/bin/kind', run, docker, log: () => {}, tmpBase: base });
    expect(removed).toEqual([]);
  });

  it('fails in one line, with what to run, when a node cannot be removed', async () => {
    const state = { containers: [{ Id: 'c1', Names: [`/${runId}-control-plane`], cluster: runId }], networks: [] };
    const { docker } = fakeDocker(state);
    docker.getContainer = () => ({ remove: async () => Promise.reject(new Error('device or resource busy')) });
    const { run } = recordingRunner(1);
    const error = await teardownKindRun(runId, { kind: '/bin/kind', run, docker, log: () => {}, tmpBase: base }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^kind run ${runId} was not removed completely \\(kind delete cluster exited 1: .*permission denied; node c1: device or resource busy\\): kind delete cluster --name ${runId}$`,
      ),
    );
  });
});
