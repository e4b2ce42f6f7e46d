// Node-level fallback: a node whose containerd mirror list is [Harbor's project path, the upstream] — does it
// get from the upstream exactly the image Harbor refused? Measured on real containerd, every Harbor answer.
import { defineCatalog } from '../check-definition.ts';

export const catalog = defineCatalog('node-fallback', {
  mirrorFallback: {
    id: 'FALLBACK-001',
    title:
      'a node with mirrors [Harbor, upstream] gets from the upstream no image Harbor refused, and Harbor refuses with 401/403/412 (never 404/5xx) on every request the resolver makes',
    controls: ['NIST SP 800-190 4.1.5', 'NIST SP 800-190 4.2.3', 'NIST SP 800-53 CM-7(5)'],
    mutating: true,
    evidence: [
      'the node-fallback table per containerd version (Harbor answer → where the node got the image → verdict)',
      'every request each side answered (recording fronts), ctr outcome and time per pull',
      'the mirror configuration as containerd hosts.toml, Talos machine config and CRI-O registries.conf',
    ],
    remediation:
      "containerd tries the next mirror on every Harbor answer ≥ 400 and on auth errors, so with an upstream entry a node pulls the image Harbor refused: on nodes that must pull only through Harbor make Harbor's project path the hosts.toml `server` and its one [host] (containerd 1.6 ignores a file without [host]; Talos: skipFallback: true) and let Harbor's proxy-cache project reach the upstream; if Harbor answers a refusal with 404/5xx, fix what rewrites its 412/401 (ingress error pages).",
    caughtBy: ['policy-refusal-answered-404'],
    expectWarn: true,
  },
});
