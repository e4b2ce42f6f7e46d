// Proxy cache: a project with a registry endpoint that pulls through to the upstream and keeps what it pulled
// (goharbor/harbor src/server/middleware/repoproxy/proxy.go, src/controller/proxy/*@v2.15.2). Proven from the
// upstream's own access log, with the upstream stopped, paused and refusing Harbor's credential.
import { defineCatalog } from '../check-definition.ts';

const availability = 'NIST SP 800-53 CP-10'; // recovery: cached images stay available
const registryHygiene = 'NIST SP 800-190 4.2.1'; // registry: stale images
const supplyChain = 'NIST SP 800-53 SR-3'; // supply chain controls: no push into a mirror
const imageTrust = 'NIST SP 800-190 4.1.5'; // image trust: policies on what may be pulled

export const catalog = defineCatalog('proxy-cache', {
  missThenHit: {
    id: 'PROXY-001',
    title:
      "a first pull through a proxy-cache project is fetched from the upstream and cached; the second never fetches content from the upstream again (its access log: by tag at most a manifest HEAD, by digest nothing), and Harbor's answers carry the image's bytes unchanged",
    controls: [availability],
    mutating: true,
    requires: ['faultInjection'],
    evidence: [
      "the upstream's access log between markers, for the first pull and for each later one",
      'every manifest and blob Harbor answered (digest of the bytes, Content-Length, Docker-Content-Digest)',
    ],
    remediation:
      'A proxy-cache project that goes to the upstream on every pull is not a cache (and spends the upstream\'s rate limit): check that Harbor stores what it proxies (core logs "failed to push manifest", registry storage writable) and upgrade past goharbor/harbor#21122.',
    caughtBy: ['proxy-cache-fill-skipped', 'proxy-manifest-always-from-upstream'],
    expectWarn: true,
  },
  trimmedIndex: {
    id: 'PROXY-002',
    title:
      'an index pulled through a proxy-cache project with one of its platforms is cached trimmed to what was pulled: the local index lists exactly the children Harbor holds, each pullable by digest',
    controls: [availability],
    mutating: true,
    requires: ['faultInjection'],
    evidence: ['the cached index artifact and its references', 'pulls of each child by digest'],
    remediation:
      'Run a Harbor whose proxy cache trims a cached index to the children it holds (src/controller/proxy/manifestcache.go); otherwise a node asking for another platform during an outage is sent to a manifest Harbor does not have.',
    caughtBy: ['proxy-index-not-trimmed'],
  },
  upstreamStopped: {
    id: 'PROXY-003',
    title:
      "with the upstream stopped, a cached image still pulls (by tag and digest, manifest and blobs) and an uncached one fails with Harbor's 404 NOT_FOUND, both answered well within Harbor's 30 s upstream dial timeout",
    controls: [availability],
    mutating: true,
    requires: ['faultInjection'],
    evidence: ['the pulls with the upstream stopped, each with its time to answer'],
    remediation:
      "Upgrade to a Harbor whose proxy cache falls back to the cached copy when the upstream fails (goharbor/harbor#14822); keep the endpoint's status healthy-by-default in mind: an endpoint marked unhealthy serves only what is cached.",
    caughtBy: ['proxy-cache-no-local-fallback'],
  },
  upstreamBlackHoled: {
    id: 'PROXY-004',
    title:
      'with the upstream paused (accepts connections, never answers), a cached image pulled by digest is served at once; pulls by tag and of uncached images are measured against a bound and never hold the check',
    controls: [availability],
    mutating: true,
    requires: ['faultInjection'],
    evidence: ['the pulls with the upstream paused, each with its time to answer or the bound it hit'],
    remediation:
      'Pin images by digest on nodes that must start during an upstream outage: Harbor asks the upstream first for every tag and waits for its answer without a response timeout (30 min, REGISTRY_HTTP_CLIENT_TIMEOUT), until the registry health checker marks the endpoint unhealthy (every 5 min); lower REGISTRY_HTTP_CLIENT_TIMEOUT (minutes) to shorten the wait.',
    caughtBy: ['proxy-manifest-always-from-upstream'],
    expectWarn: true,
  },
  credentialsRevoked: {
    id: 'PROXY-005',
    title:
      "with the endpoint's credential revoked upstream (401), a cached image still pulls and an uncached one fails with Harbor's 404 NOT_FOUND, both answered within Harbor's 30 s dial timeout",
    controls: [availability],
    mutating: true,
    requires: ['faultInjection'],
    evidence: ['the pulls after the revocation, each with its time to answer'],
    remediation:
      "Upgrade to a Harbor that serves cached images when the upstream refuses its credential (goharbor/harbor#14822), and alert on the endpoint's credential (Docker Hub tokens expire or are revoked).",
    caughtBy: ['proxy-cache-no-local-fallback'],
  },
  movedTag: {
    id: 'PROXY-006',
    title:
      'a tag moved upstream after it was cached is answered with the new image on the next pull, and the tags list of a proxied repository is the union of the cached and the upstream tags',
    controls: [registryHygiene],
    mutating: true,
    requires: ['faultInjection'],
    evidence: ['the digests the tag named before and after the move', 'the tags list'],
    remediation:
      "Run a Harbor that compares a cached tag with the upstream's digest on every pull (goharbor/harbor#19429: a stale digest served until its Redis entry was removed); for a stale entry, delete the cached artifact.",
    caughtBy: ['proxy-cache-stale-tag'],
  },
  deletedTag: {
    id: 'PROXY-007',
    title:
      'a cached tag deleted upstream answers 404 NOT_FOUND "repo <repo>, tag <tag> not found", unless the project has proxy_cache_local_on_not_found=true, which serves the cached copy',
    controls: [availability, registryHygiene],
    mutating: true,
    requires: ['faultInjection'],
    evidence: ['pulls after the deletion in a project with and one without the setting'],
    remediation:
      'Upgrade to Harbor >= v2.15.1 for proxy_cache_local_on_not_found (goharbor/harbor#23049) and set it on proxy projects whose images must outlive their upstream tags.',
    caughtBy: ['proxy-local-on-not-found-ignored'],
  },
  pushRefused: {
    id: 'PROXY-008',
    title:
      'nothing can be pushed into a proxy-cache project, not even by the system admin: blob upload (plain and cross-repository mount) and manifest PUT by tag and by digest are refused at once with 403 DENIED "can not push artifact to a proxy project: <project>" and nothing is stored',
    controls: [supplyChain],
    mutating: true,
    evidence: ['every push request and its answer', 'the project afterwards'],
    remediation:
      "Upgrade Harbor (goharbor/harbor#12731 / #12792 refused pushes with 415 after storing blobs; #23695 closed a robot-name bypass); a mirror anyone can push into serves what they pushed under the upstream's name.",
    caughtBy: ['proxy-project-push-accepted'],
  },
  policyOnPulls: {
    id: 'PROXY-009',
    title:
      'project policies of a proxy-cache project (enable_content_trust_cosign, prevent_vul) refuse every pull of a cached image that breaks them with 412 PROJECTPOLICYVIOLATION; what the first, proxied pull gets is probed and reported',
    controls: [imageTrust],
    mutating: true,
    requires: ['faultInjection'],
    evidence: ['first (proxied) and later (cached) pulls of an unsigned and of a vulnerable image'],
    remediation:
      'Harbor answers a pull that goes to the upstream before its content-trust and vulnerability checks run, so the first pull of an image through a proxy-cache project is never refused: let nodes pull only images already cached and checked (pre-pull them, or scan and sign upstream), and keep prevent_vul / content trust on for the later pulls.',
    caughtBy: ['content-trust-not-enforced', 'vulnerability-policy-not-enforced'],
    expectWarn: true,
  },
});
