// `--env kind` on a machine whose Docker engine cannot pull kind's node image (this one: no registry
// is reachable): the run stops at once with one line saying so and what to do, exit 2, and nothing of
// it is left — no kind cluster, node container, node network or work dir. And `--dry-run` prints the plan.
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import Docker from 'dockerode';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { resolveGoTool } from '../../lib/tools/go-tools.ts';
import { DEFAULT_KIND_NODE_IMAGE } from './kind-cluster-config.ts';
import { KIND_CLUSTER_LABEL } from './kind-teardown.ts';

const cli = fileURLToPath(new URL('../../scripts/cli.ts', import.meta.url));
const docker = new Docker();
const kind = resolveGoTool('kind');
const helm = resolveGoTool('helm');

function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^(VITEST|CI$|HARBOR_|HC_)/.test(key)) env[key] = value;
  return { ...env, ...extra };
}

/** Everything a kind run could leave: clusters, node containers, per-run node networks, work dirs. */
async function kindFootprint(): Promise<string[]> {
  const clusters = kind
    ? String((await execa(kind.path, ['get', 'clusters'], { reject: false })).stdout)
        .split('\n')
        .filter(Boolean)
    : [];
  const nodes = await docker.listContainers({ all: true, filters: JSON.stringify({ label: [KIND_CLUSTER_LABEL] }) });
  const networks = (await docker.listNetworks()).filter((n) => /^hc-.*-kind$/.test(n.Name));
  const dirs = (await readdir(tmpdir())).filter((d) => d.startsWith('hc-kind-hc-'));
  return [
    ...clusters.map((c) => `cluster ${c}`),
    ...nodes.map((n) => `node ${n.Names[0]}`),
    ...networks.map((n) => `network ${n.Name}`),
    ...dirs.map((d) => `dir ${d}`),
  ].sort();
}

async function nodeImageOnEngine(image: string): Promise<boolean> {
  return docker
    .getImage(image)
    .inspect()
    .then(
      () => true,
      () => false,
    );
}

async function runKind(extraEnv: Record<string, string>) {
  const t = Date.now();
  const result = await execa(process.execPath, [cli, 'run', '--env', 'kind', '--quiet'], {
    env: childEnv(extraEnv),
    extendEnv: false,
    reject: false,
    timeout: 120_000,
  });
  return { code: result.exitCode, stderr: String(result.stderr), stdout: String(result.stdout), ms: Date.now() - t };
}

const toolsReason =
  kind && helm ? undefined : 'kind and helm are not built (bash scripts/tools/build-go-tools.sh kind helm)';

describe.skipIf(toolsReason)('--env kind where the node image cannot be pulled', () => {
  it('stops at once in one line, exit 2, and leaves nothing behind (a node image no registry has)', async () => {
    const before = await kindFootprint();
    const image = `kindest/node:hc-absent-${Date.now()}`;
    const { code, stderr, stdout, ms } = await runKind({ HC_KIND_NODE_IMAGE: image });
    expect(code, stderr).toBe(2);
    const lines = stderr.trim().split('\n');
    expect(lines, stderr).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^harbor-conformance: --env kind cannot create a cluster on this machine: kind's node image ${image} is not on this Docker engine and cannot be pulled \\(.+\\); docker load a kindest/node image saved where a registry is reachable \\(set HC_KIND_NODE_IMAGE if its tag differs\\), or run --env kind where a registry is reachable$`,
      ),
    );
    expect(stdout).toBe('');
    expect(ms).toBeLessThan(120_000); // nothing was built: the offline images come after the node image
    expect(await kindFootprint()).toEqual(before);
  });

  it(`with kind's default node image (${DEFAULT_KIND_NODE_IMAGE.split('@')[0]}), as a user runs it here`, async (ctx) => {
    if (await nodeImageOnEngine(DEFAULT_KIND_NODE_IMAGE))
      return ctx.skip('this engine has the node image: --env kind would create a cluster');
    const before = await kindFootprint();
    const { code, stderr } = await runKind({});
    if (code !== 2 && !stderr.includes('cannot be pulled'))
      return ctx.skip(`the node image was pulled: this machine reaches a registry (${stderr.split('\n')[0]})`);
    expect(code, stderr).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain(
      `kind's node image ${DEFAULT_KIND_NODE_IMAGE} is not on this Docker engine and cannot be pulled`,
    );
    expect(await kindFootprint()).toEqual(before);
  });
});

describe('--env kind --dry-run', () => {
  it('prints the plan, exit 0, with the chart version, the kind config, the images and the values redacted', async () => {
    const before = await kindFootprint();
    const result = await execa(process.execPath, [cli, 'run', '--env', 'kind', '--dry-run'], {
      env: childEnv({ HC_HARBOR_VERSION: 'v2.14.4' }),
      extendEnv: false,
      reject: false,
      timeout: 150_000,
    });
    expect(result.exitCode, String(result.stderr)).toBe(0);
    const out = String(result.stdout);
    expect(out).toMatch(
      /^# kind environment plan for run hc-\d{8}-\d{6}-[a-z0-9]{4} \(dry run: nothing was created\)$/m,
    );
    expect(out).toContain('# Harbor v2.14.4 → goharbor/harbor chart 1.18.4 (tag v1.18.4)');
    expect(out).toContain('apiVersion: kind.x-k8s.io/v1alpha4');
    expect(out).toContain('# kind load docker-image harbor-conformance/postgres:<content hash>');
    expect(out).toContain("harborAdminPassword: '[REDACTED]'");
    expect(out).toContain(
      `configureUserSettings: '{"self_registration":false,"project_creation_restriction":"adminonly"}'`,
    );
    expect(await kindFootprint()).toEqual(before);
  });

  it('is refused for another environment in one line', async () => {
    const result = await execa(process.execPath, [cli, 'run', '--env', 'offline', '--dry-run'], {
      env: childEnv(),
      extendEnv: false,
      reject: false,
      timeout: 150_000,
    });
    expect(result.exitCode).toBe(2);
    expect(String(result.stderr).trim()).toBe(
      'harbor-conformance: --dry-run applies to --env kind only (got --env offline)',
    );
  });
});
