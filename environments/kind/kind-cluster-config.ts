// The kind cluster of one run: one control-plane node named after the run id, with the NodePorts of
// Harbor (the chart's nginx, expose.type nodePort) and of the plain upstream registry mapped onto
// 127.0.0.1 of the host — the only way the harness reaches into the cluster.
// Schema: kind.x-k8s.io/v1alpha4 (sigs.k8s.io/kind pkg/apis/config/v1alpha4/types.go@v0.33.0).
import { dumpYaml } from '@kubernetes/client-node';
import { DEFAULT_POD_SUBNET, DEFAULT_SERVICE_SUBNET } from '../../lib/kubernetes/kubernetes-faults.ts';
import { RUN_ID_LABEL } from '../offline/run-labels.ts';

/** kind v0.33.0's default node image (pkg/apis/config/defaults/image.go); HC_KIND_NODE_IMAGE overrides it. */
export const DEFAULT_KIND_NODE_IMAGE =
  'kindest/node:v1.37.0@sha256:a1ed56cfb0e7b93589bdf97c8cd566405a265939e3620fc4f5de89adff580ae5';
/** The chart's default http NodePort (values expose.nodePort.ports.http.nodePort). */
export const HARBOR_NODE_PORT = 30002;
export const UPSTREAM_NODE_PORT = 30500;
/** kind refuses longer names (pkg/cluster/internal/create/create.go clusterNameMax). */
const CLUSTER_NAME_MAX = 50;

export interface KindClusterInput {
  runId: string;
  nodeImage: string;
  /** Host ports on 127.0.0.1 for Harbor and the upstream registry. */
  harborHostPort: number;
  upstreamHostPort: number;
}

export interface KindPortMapping {
  containerPort: number;
  hostPort: number;
  listenAddress: string;
  protocol: 'TCP';
}

export interface KindClusterConfig {
  kind: 'Cluster';
  apiVersion: 'kind.x-k8s.io/v1alpha4';
  name: string;
  networking: { ipFamily: 'ipv4'; podSubnet: string; serviceSubnet: string };
  nodes: Array<{
    role: 'control-plane';
    image: string;
    labels: Record<string, string>;
    extraPortMappings: KindPortMapping[];
  }>;
}

/** kind's own rule for cluster names (pkg/internal/apis/config/validate.go) and its length limit. */
export function isValidClusterName(name: string): boolean {
  return /^[a-z0-9.-]+$/.test(name) && name.length <= CLUSTER_NAME_MAX;
}

export function kindClusterConfig(input: KindClusterInput): KindClusterConfig {
  const mapping = (containerPort: number, hostPort: number): KindPortMapping => ({
    containerPort,
    hostPort,
    listenAddress: '127.0.0.1',
    protocol: 'TCP',
  });
  return {
    kind: 'Cluster',
    apiVersion: 'kind.x-k8s.io/v1alpha4',
    name: input.runId,
    // explicit, because the black-hole NetworkPolicy (lib/kubernetes/kubernetes-faults.ts) names them
    networking: { ipFamily: 'ipv4', podSubnet: DEFAULT_POD_SUBNET, serviceSubnet: DEFAULT_SERVICE_SUBNET },
    nodes: [
      {
        role: 'control-plane',
        image: input.nodeImage,
        // a Kubernetes node label: the node carries the run id as the docker containers of other environments do
        labels: { [RUN_ID_LABEL]: input.runId },
        extraPortMappings: [
          mapping(HARBOR_NODE_PORT, input.harborHostPort),
          mapping(UPSTREAM_NODE_PORT, input.upstreamHostPort),
        ],
      },
    ],
  };
}

export function renderKindConfig(config: KindClusterConfig): string {
  return dumpYaml(config);
}
