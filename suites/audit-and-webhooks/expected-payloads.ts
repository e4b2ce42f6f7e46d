// The payloads Harbor v2.15 sends, as the checks expect them (goharbor/harbor src/pkg/notifier/model/event.go,
// formats/{default,cloudevents}.go, src/controller/event/handler/webhook/{artifact/artifact.go,scan/scan.go},
// src/controller/event/handler/util/util.go BuildImageResourceURL@v2.15.2).
import { expect } from 'vitest';

export const CLOUD_EVENT_TYPES: Record<string, string> = {
  PUSH_ARTIFACT: 'harbor.artifact.pushed',
  PULL_ARTIFACT: 'harbor.artifact.pulled',
  DELETE_ARTIFACT: 'harbor.artifact.deleted',
  SCANNING_COMPLETED: 'harbor.scan.completed',
  SCANNING_FAILED: 'harbor.scan.failed',
};

export const VULNERABILITY_REPORT = 'application/vnd.security.vulnerability.report; version=1.1';

const isDigest = (reference: string) => reference.startsWith('sha256:');

/** `<external host>/<repo>:<tag>` or `<external host>/<repo>@<digest>` (the external URL without its scheme). */
export function resourceUrl(host: string, repository: string, reference: string): string {
  return `${host}/${repository}${isDigest(reference) ? '@' : ':'}${reference}`;
}

/**
 * event_data of PUSH/PULL/DELETE_ARTIFACT; `reference` is the tag of the event, or the digest when it had none.
 * `date_created` is the repository's, absent once the repository is gone (a repository delete).
 */
export function artifactEventData(
  host: string,
  project: string,
  repository: string,
  digest: string,
  reference: string,
  repositoryExists = true,
) {
  return {
    resources: [{ digest, tag: reference, resource_url: resourceUrl(host, repository, reference) }],
    repository: {
      ...(repositoryExists ? { date_created: expect.any(Number) } : {}),
      name: repository.slice(project.length + 1),
      namespace: project,
      repo_full_name: repository,
      repo_type: 'private',
    },
  };
}

/** event_data of SCANNING_*: no date_created; `tag` only when the scan had one; the report's overview. */
export function scanEventData(
  host: string,
  project: string,
  repository: string,
  digest: string,
  tag: string | undefined,
  scanStatus: string,
) {
  return {
    resources: [
      {
        digest,
        ...(tag ? { tag } : {}),
        resource_url: resourceUrl(host, repository, tag ?? digest),
        scan_overview: { [VULNERABILITY_REPORT]: expect.objectContaining({ scan_status: scanStatus }) },
      },
    ],
    repository: {
      name: repository.slice(project.length + 1),
      namespace: project,
      repo_full_name: repository,
      repo_type: 'private',
    },
    scan: { scan_type: 'vulnerability' },
  };
}

/** The Default envelope around event_data. */
export function defaultPayload(type: string, operator: string, data: unknown) {
  return { type, occur_at: expect.any(Number), operator, event_data: data };
}

/** The CloudEvents 1.0 structured envelope around event_data. */
export function cloudEvent(type: string, operator: string, projectId: number, policyId: number, data: unknown) {
  return {
    specversion: '1.0',
    id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
    source: `/projects/${projectId}/webhook/policies/${policyId}`,
    type: CLOUD_EVENT_TYPES[type],
    datacontenttype: 'application/json',
    time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
    data,
    requestid: expect.any(String),
    operator,
  };
}
