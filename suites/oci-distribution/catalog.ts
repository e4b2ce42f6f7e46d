// OCI distribution-spec conformance, judged by the spec's own program (opencontainers/distribution-spec
// conformance): its tests sorted into the spec's four workflow categories, one check each. A failure the
// registry Harbor embeds is known for (registry-limitations.ts) is a `warn` with its source; any other is a fail.
import { defineCatalog } from '../check-definition.ts';

const registryInterface = 'OCI distribution-spec v1.1'; // the registry API clients rely on
const registryAccess = 'NIST SP 800-190 4.2.3'; // registry: authentication and authorization restrictions
const integrity = 'NIST SP 800-53 SI-7'; // software, firmware and information integrity (content addressed by digest)
const evidence = [
  "the conformance program's own log of each test (requests and responses, credentials masked, redacted)",
  'its summary and the tests by status',
];
// The program runs once for all four checks; the first waits for all of it (~2,500 requests: minutes on an
// idle machine, far longer on a loaded one).
const timeoutMs = 1_800_000;

export const catalog = defineCatalog('oci-distribution', {
  pull: {
    id: 'OCID-001',
    title:
      'OCI conformance, pull: ping, manifests and blobs by tag and digest (GET and HEAD), range requests, and 404 for missing content',
    controls: [registryInterface, integrity],
    mutating: true,
    evidence,
    remediation:
      'Pulls that break the spec break clients: check the proxy or load balancer in front of Harbor (it must pass status codes, Content-Length and Range through) before blaming the registry.',
    caughtBy: ['manifest-unknown-500'],
    // distribution 2.8.3's Range answers (and zero-byte blobs on S3) are limitations Harbor ships no fix for.
    expectWarn: true,
    timeoutMs,
    cpuBound: true,
  },
  push: {
    id: 'OCID-002',
    title:
      'OCI conformance, push: blob uploads (monolithic, chunked, streamed, mounted) and manifest puts by tag and digest, with OCI-Subject for subjects',
    controls: [registryInterface, integrity, registryAccess],
    mutating: true,
    evidence,
    remediation:
      "Upload failures usually come from the storage back end or a proxy limiting request bodies or PATCH: check the registry log and the proxy's body-size and method settings.",
    caughtBy: ['oci-subject-header-missing'],
    // sha512, out-of-order chunks and zero-byte blobs on S3: distribution 2.8.3 limitations (registry-limitations.ts).
    expectWarn: true,
    timeoutMs,
    cpuBound: true,
  },
  discovery: {
    id: 'OCID-003',
    title:
      'OCI conformance, content discovery: tag listing with pagination, and the referrers API with its artifactType filter',
    controls: [registryInterface, integrity],
    mutating: true,
    evidence,
    remediation:
      'Signature and SBOM discovery (cosign v3, notation, oras) depends on the referrers API: upgrade Harbor to a version that serves it (2.8+) with the artifactType filter.',
    caughtBy: ['referrers-ignore-artifact-type'],
    timeoutMs,
    cpuBound: true,
  },
  management: {
    id: 'OCID-004',
    title: 'OCI conformance, content management: deleting manifests, tags and blobs removes them at once',
    controls: [registryInterface, registryAccess],
    mutating: true,
    evidence,
    remediation:
      "A delete that answers 202 but leaves the content pullable breaks retention and incident clean-up: check the registry's storage delete setting and Harbor's database.",
    caughtBy: ['manifest-delete-not-applied'],
    timeoutMs,
    cpuBound: true,
  },
});
