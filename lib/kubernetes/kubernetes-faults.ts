// Fault injection on a Harbor that runs on Kubernetes (Target.kubernetes), through the API: scale a
// component to 0 (and back), delete its pods (the controller makes new ones), and a NetworkPolicy that
// black-holes one component for Harbor's callers (e.g. the upstream registry for core and jobservice:
// proxy cache and replication then meet a peer that never answers).
import type { V1NetworkPolicy } from '@kubernetes/client-node';
import type { HarborComponent, KubernetesWorkloads } from '../target.ts';
import { KubeClusterApi } from './kube-cluster-api.ts';

/** kind's default pod and Service networks (the kind config sets them explicitly). */
export const DEFAULT_POD_SUBNET = '10.244.0.0/16';
export const DEFAULT_SERVICE_SUBNET = '10.96.0.0/16';
export const BLACK_HOLE_PREFIX = 'hc-black-hole-';

export type Undo = () => Promise<void>;

export class KubernetesFaults {
  readonly #access: KubernetesWorkloads;
  readonly #api: KubeClusterApi;

  constructor(access: KubernetesWorkloads, api: KubeClusterApi = KubeClusterApi.fromFile(access.kubeconfigPath)) {
    this.#access = access;
    this.#api = api;
  }

  /** Scales the component's workload to 0 replicas; the returned function scales it back. */
  async scaleToZero(component: HarborComponent): Promise<Undo> {
    const workload = this.#workload(component);
    const before = await this.#api.scale(this.#access.namespace, workload.kind, workload.name, 0);
    return async () => {
      await this.#api.scale(this.#access.namespace, workload.kind, workload.name, before || 1);
    };
  }

  /** Deletes every pod of the component at once (no grace period); returns their names. */
  async deletePods(component: HarborComponent): Promise<string[]> {
    const workload = this.#workload(component);
    const pods = await this.#api.podNames(this.#access.namespace, workload.podSelector);
    for (const pod of pods) await this.#api.deletePod(this.#access.namespace, pod);
    return pods;
  }

  /** Harbor's `callers` can no longer reach `target` (their egress to its pods is dropped); undo removes the policies. */
  async blackHole(
    target: HarborComponent = 'upstream',
    callers: HarborComponent[] = ['core', 'jobservice'],
  ): Promise<Undo> {
    const policies = callers.map((caller) => blackHolePolicy(this.#access, target, caller));
    const created: string[] = [];
    try {
      for (const policy of policies) {
        await this.#api.createNetworkPolicy(this.#access.namespace, policy);
        created.push(policy.metadata?.name as string);
      }
    } catch (error) {
      for (const name of created) await this.#api.deleteNetworkPolicy(this.#access.namespace, name).catch(() => {});
      throw error;
    }
    return async () => {
      for (const name of created) await this.#api.deleteNetworkPolicy(this.#access.namespace, name);
    };
  }

  #workload(component: HarborComponent) {
    const workload = this.#access.workloads[component];
    if (!workload) throw new Error(`this Harbor on Kubernetes names no workload for ${component}`);
    return workload;
  }
}

/**
 * Egress of `caller`'s pods is allowed everywhere except to `target`'s pods: to every pod whose first
 * selector label differs (NotIn also matches pods without the label), and to every address outside
 * the pod and Service networks. Policies see Service traffic after DNAT (at the pod address), so the
 * target's Service is cut off too, and DNS (a pod behind kube-dns) still answers.
 */
export function blackHolePolicy(
  access: KubernetesWorkloads,
  target: HarborComponent,
  caller: HarborComponent,
  subnets = { pods: DEFAULT_POD_SUBNET, services: DEFAULT_SERVICE_SUBNET },
): V1NetworkPolicy {
  const targetWorkload = access.workloads[target];
  const callerWorkload = access.workloads[caller];
  if (!targetWorkload || !callerWorkload)
    throw new Error(`this Harbor on Kubernetes names no workload for ${targetWorkload ? caller : target}`);
  const [key, value] = Object.entries(targetWorkload.podSelector)[0] ?? [];
  if (!key || value === undefined) throw new Error(`the ${target} workload has no pod selector to black-hole`);
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: `${BLACK_HOLE_PREFIX}${target}-for-${caller}`, namespace: access.namespace },
    spec: {
      podSelector: { matchLabels: callerWorkload.podSelector },
      policyTypes: ['Egress'],
      egress: [
        {
          to: [
            { namespaceSelector: {}, podSelector: { matchExpressions: [{ key, operator: 'NotIn', values: [value] }] } },
            { ipBlock: { cidr: '0.0.0.0/0', except: [subnets.pods, subnets.services] } },
          ],
        },
      ],
    },
  };
}
