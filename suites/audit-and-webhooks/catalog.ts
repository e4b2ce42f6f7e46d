// Audit logs and webhooks: who did what, as Harbor records it (goharbor/harbor src/controller/event/handler/auditlog,
// src/pkg/auditext@v2.15.x), and who is told, as Harbor's notifier delivers it (src/controller/event/handler/webhook,
// src/pkg/notifier, src/jobservice/job/impl/notification/webhook_job.go@v2.15.x).
import { defineCatalog } from '../check-definition.ts';

const auditEvents = 'NIST SP 800-53 AU-2'; // event logging
const auditContent = 'NIST SP 800-53 AU-3'; // content of audit records
const auditProtection = 'NIST SP 800-53 AU-9'; // protection of audit information
const monitoring = 'NIST SP 800-190 4.2.3'; // registry: insufficient monitoring / notification of changes
const credentials = 'NIST SP 800-53 IA-5'; // authenticator management
const ssrf = 'NIST SP 800-53 SC-7'; // boundary protection

export const catalog = defineCatalog('audit-and-webhooks', {
  auditTrail: {
    id: 'AUD-001',
    title:
      "every operation the suite makes is in the audit log (auditlog-exts) with Harbor's operation, resource_type, resource, operator and result: project create and delete, push and pull by tag and by digest by the admin and by a robot, artifact delete, repository delete, robot create and delete — a robot named robot$<project>+<name>, never as another user",
    controls: [auditEvents, auditContent],
    mutating: true,
    evidence: ['the operations made and the audit entries found for each (a table)'],
    remediation:
      'Keep audit logging on for these event types (`disabled_audit_log_event_types` empty, `pull_audit_log_disable` false) and run Harbor >= v2.2, which logs robot operations under their robot$ name (goharbor/harbor#13980).',
    caughtBy: ['audit-robot-operator-unprefixed'],
  },
  noCredentials: {
    id: 'AUD-002',
    title:
      "no credential reaches the audit log, a webhook payload or a webhook task's log: the robot's secret, the webhook target's auth header and the admin password appear in none of them (the auth header only in the delivery's Authorization header)",
    controls: [auditProtection, credentials],
    mutating: true,
    evidence: ['where each secret was looked for and whether it was found'],
    remediation:
      "Run a Harbor whose webhook job logs only the payload (goharbor/harbor webhook_job.go); treat a target's auth header as a secret that is rotated when a task log or an audit entry showed it.",
    caughtBy: ['webhook-auth-header-leaked'],
  },
  defaultPayload: {
    id: 'HOOK-001',
    title:
      "PUSH_ARTIFACT, PULL_ARTIFACT and DELETE_ARTIFACT (one per artifact of a deleted repository too, without date_created) reach an http target in the Default format with exactly Harbor's fields (type, occur_at, operator, event_data.resources[digest, tag, resource_url], event_data.repository[date_created, name, namespace, repo_full_name, repo_type]), Content-Type application/json and the target's auth header; each delivery's task ends Success",
    controls: [monitoring, auditEvents],
    mutating: true,
    evidence: ['every delivery received (a table: event, Content-Type, auth header, resource)', 'payload bodies'],
    remediation:
      'Run a Harbor whose artifact webhooks name the tag that was pushed or pulled (goharbor/harbor#16923) and fire for every artifact of a deleted repository (#11711, v2.0); receivers should key on digest and repo_full_name and read the tag from resources[].tag.',
    caughtBy: ['webhook-pull-tag-as-digest'],
  },
  cloudEvents: {
    id: 'HOOK-002',
    title:
      'a CloudEvents target receives the same events as CloudEvents 1.0 in structured mode: Content-Type application/cloudevents+json, specversion 1.0, a uuid id, source /projects/<id>/webhook/policies/<id>, type harbor.artifact.pushed|pulled|deleted, datacontenttype application/json, time, operator, requestid, and data equal to the Default event_data',
    controls: [monitoring],
    mutating: true,
    evidence: ['every delivery received (a table)', 'payload bodies'],
    remediation:
      'Run Harbor >= v2.8 (CloudEvents payload format, goharbor/harbor#18322); a receiver in structured mode needs Content-Type application/cloudevents+json.',
    caughtBy: ['webhook-cloudevents-content-type-wrong'],
  },
  scanEvents: {
    id: 'HOOK-003',
    title:
      "SCANNING_COMPLETED and SCANNING_FAILED reach the target with Harbor's scan payload: resources[digest, tag when the scan had one, resource_url, scan_overview keyed by the report type with scan_status Success | Error], repository without date_created, scan.scan_type vulnerability, operator the user who started the scan",
    controls: [monitoring],
    mutating: true,
    requires: ['scanner'],
    evidence: ['every delivery received (a table)', 'payload bodies'],
    remediation:
      'Run a Harbor whose scan webhooks carry the scan_overview and a resource_url that names the artifact (goharbor/harbor#14293, #22212); alert on SCANNING_FAILED, not only on SCANNING_COMPLETED.',
    caughtBy: ['webhook-payload-missing-fields'],
  },
  retries: {
    id: 'HOOK-004',
    title:
      'a failed delivery is retried with the identical payload (a target that answers 503 once gets it again and its task ends Success); a target that keeps failing is tried exactly three times (MaxFails 3) and its task ends Error',
    controls: [monitoring],
    mutating: true,
    evidence: ['every delivery attempt received (a table)', 'the tasks and their run_count'],
    remediation:
      'Run Harbor >= v1.9 (goharbor/harbor#8691 fixed by #8745) and keep jobservice healthy; a receiver must answer 2xx only once it has stored the event.',
    caughtBy: ['webhook-no-retry'],
  },
  targets: {
    id: 'HOOK-005',
    title:
      "webhook policies are validated as Harbor does (400 'invalid scheme: <s>' for anything but http/https, 'empty event type', 'unsupported event type', 'unsupported payload format type', 409 for a duplicate name; payload_format Default and enabled false when omitted), a target is reduced to scheme://host/path (user info and query dropped), and targets on loopback, link-local (cloud metadata), private addresses and local names are refused with 400 'blocked non-public host: <host>' (GHSA-2phj-cp9f-qq6w, v2.15.3)",
    controls: [ssrf],
    mutating: true,
    evidence: ['each policy POST and its answer', 'the addresses Harbor stored'],
    remediation:
      'Upgrade to Harbor v2.15.3, v2.14.5 or v2.13.6 (GHSA-2phj-cp9f-qq6w: webhook SSRF) and allow private targets only in projects whose administrators may send requests into your network; block jobservice egress to 169.254.169.254 at the network layer as well.',
    caughtBy: ['webhook-target-unvalidated', 'GHSA-2phj-cp9f-qq6w', 'previous-patch-v2.15.2'],
  },
  quotaExceeded: {
    id: 'HOOK-006',
    title:
      "a push refused for the project's storage quota sends QUOTA_EXCEED to the target in Harbor's payload: event_data.repository[name, namespace, repo_full_name, repo_type] and custom_attributes.Details with the refusal's own message, operator the pusher, the target's auth header",
    controls: [monitoring],
    mutating: true,
    evidence: ['the refused push and its message', 'every delivery received (a table)'],
    remediation:
      'Subscribe a webhook to QUOTA_EXCEED (and QUOTA_WARNING) where teams push into quota-limited projects, and run a Harbor whose quota middleware refuses over-limit pushes (src/server/middleware/quota): a refusal that is not announced surfaces only as failed CI pushes.',
    caughtBy: ['quota-not-enforced'],
  },
  retentionEvent: {
    id: 'HOOK-007',
    title:
      "a retention run that deletes announces TAG_RETENTION once, in Harbor's payload: event_data.retention[total, retained, harbor_hostname, project_name, retention_policy_id, retention_rule (the policy's rules), result SUCCESS, deleted_artifact (one per deleted artifact: type image, status SUCCESS, name_tag <repo>:<tag>)], operator the user who started the run; its dry run announces nothing",
    controls: [monitoring, auditEvents],
    mutating: true,
    evidence: ['the retention runs and what each task reported', 'every delivery received (a table)'],
    remediation:
      'Subscribe a webhook to TAG_RETENTION where retention deletes releases, and run Harbor >= v2.6.5 / v2.7.2 / v2.8.0, whose payload carries the real counts and the operator (goharbor/harbor#18428); alert on deletions nobody expected.',
    caughtBy: ['retention-webhook-counts-zero'],
  },
  replicationEvent: {
    id: 'HOOK-008',
    title:
      "a push-based and a pull-based replication each announce REPLICATION to the local project (the source project of a push, the destination project of a pull, whatever the other side's namespace): job_status Running, then Success with successful_artifact [type, status, name_tag, references], the policy's description, creator, override and trigger, the remote registry's name, type and endpoint, execution_id and task_id",
    controls: [monitoring, auditEvents],
    mutating: true,
    requires: ['replicationPeer'],
    evidence: ['the policies, executions and tasks', 'every delivery received (a table)'],
    remediation:
      'Subscribe a webhook to REPLICATION on both the source projects of push policies and the destination projects of pull policies, and run Harbor >= v2.6.0, which finds the project of a pull-based policy by its destination namespace (goharbor/harbor#17298, #17312); alert on failed_artifact.',
    caughtBy: ['replication-webhook-lost-pull-mode'],
  },
});
