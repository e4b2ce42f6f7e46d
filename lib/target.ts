// The Target contract: everything a conformance suite may know about the Harbor it checks.
// Suites receive a Target (serialisable: it crosses from the CLI into vitest workers) and never
// import an environment.

export type TargetKind = 'offline' | 'official' | 'kind' | 'external';

export interface Credentials {
  username: string;
  password: string;
}

export interface Capabilities {
  /** A scanner is registered (Trivy, or the fixture scanner offline). */
  scanner: boolean;
  /** Harbor recognises cosign signatures as accessories. */
  cosign: boolean;
  /** Harbor recognises notation signatures as accessories. */
  notation: boolean;
  /** The environment owns the containers and can stop, pause or disconnect a component. */
  faultInjection: boolean;
  /** Suites may create projects, robots and artifacts (false for a read-only audit of production). */
  mutating: boolean;
  /**
   * `peers.plainRegistry` is a registry Harbor can replicate to and from and the harness can read back (replication
   * is verified on its content). Absent for an external Harbor unless its environment provides such a peer.
   */
  replicationPeer?: boolean;
}

/** A plain OCI registry beside Harbor (replication target, proxy-cache upstream). */
export interface PeerRegistry {
  /** URL as the caller (the harness) reaches it, e.g. http://127.0.0.1:49160 */
  url: string;
  /** URL as Harbor reaches it from inside its network, e.g. http://upstream:5000 */
  internalUrl: string;
}

/** Docker containers of the environment, by Harbor component name, for fault injection. */
export interface FaultInjection {
  kind: 'docker';
  containers: Partial<Record<HarborComponent, string>>;
}

/**
 * Kubernetes workloads of the environment, by Harbor component (kind): fault injection through the
 * Kubernetes API (lib/kubernetes/kubernetes-faults.ts: scale to 0, delete a pod, black-hole the upstream).
 */
export interface KubernetesWorkloads {
  /** kubeconfig file of the run's cluster (in the run's temp dir, removed with the cluster). */
  kubeconfigPath: string;
  namespace: string;
  workloads: Partial<
    Record<HarborComponent, { kind: 'Deployment' | 'StatefulSet'; name: string; podSelector: Record<string, string> }>
  >;
}

export type HarborComponent =
  | 'core'
  | 'jobservice'
  | 'registry'
  | 'database'
  | 'redis'
  | 'object-storage'
  | 'scanner'
  | 'upstream'
  | 'upstream-v3';

/** What checks must know of the target's scanner; the environment sets it (suites never branch on `kind`). */
export interface ScanningTraits {
  /**
   * The scanner reports exactly the fixture advisory set (fixtures/advisories/), severities and fixed versions
   * included: the offline fixture scanner. Real Trivy rates from its own database and reports at least that set.
   */
  exactAdvisorySet: boolean;
  /** How long one scan may take before a check gives up (real Trivy may first download its database). */
  scanDeadlineMs: number;
  /**
   * How long after a push into an auto_scan project a scan must have started (core creates it on the push
   * event: goharbor/harbor src/controller/event/handler/internal/util.go autoScan@v2.15.x). The double
   * handles the event in-process; a real Harbor hands it through its notification queue.
   */
  scanStartDeadlineMs: number;
}

/** The scanner behind Harbor's default registration, as the environment knows it. */
export interface ScannerInfo {
  /** As its metadata names it, e.g. Trivy / Aqua Security / 0.74.0, or the harness's built-in matcher. */
  name: string;
  vendor: string;
  version: string;
  /** When its vulnerability DB was built (metadata `vulnerability-database-updated-at`), if it says. */
  databaseUpdatedAt?: string;
  /**
   * Its advisory data is exactly fixtures/advisories (a DB built from them): reports list exactly the
   * fixture CVEs. When false the fixture set is a lower bound (a public DB knows more CVEs).
   */
  exactAdvisorySet: boolean;
}

