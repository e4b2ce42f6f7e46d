// Pull throughput: does this Harbor deliver what the team's policy asks of it (performance section of
// the policy file) — manifest latency, blob streaming rate, whole-pull time with no error — measured with
// the node load engine (load/engine), phases timed apart, every blob digest-checked while it streams.
import { defineCatalog } from '../check-definition.ts';

const capacity = 'NIST SP 800-53 CP-2(2)'; // capacity planning
const monitoring = 'NIST SP 800-53 CA-7'; // continuous monitoring
const integrity = 'NIST SP 800-53 SI-7'; // software integrity: what is pulled is what was pushed

const throttled = ['registry-path-throttled'] as const;

export const catalog = defineCatalog('pull-throughput', {
  manifestLatency: {
    id: 'PERF-001',
    title: 'manifest GET p95 stays under the policy limit at the policy concurrency',
    controls: [capacity, monitoring],
    mutating: true,
    evidence: [
      'per-phase p50/p95/p99/max (token, manifest HEAD/GET, config, blob, pull)',
      'requests/s, MB/s, errors by class',
    ],
    remediation:
      "Manifest reads go core → registry → storage: check the latency of the storage behind the registry (S3 endpoint, proxy in front of it), the Redis layer-info cache and core's database; scale core or the registry if they are CPU-bound.",
    caughtBy: throttled,
    timeoutMs: 300_000,
  },
  blobRate: {
    id: 'PERF-002',
    title: 'every blob streams at least at the policy rate (size over p95 time)',
    controls: [capacity, monitoring],
    mutating: true,
    evidence: ['blob phase TTFB and total distributions', 'the layer size and the rate derived from them'],
    remediation:
      'Blob bodies are streamed from storage through the registry and core: look for rate limits or a slow proxy on that path (nginx proxy_buffering/limit_rate, ingress, object-storage throttling); enable storage redirects if your storage serves clients directly.',
    caughtBy: throttled,
    timeoutMs: 300_000,
  },
  pullTime: {
    id: 'PERF-003',
    title:
      'whole pulls (token to last layer) stay under the policy p95, with no error of any class (HTTP, reset, timeout, digest mismatch)',
    controls: [capacity, monitoring, integrity],
    mutating: true,
    evidence: ['pull p95, errors by class and HTTP status, the first error message'],
    remediation:
      'Slow or failing pulls stall deployments: fix the slowest phase the evidence names (token service, manifests, blobs); a digest mismatch means storage or a proxy altered a blob and must be investigated before anything else.',
    caughtBy: throttled,
    timeoutMs: 300_000,
  },
});
