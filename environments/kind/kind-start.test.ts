// The start of a kind run, with kind and helm replaced by a recording runner whose `kind create cluster`
// writes a kubeconfig for a recording Kubernetes API server: every failure after the cluster exists —
// and Ctrl-C — ends with the cluster deleted, the work dir gone, and one line.
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeKubeApi, type FakeKubeApi } from '../../lib/kubernetes/testing/fake-kube-api.ts';
import { EnvironmentError } from '../environment.ts';
import type { CommandRunner } from './kind-commands.ts';
import { runPaths } from './kind-commands.ts';
import { startKindEnvironment, type KindStartDeps } from './kind-environment.ts';
import { readAnswers } from './testing/api-answers.ts';

const runId = 'hc-20261201-093000-test';
let base: string;
let fake: FakeKubeApi;
let calls: string[][];

const engine = {
  getImage: () => ({
    inspect: async () => Promise.reject(Object.assign(new Error('no such image'), { statusCode: 404 })),
  }),
  listContainers: async () => [],
  listNetworks: async () => [],
} as unknown as Docker;

function deps(onCommand: (args: string[], signal?: AbortSignal) => Promise<number> | number = () => 0): KindStartDeps {
  const run: CommandRunner = async (file, args, options) => {
    calls.push([file, ...args]);
    if (args[0] === 'create' && args[1] === 'cluster')
      await writeFile(args[args.indexOf('--kubeconfig') + 1]!, fake.kubeconfig);
    const exitCode = await onCommand(args, options.signal);
    return { exitCode, stdout: '', stderr: exitCode ? `Error: INSTALLATION FAILED: ${args[0]} refused` : '' };
  };
  return {
    tools: () => ({
      kind: { name: 'kind', path: '/fake/kind', source: 'path' },
      helm: { name: 'helm', path: '/fake/helm', source: 'path' },
    }),
    docker: async () => engine,
    nodeImage: async (_docker, image) => image,
    offlineImages: async () => ({
      tags: {
        postgres: 'harbor-conformance/postgres:t',
        redis: 'harbor-conformance/redis:t',
        s3: 'harbor-conformance/s3:t',
        registry: 'harbor-conformance/registry:t',
      },
    }),
    run,
    tmpBase: base,
  };
}

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'hc-kind-start-test-'));
  calls = [];
  fake = await startFakeKubeApi([readAnswers('all-ready')]);
  // objects the start creates are accepted as the API server would
  fake.route = (r) => (r.method === 'POST' ? { status: 201, body: r.body } : undefined);
});
afterEach(async () => {
  await fake.close();
  await rm(base, { recursive: true, force: true });
});

const kindCommands = () => calls.filter((c) => c[0] === '/fake/kind').map((c) => c.slice(1, 3).join(' '));

describe('a kind start that fails or is interrupted', () => {
  it('creates the cluster, loads the stand-in images, applies the stand-ins, installs the chart — and deletes it all when helm fails', async () => {
    const error = await startKindEnvironment(
      { runId },
      deps((args) => (args[0] === 'install' ? 1 : 0)),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as Error).message).toBe(
      `kind cluster ${runId}: helm install exited 1: Error: INSTALLATION FAILED: install refused`,
    );
    // the run is swept before and after the starts in flight settle (guarded-start); kind delete is idempotent
    expect([...new Set(kindCommands())]).toEqual(['create cluster', 'load docker-image', 'delete cluster']);
    const load = calls.find((c) => c[1] === 'load')!;
    expect(load.slice(-4)).toEqual([
      'harbor-conformance/postgres:t',
      'harbor-conformance/redis:t',
      'harbor-conformance/s3:t',
      'harbor-conformance/registry:t',
    ]);
    const created = fake.requests
      .filter((r) => r.method === 'POST')
      .map((r) => `${(r.body as { kind: string }).kind} ${(r.body as { metadata: { name: string } }).metadata.name}`);
    expect(created).toEqual([
      'Namespace harbor',
      'Secret hc-stand-ins',
      'Deployment postgresql',
      'Service postgresql',
      'Deployment redis',
      'Service redis',
      'Deployment minio',
      'Service minio',
      'Deployment upstream',
      'Service upstream',
      'Job hc-create-bucket',
    ]);
    const install = calls.find((c) => c[0] === '/fake/helm')!;
    expect(install.slice(1, 8)).toEqual([
      'install',
      'harbor',
      'harbor',
      '--repo',
      'https://helm.goharbor.io',
      '--version',
      '1.19.2',
    ]);
    expect(existsSync(runPaths(runId, base).workDir)).toBe(false);
  });

  it('deletes the cluster when a component can never become ready, with its events in the one line', async () => {
    fake.scenario.splice(0, 1, readAnswers('nginx-image-pull-back-off'));
    const error = await startKindEnvironment({ runId }, deps()).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(
      /^kind cluster hc-20261201-093000-test: harbor-nginx \(Deployment\) cannot become ready \(.*ImagePullBackOff.*events: .*Failed to pull image/,
    );
    expect((error as Error).message).not.toContain('\n');
    expect(kindCommands().at(-1)).toBe('delete cluster');
    expect(existsSync(runPaths(runId, base).workDir)).toBe(false);
  });

  it('on Ctrl-C during kind create cluster: the command is cancelled, the cluster deleted, the start ends in one line', async () => {
    const controller = new AbortController();
    const started = deps(async (args, signal) => {
      if (args[0] !== 'create') return 0;
      setTimeout(() => controller.abort(new Error('interrupted by SIGINT')), 50);
      await new Promise((resolve) => signal?.addEventListener('abort', resolve, { once: true }));
      return 130;
    });
    const error = await startKindEnvironment({ runId, signal: controller.signal }, started).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as Error).message).toBe(`kind cluster start of run ${runId} was cancelled`);
    expect([...new Set(kindCommands())]).toEqual(['create cluster', 'delete cluster']);
    expect(existsSync(runPaths(runId, base).workDir)).toBe(false);
  });

  it('keeps the values with the secrets in clear only in the 0600 work dir while it runs', async () => {
    let mode = 0;
    await startKindEnvironment(
      { runId },
      deps(async (args) => {
        if (args[0] === 'install') {
          const { statSync } = await import('node:fs');
          mode = statSync(runPaths(runId, base).values).mode & 0o777;
          return 1;
        }
        return 0;
      }),
    ).catch(() => {});
    expect(mode).toBe(0o600);
  });
});