/**
 * The S3 bucket the registry keeps its blobs in, as the harness reaches it (offline: the Ceph RGW stand-in for
 * MinIO). Storage checks list it to measure what garbage collection really freed; absent, they are skipped.
 */
export interface RegistryStorage {
  s3: { endpoint: string; accessKey: string; secretKey: string; region: string };
  bucket: string;
  /** distribution's `rootdirectory` ('' when unset): the layout starts at <root>/docker/registry/v2/. */
  rootDirectory: string;
}

/** What checks must know of the target's proxy cache; the environment sets it. */
export interface ProxyCacheTraits {
  /**
   * How long after a pull the proxied artifact may take to appear in the proxy-cache project (Harbor sleeps 20 s
   * per round before storing, and up to 20 rounds for an index whose children were not all pulled:
   * goharbor/harbor src/controller/proxy/manifestcache.go@v2.15.x). Default for a real Harbor: 450 s.
   */
  cacheFillDeadlineMs: number;
}

export interface Target {
  kind: TargetKind;
  /** Run id; every resource the run creates carries it. */
  runId: string;
  /** Harbor base URL, e.g. http://127.0.0.1:49153 (no trailing slash). */
  url: string;
  /** host:port that docker/skopeo use for this Harbor's registry, e.g. 127.0.0.1:49153 */
  registryHost: string;
  admin: Credentials;
  /** harbor_version from /api/v2.0/systeminfo (authenticated), e.g. v2.15.2-080b0220 */
  harborVersion: string;
  capabilities: Capabilities;
  scanning: ScanningTraits;
  /** Proxy-cache traits; absent: a real Harbor's timings. */
  proxyCache?: ProxyCacheTraits;
  /**
   * Plain registries beside Harbor: `plainRegistry` is distribution 2.8 (as Harbor embeds), `plainRegistryV3`
   * a second, newer implementation (CNCF distribution v3), present when its binary could be built.
   */
  peers: {
    plainRegistry?: PeerRegistry;
    plainRegistryV3?: PeerRegistry;
    /**
     * A Harbor the target can replicate to with the `harbor` adapter, reached under a URL that is not the target's
     * own CORE_URL (Harbor treats that one as Local: goharbor/harbor src/pkg/reg/adapter/harbor/base/adapter.go
     * isLocalHarbor@v2.15.2). Its admin is `admin` with the target's admin password. Offline: the same double under
     * its second network name (`jobservice`), so projects and robots made through `url` exist there too.
     */
    harbor?: PeerRegistry;
  };
  faults?: FaultInjection;
  /**
   * The environment deployed the policy's system settings with Harbor itself (kind: the chart's
   * core.configureUserSettings, i.e. CONFIG_OVERWRITE_JSON). Harbor then refuses every configuration change
   * through the API with 403 (goharbor/harbor src/controller/config/controller.go@v2.15.2, readOnlyForAll).
   */
  systemSettingsDeployed?: boolean;
  /** Where the environment runs Harbor on Kubernetes (kind): its workloads, for fault injection through the API. */
  kubernetes?: KubernetesWorkloads;
  /** Named defect of the offline Harbor double switched on for this run (offline only). */
  faultProfile?: string;
  /** The scanner, where the environment knows it (absent for an external Harbor). */
  scanner?: ScannerInfo;
  /** The registry's object storage, where the environment owns it. */
  registryStorage?: RegistryStorage;
  /**
   * A test clock that sets when artifacts were pushed and pulled (the offline double's PUT /_double/clock/artifacts,
   * with this bearer token); absent where times cannot be set (real Harbor): checks then run wait-free scenarios only.
   */
  testClock?: { url: string; token: string };
  /**
   * An address of the harness's machine that Harbor reaches (on a docker environment the run network's gateway):
   * the webhook receiver of suites/audit-and-webhooks listens there. Absent: checks that need deliveries skip.
   */
  webhookReceiverHost?: string;
}
