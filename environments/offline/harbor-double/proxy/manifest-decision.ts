// The proxy cache's manifest decision for GET/HEAD in a proxy-cache project (goharbor/harbor
// src/server/middleware/repoproxy/proxy.go handleManifest and src/controller/proxy/controller.go
// UseLocalManifest@v2.15.2), as a pure function of what is known locally and what the upstream's HEAD said.
//
//   digest pull of a local artifact            → local (no upstream call at all)
//   upstream HEAD error: 429 and a local copy  → local;  429 without → 429 TOO_MANY_REQUEST
//                        anything else         → fallback to the local handler (cached copy served, else 404)
//   upstream 404: a local copy and proxy_cache_local_on_not_found=true (v2.15.1+) → local; else 404
//   upstream has it: a cached index in Redis   → that index; local digest equal → local; else proxy from upstream

export type UpstreamHead =
  | { kind: 'found'; digest: string }
  | { kind: 'not-found' }
  | { kind: 'error'; rateLimited: boolean; message: string };

export interface DecisionInput {
  /** The digest of the local artifact the reference names, if there is one. */
  localDigest: string | undefined;
  byDigest: boolean;
  /** undefined: not asked (only a local digest pull skips the upstream). */
  upstream: UpstreamHead | undefined;
  localOnNotFound: boolean;
  /** The Redis manifest-list cache holds an index for <repo>:<digest> (with its content type). */
  cachedIndex: boolean;
}

export type ManifestDecision =
  | { serve: 'local' }
  | { serve: 'cached-index' }
  | { serve: 'upstream' }
  | { serve: 'fallback-local'; reason: string }
  | { serve: 'not-found'; message: string }
  | { serve: 'too-many-requests' };

/** Whether the upstream must be asked at all (a digest pull of a local artifact is answered locally). */
export function needsUpstream(localDigest: string | undefined, byDigest: boolean): boolean {
  return !(localDigest !== undefined && byDigest);
}

export function decideManifest(input: DecisionInput, repository: string, tag: string): ManifestDecision {
  if (!needsUpstream(input.localDigest, input.byDigest)) return { serve: 'local' };
  const head = input.upstream;
  if (!head) return { serve: 'upstream' };
  if (head.kind === 'error') {
    if (head.rateLimited) return input.localDigest !== undefined ? { serve: 'local' } : { serve: 'too-many-requests' };
    return { serve: 'fallback-local', reason: head.message };
  }
  if (head.kind === 'not-found') {
    if (input.localDigest !== undefined && input.localOnNotFound) return { serve: 'local' };
    return { serve: 'not-found', message: `resource not found: repo ${repository}, tag ${tag} not found` };
  }
  if (input.cachedIndex) return { serve: 'cached-index' };
  return input.localDigest === head.digest ? { serve: 'local' } : { serve: 'upstream' };
}
