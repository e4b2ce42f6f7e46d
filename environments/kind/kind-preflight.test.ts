import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { EnvironmentError } from '../environment.ts';
import { DEFAULT_KIND_NODE_IMAGE } from './kind-cluster-config.ts';
import { ensureNodeImage, resolveKindTools, type NodeImageDocker } from './kind-preflight.ts';

function fakeDocker(present: string[], pull: (name: string) => Error | undefined | 'progress-error') {
  const pulled: string[] = [];
  const docker: NodeImageDocker = {
    getImage: (name) => ({
      inspect: async () =>
        present.includes(name) ? {} : Promise.reject(Object.assign(new Error('no such image'), { statusCode: 404 })),
    }),
    async pull(name) {
      pulled.push(name);
      const outcome = pull(name);
      if (outcome instanceof Error) throw outcome;
      const stream = new PassThrough();
      stream.end();
      (stream as unknown as { outcome: unknown }).outcome = outcome;
      return stream;
    },
    modem: {
      followProgress(stream, onFinished) {
        const outcome = (stream as unknown as { outcome: unknown }).outcome;
        onFinished(
          null,
          outcome === 'progress-error'
            ? [{ status: 'Pulling' }, { error: 'manifest unknown' }]
            : [{ status: 'Downloaded' }],
        );
      },
    },
  };
  return { docker, pulled };
}

describe("kind's node image", () => {
  it('is used as it is when the engine has it', async () => {
    const { docker, pulled } = fakeDocker([DEFAULT_KIND_NODE_IMAGE], () => undefined);
    expect(await ensureNodeImage(docker, DEFAULT_KIND_NODE_IMAGE, () => {})).toBe(DEFAULT_KIND_NODE_IMAGE);
    expect(pulled).toEqual([]);
  });

  it('is found by its tag after a docker load, which keeps no registry digest', async () => {
    const { docker, pulled } = fakeDocker(['kindest/node:v1.37.0'], () => undefined);
    expect(await ensureNodeImage(docker, DEFAULT_KIND_NODE_IMAGE, () => {})).toBe('kindest/node:v1.37.0');
    expect(pulled).toEqual([]);
  });

  it('is pulled when missing (a machine that reaches the registry)', async () => {
    const { docker, pulled } = fakeDocker([], () => undefined);
    expect(await ensureNodeImage(docker, DEFAULT_KIND_NODE_IMAGE, () => {})).toBe(DEFAULT_KIND_NODE_IMAGE);
    expect(pulled).toEqual([DEFAULT_KIND_NODE_IMAGE]);
  });

  it.each([
    [
      'the engine refuses the pull',
      () => new Error('Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: no such host'),
      'no such host',
    ],
    ['the pull reports an error in its progress', () => 'progress-error' as const, 'manifest unknown'],
  ])('that cannot be pulled (%s) ends the start in one line saying what to do', async (_, outcome, reason) => {
    const { docker } = fakeDocker([], outcome);
    const error = await ensureNodeImage(docker, DEFAULT_KIND_NODE_IMAGE, () => {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EnvironmentError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    expect(message).toContain(
      `--env kind cannot create a cluster on this machine: kind's node image ${DEFAULT_KIND_NODE_IMAGE} is not on this Docker engine and cannot be pulled (`,
    );
    expect(message).toContain(reason);
    expect(message).toContain(
      'docker load a kindest/node image saved where a registry is reachable (set HC_KIND_NODE_IMAGE if its tag differs), or run --env kind where a registry is reachable',
    );
  });
});

describe('kind and helm', () => {
  const tool = (name: 'kind' | 'helm') => ({ name, path: `/opt/${name}`, source: 'path' as const });
  it('are taken from the build or PATH', () => {
    expect(resolveKindTools({}, (name) => tool(name as 'kind')).helm.path).toBe('/opt/helm');
  });

  it.each([
    [[], 'kind and helm'],
    [['kind'], 'helm'],
  ])('missing (%j present): one line naming what is missing and the build command', (present, missing) => {
    const error = (() => {
      try {
        resolveKindTools({}, (name) => ((present as string[]).includes(name) ? tool(name as 'kind') : null));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^--env kind needs ${missing}: .* is not installed: .*; run bash scripts/tools/build-go-tools\\.sh kind helm, or put your own on PATH$`,
      ),
    );
  });
});
