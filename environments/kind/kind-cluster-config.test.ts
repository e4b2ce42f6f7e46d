import { loadYaml } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { DEFAULT_KIND_NODE_IMAGE, HARBOR_NODE_PORT, UPSTREAM_NODE_PORT, isValidClusterName, kindClusterConfig, renderKindConfig } from './kind-cluster-config.ts';

const input = { runId: 'hc-20261201-091417-giu3', nodeImage: DEFAULT_KIND_NODE_IMAGE, harborHostPort: 39355, upstreamHostPort: 45295 };

describe('the kind cluster config of a run', () => {
  it('is one control-plane node named after the run, carrying the run id', () => {
    const config = kindClusterConfig(input);
    expect(config).toMatchObject({ kind: 'Cluster', apiVersion: 'kind.x-k8s.io/v1alpha4', name: input.runId });
    expect(config.nodes).toHaveLength(1);
    expect(config.nodes[0]).toMatchObject({ role: 'control-plane', image: DEFAULT_KIND_NODE_IMAGE, labels: { 'harbor-conformance.run-id': input.runId } });
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
    expect(kindClusterConfig(input).networking).toEqual({ ipFamily: 'ipv4', podSubnet: '10.244.0.0/16', serviceSubnet: '10.96.0.0/16' });
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
