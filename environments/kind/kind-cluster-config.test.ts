import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadYaml } from '@kubernetes/client-node';
import Docker from 'dockerode';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { resolveGoTool } from '../../lib/tools/go-tools.ts';
import {
  DEFAULT_KIND_NODE_IMAGE,
  HARBOR_NODE_PORT,
  UPSTREAM_NODE_PORT,
  isValidClusterName,
  kindClusterConfig,
  renderKindConfig,
} from './kind-cluster-config.ts';

const input = {
  runId: 'hc-20261201-091417-giu3',
  nodeImage: DEFAULT_KIND_NODE_IMAGE,
  harborHostPort: 39355,
  upstreamHostPort: 45295,
};

describe('the kind cluster config of a run', () => {
  it('is one control-plane node named after the run, carrying the run id', () => {
    const config = kindClusterConfig(input);
    expect(config).toMatchObject({ kind: 'Cluster', apiVersion: 'kind.x-k8s.io/v1alpha4', name: input.runId });
    expect(config.nodes).toHaveLength(1);
    expect(config.nodes[0]).toMatchObject({
      role: 'control-plane',
      image: DEFAULT_KIND_NODE_IMAGE,
      labels: { 'harbor-conformance.run-id': input.runId },
    });
  });

  it("maps Harbor's NodePort and the upstream's onto 127.0.0.1 only", () => {
    const mappings = kindClusterConfig(input).nodes[0]!.extraPortMappings;
    expect(mappings).toEqual([
      { containerPort: HARBOR_NODE_PORT, hostPort: 39355, listenAddress: '127.0.0.1', protocol: 'TCP' },
      { containerPort: UPSTREAM_NODE_PORT, hostPort: 45295, listenAddress: '127.0.0.1', protocol: 'TCP' },
    ]);
    expect(HARBOR_NODE_PORT).toBe(30002); // the chart's expose.nodePort.ports.http.nodePort default
  });

  it('names the pod and Service networks the black-hole NetworkPolicy excludes', () => {
    expect(kindClusterConfig(input).networking).toEqual({
      ipFamily: 'ipv4',
      podSubnet: '10.244.0.0/16',
      serviceSubnet: '10.96.0.0/16',
    });
  });

  it('renders as YAML that reads back to the same config', () => {
    const config = kindClusterConfig(input);
    expect(loadYaml(renderKindConfig(config))).toEqual(config);
  });

  it("follows kind's cluster name rules", () => {
    expect(isValidClusterName(input.runId)).toBe(true);
    expect(isValidClusterName('hc_run')).toBe(false); // docker accepts it, kind does not
    expect(isValidClusterName('HC-1')).toBe(false);
    expect(isValidClusterName('a'.repeat(51))).toBe(false);
  });
});

const kind = resolveGoTool('kind');

describe.skipIf(!kind)('kind itself (the pinned binary) reads the config', () => {
  // kind decodes and validates the config, then pulls the node image before it creates anything: with a
  // tag no registry has, a config it accepts fails at the pull, one it rejects fails at decoding
  async function create(config: string, runId: string) {
    const dir = await mkdtemp(join(tmpdir(), 'hc-kind-config-test-'));
    try {
      await writeFile(join(dir, 'config.yaml'), config);
      const result = await execa(
        kind!.path,
        [
          'create',
          'cluster',
          '--name',
          runId,
          '--config',
          join(dir, 'config.yaml'),
          '--kubeconfig',
          join(dir, 'kubeconfig'),
        ],
        {
          reject: false,
          timeout: 120_000,
          env: { KIND_EXPERIMENTAL_DOCKER_NETWORK: `${runId}-kind` },
        },
      );
      return { output: String(result.stderr), exitCode: result.exitCode, files: await readdir(dir) };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  it('accepts the generated config: it gets to the node image, and leaves no cluster, network or kubeconfig', async () => {
    const runId = `hc-20261201-000000-c${Date.now().toString(36).slice(-3)}`;
    const nodeImage = `kindest/node:hc-absent-${Date.now()}`;
    const { output, exitCode, files } = await create(
      renderKindConfig(kindClusterConfig({ ...input, runId, nodeImage })),
      runId,
    );
    expect(exitCode).toBe(1);
    expect(output).toContain(`Creating cluster "${runId}"`);
    expect(output).toContain(`ERROR: failed to create cluster: failed to pull image "${nodeImage}"`);
    expect(output).not.toContain('unable to decode config');
    expect(files).toEqual(['config.yaml']);
    expect((await new Docker().listNetworks()).map((n) => n.Name)).not.toContain(`${runId}-kind`);
  });

  it('rejects a config with a field kind does not have (so the check above can fail)', async () => {
    const config = renderKindConfig(kindClusterConfig({ ...input, nodeImage: 'kindest/node:hc-absent' })).replace(
      'listenAddress:',
      'listenAdress:',
    );
    const { output } = await create(config, 'hc-20261201-000000-bad0');
    expect(output).toContain('unable to decode config');
  });
});
