// The Kubernetes API calls the harness makes (the kind environment, its fault injection), through @kubernetes/client-node, against the
// cluster named by one kubeconfig file: create objects, read the state readiness is judged from, read
// pod logs, and the fault-injection writes (scale, delete a pod, NetworkPolicies).
import {
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  NetworkingV1Api,
  type CoreV1Event,
  type KubernetesObject,
  type V1Deployment,
  type V1Job,
  type V1NetworkPolicy,
  type V1Pod,
  type V1StatefulSet,
} from '@kubernetes/client-node';

/** What one namespace holds, as the API lists it: what readiness is judged from. */
export interface ClusterSnapshot {
  deployments: V1Deployment[];
  statefulSets: V1StatefulSet[];
  jobs: V1Job[];
  pods: V1Pod[];
  events: CoreV1Event[];
}

export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'Job';

export class KubeClusterApi {
  readonly #apps: AppsV1Api;
  readonly #core: CoreV1Api;
  readonly #batch: BatchV1Api;
  readonly #networking: NetworkingV1Api;
  readonly #objects: KubernetesObjectApi;

  constructor(config: KubeConfig) {
    this.#apps = config.makeApiClient(AppsV1Api);
    this.#core = config.makeApiClient(CoreV1Api);
    this.#batch = config.makeApiClient(BatchV1Api);
    this.#networking = config.makeApiClient(NetworkingV1Api);
    this.#objects = KubernetesObjectApi.makeApiClient(config);
  }

  static fromFile(kubeconfigPath: string): KubeClusterApi {
    const config = new KubeConfig();
    config.loadFromFile(kubeconfigPath);
    return new KubeClusterApi(config);
  }

  static fromString(kubeconfig: string): KubeClusterApi {
    const config = new KubeConfig();
    config.loadFromString(kubeconfig);
    return new KubeClusterApi(config);
  }

  /** Creates each object in order (a Namespace before what lives in it). */
  async createAll(objects: KubernetesObject[]): Promise<void> {
    for (const object of objects) await this.#objects.create(object);
  }

  async snapshot(namespace: string): Promise<ClusterSnapshot> {
    const [deployments, statefulSets, jobs, pods, events] = await Promise.all([
      this.#apps.listNamespacedDeployment({ namespace }),
      this.#apps.listNamespacedStatefulSet({ namespace }),
      this.#batch.listNamespacedJob({ namespace }),
      this.#core.listNamespacedPod({ namespace }),
      this.#core.listNamespacedEvent({ namespace }),
    ]);
    return {
      deployments: deployments.items,
      statefulSets: statefulSets.items,
      jobs: jobs.items,
      pods: pods.items,
      events: events.items,
    };
  }

  /** The last lines a pod's container wrote (the previous instance's when it restarted). */
  async podLogTail(
    namespace: string,
    pod: string,
    container: string | undefined,
    lines: number,
    previous = false,
  ): Promise<string[]> {
    const text = await this.#core.readNamespacedPodLog({
      name: pod,
      namespace,
      tailLines: lines,
      ...(container ? { container } : {}),
      ...(previous ? { previous } : {}),
    });
    return String(text)
      .split('\n')
      .filter((l) => l.trim() !== '');
  }

  async scale(namespace: string, kind: Exclude<WorkloadKind, 'Job'>, name: string, replicas: number): Promise<number> {
    if (kind === 'Deployment') {
      const current = await this.#apps.readNamespacedDeploymentScale({ name, namespace });
      await this.#apps.replaceNamespacedDeploymentScale({ name, namespace, body: { ...current, spec: { replicas } } });
      return current.spec?.replicas ?? 0;
    }
    const current = await this.#apps.readNamespacedStatefulSetScale({ name, namespace });
    await this.#apps.replaceNamespacedStatefulSetScale({ name, namespace, body: { ...current, spec: { replicas } } });
    return current.spec?.replicas ?? 0;
  }

  /** Names of the pods a label selector matches. */
  async podNames(namespace: string, selector: Record<string, string>): Promise<string[]> {
    const labelSelector = Object.entries(selector)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    const pods = await this.#core.listNamespacedPod({ namespace, labelSelector });
    return pods.items.map((p) => p.metadata?.name ?? '').filter(Boolean);
  }

  async deletePod(namespace: string, name: string): Promise<void> {
    await this.#core.deleteNamespacedPod({ name, namespace, gracePeriodSeconds: 0 });
  }

  async createNetworkPolicy(namespace: string, policy: V1NetworkPolicy): Promise<void> {
    await this.#networking.createNamespacedNetworkPolicy({ namespace, body: policy });
  }

  async deleteNetworkPolicy(namespace: string, name: string): Promise<void> {
    await this.#networking.deleteNamespacedNetworkPolicy({ name, namespace });
  }
}
