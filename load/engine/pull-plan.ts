// What a worker needs to pull, resolved before the clock starts: endpoint, credentials, and every
// digest it must verify. Plain data (it crosses into worker threads).

export type EndpointAuth =
  /** Harbor: a bearer token from the realm per pull (what a fresh `docker pull` does). */
  | { kind: 'token'; realm: string; service: string; username?: string; password?: string }
  /** The registry behind core (htpasswd), or any basic-auth registry. */
  | { kind: 'basic'; username: string; password: string }
  | { kind: 'none' };

export interface PullEndpoint {
  /** e.g. http://127.0.0.1:49153 (no trailing slash) */
  baseUrl: string;
  auth: EndpointAuth;
  /** PEM CA bundle to trust for https (the bench's self-signed certificate). */
  ca?: string;
}

export interface BlobRef {
  digest: string;
  size: number;
}

export interface PlannedArtifact {
  repository: string;
  /** Tag pulled (by tag, like a client's `pull repo:tag`). */
  reference: string;
  manifest: { digest: string; mediaType: string };
  /** For an index: the child manifest the client picks (linux/amd64). */
  child?: { digest: string; mediaType: string };
  config: BlobRef;
  layers: BlobRef[];
}

export interface ConnectionBehaviour {
  connection: 'keep-alive' | 'new-per-pull';
  redirects: 'follow' | 'no-follow';
  requestTimeoutMs: number;
}

/** A registry pull: token, manifest HEAD + GET (+ child), config, layers. */
export interface PullPlan extends ConnectionBehaviour {
  kind: 'pull';
  endpoint: PullEndpoint;
  artifacts: PlannedArtifact[];
}

/** Plain GETs of URLs with known digests (the engine-vs-wrk benchmark). */
export interface UrlPlan extends ConnectionBehaviour {
  kind: 'urls';
  urls: Array<{ url: string } & BlobRef>;
  ca?: string;
}

export type LoadPlan = PullPlan | UrlPlan;

/** How much load: both bounds are honoured, whichever comes first; there is always a time bound. */
export interface LoadBounds {
  concurrency: number;
  durationMs?: number;
  iterations?: number;
}
