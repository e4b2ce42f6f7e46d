// Replication (goharbor/harbor src/controller/replication/, src/pkg/reg/, src/server/v2.0/handler/replication.go
// @v2.15.2): images move to and from other registries complete — every manifest, blob, index child, signature and
// referrer — and an execution's status tells the truth. Every check verifies the copy by content on the registry
// that received it, never by the execution status alone.
import { defineCatalog } from '../check-definition.ts';

const backup = 'NIST SP 800-53 CP-9'; // system backup (a replica site holds the same images)
const alternateSite = 'NIST SP 800-53 CP-7'; // alternate processing site
const integrity = 'NIST SP 800-53 SI-7'; // software, firmware and information integrity
const provenance = 'SLSA v1.0 Distribution'; // signatures and attestations travel with the artifact
const monitoring = 'NIST SP 800-53 AU-6'; // review and report (a failed job must be visible)

export const catalog = defineCatalog('replication', {
  pushByContent: {
    id: 'REPL-001',
    title:
      'a manual push replication to the plain registry peer copies the content, not just a status: every manifest by digest with the same bytes (an index and each child), every blob answering HEAD with its size, the tags matched by the filter, and the cosign signatures and OCI referrers (SBOM, and a signature of the SBOM) at every depth',
    controls: [backup, alternateSite, integrity, provenance],
    mutating: true,
    requires: ['replicationPeer'],
    evidence: [
      'the policy and its execution and tasks',
      'GET by digest and blob HEAD exchanges on the peer for every manifest and blob',
    ],
    remediation:
      'Run a Harbor whose replication copies every layer and accessory (v2.5.4 or later for signatures under tag and label filters) and verify replicas by digest on the target; a Succeed execution alone does not prove the replica is complete (goharbor/harbor#22644).',
    caughtBy: ['replication-accessories-skipped-by-tag-filter'],
  },
  namespaceFlattening: {
    id: 'REPL-002',
    title:
      'dest_namespace with dest_namespace_replace_count puts <project>/team/app where Harbor documents it: -1 → <ns>/app, 0 → <ns>/<project>/team/app, 1 → <ns>/team/app, 3 → a Failed execution naming the flattening level; GET returns the count as sent',
    controls: [alternateSite, integrity],
    mutating: true,
    requires: ['replicationPeer'],
    evidence: ['one policy and execution per replace count', 'the peer repositories that hold the image'],
    remediation:
      'Set dest_namespace_replace_count explicitly on every policy (omitted means -1, the legacy mode that keeps only the last path component) and check the target paths after an upgrade; pulls on the replica site look where the flattening puts images.',
    caughtBy: ['replication-dest-namespace-replace-count-off-by-one'],
  },
  eventBased: {
    id: 'REPL-003',
    title:
      'an event_based policy with deletion replicates a push without a manual run (content on the peer by digest) and, after the artifact is deleted in Harbor, deletes it on the peer; the policy shows deletion=true and both executions are triggered event_based',
    controls: [backup, alternateSite],
    mutating: true,
    requires: ['replicationPeer'],
    evidence: ['the policy as Harbor returns it', 'the event_based executions with their copy and deletion tasks'],
    remediation:
      'Enable "Delete remote resources when locally deleted" (`deletion: true`) on event-based policies whose replicas must not outlive the source, and re-check it after upgrades (goharbor/harbor#19098 dropped it from the form).',
    caughtBy: ['replication-deletion-flag-dropped'],
  },
  pullFromPeer: {
    id: 'REPL-004',
    title:
      'a pull replication from the plain registry peer (source endpoint, destination Local, dest_namespace = a run-id project, replace count 1) brings the image into Harbor by content: manifest bytes by digest, every blob, the tag',
    controls: [backup, integrity],
    mutating: true,
    requires: ['replicationPeer'],
    evidence: ['the pull policy and its execution', 'Harbor /v2 GET and HEAD exchanges of the pulled image'],
    remediation:
      'Pull-replicate only from endpoints Harbor reports healthy and verify the imported images by digest; a pull execution that reports Succeed with missing blobs leaves images that fail on the first pull.',
    caughtBy: ['replication-partial-copy-reported-success'],
  },
  filters: {
    id: 'REPL-005',
    title:
      "filters select what Harbor documents: tag `**` also replicates untagged artifacts (by digest), `v*` leaves untagged and dev tags behind, a name filter {a,b} takes both repositories and a plain name only its own, and a signature follows its image (matched by the image's tags, not its own sha256-….sig tag)",
    controls: [integrity, provenance],
    mutating: true,
    requires: ['replicationPeer'],
    evidence: ['the policies and executions', 'what the peer holds per repository (tags and digests)'],
    remediation:
      'Write tag filters against the image tags (accessories follow their subject since v2.5.4) and use `**` where untagged artifacts (index children pushed by digest, referrers) must travel too.',
    caughtBy: ['replication-dest-namespace-replace-count-off-by-one'],
  },
  failingTarget: {
    id: 'REPL-006',
    title:
      'a failing target gives a failed execution with the reason: a replication to a Harbor whose robot credential was revoked ends Failed with the 401 as its reason (status text or task log) and nothing on the target, and the retry after the credential is restored ends Succeed with the content on the target',
    controls: [monitoring, backup],
    mutating: true,
    evidence: [
      'the endpoint ping answer after the revocation',
      'the failed and the retried execution, tasks and task log',
    ],
    remediation:
      'Alert on Failed replication executions and on endpoints whose status turns unhealthy; rotate the robot credential of a replication endpoint with PUT /registries/{id} before the old one is revoked.',
    caughtBy: ['replication-partial-copy-reported-success'],
  },
});
