// What a webhook target receives, in the two payload formats of an http target:
// - Default (goharbor/harbor src/pkg/notifier/formats/default.go, model/event.go): {type, occur_at, operator,
//   event_data}, Content-Type application/json;
// - CloudEvents 1.0 in structured mode (formats/cloudevents.go): {specversion, id, source, type, datacontenttype,
//   time, data: event_data, requestid, operator}, Content-Type application/cloudevents+json.
// event_data of artifact events: src/controller/event/handler/webhook/artifact/artifact.go; of scan events:
// …/webhook/scan/scan.go (no date_created, `tag` omitted when empty, `scan` {scan_type}); @v2.15.2.
import { randomUUID } from 'node:crypto';
import type { NotifiableEvent, WebhookEventType } from '../events/harbor-event.ts';

export type PayloadFormat = 'Default' | 'CloudEvents';

export const CLOUD_EVENT_TYPES: Record<WebhookEventType, string> = {
  PUSH_ARTIFACT: 'harbor.artifact.pushed',
  PULL_ARTIFACT: 'harbor.artifact.pulled',
  DELETE_ARTIFACT: 'harbor.artifact.deleted',
  QUOTA_EXCEED: 'harbor.quota.exceeded',
  QUOTA_WARNING: 'harbor.quota.warned',
  REPLICATION: 'harbor.replication.status.changed',
  SCANNING_FAILED: 'harbor.scan.failed',
  SCANNING_COMPLETED: 'harbor.scan.completed',
  SCANNING_STOPPED: 'harbor.scan.stopped',
  TAG_RETENTION: 'harbor.tag_retention.finished',
};

export interface PayloadContext {
  project: { id: number; name: string; public: boolean };
  /** The repository's creation time (artifact events; absent once the repository is gone). */
  repositoryCreated?: Date;
  /** EXT_ENDPOINT without its scheme (config.ExtURL in src/lib/config/systemconfig.go). */
  externalHost: string;
  policyId: number;
  requestId: string;
  /** webhook-payload-missing-fields: scan events drop `tag` (resource_url ends in ":") and scan_overview (#14293, #22212). */
  missingFields?: boolean;
  /** webhook-pull-tag-as-digest: a pull by tag is reported with the digest as tag and in resource_url (#16923). */
  pullTagAsDigest?: boolean;
  /** webhook-cloudevents-content-type-wrong: CloudEvents sent as application/json. */
  cloudEventsAsJson?: boolean;
}

const unix = (date: Date) => Math.floor(date.getTime() / 1000);
const isDigest = (reference: string) => /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/.test(reference);

function resourceUrl(host: string, repository: string, reference: string): string {
  return isDigest(reference) ? `${host}/${repository}@${reference}` : `${host}/${repository}:${reference}`;
}

function repositoryOf(repository: string, context: PayloadContext, withCreated: boolean): Record<string, unknown> {
  return {
    ...(withCreated && context.repositoryCreated ? { date_created: unix(context.repositoryCreated) } : {}),
    name: repository.slice(repository.indexOf('/') + 1),
    namespace: context.project.name,
    repo_full_name: repository,
    repo_type: context.project.public ? 'public' : 'private',
  };
}

/** event_data of the event (Harbor's EventData, zero values omitted). */
export function eventData(event: NotifiableEvent, context: PayloadContext): Record<string, unknown> {
  const missing = context.missingFields === true;
  switch (event.type) {
    case 'PUSH_ARTIFACT':
    case 'PULL_ARTIFACT':
    case 'DELETE_ARTIFACT': {
      const asDigest = event.type === 'PULL_ARTIFACT' && context.pullTagAsDigest === true;
      const reference = (asDigest ? undefined : event.tags[0]) ?? event.digest;
      return {
        resources: [
          {
            digest: event.digest,
            tag: reference,
            resource_url: resourceUrl(context.externalHost, event.repository, reference),
          },
        ],
        repository: repositoryOf(event.repository, context, true),
      };
    }
    case 'SCANNING_COMPLETED':
    case 'SCANNING_FAILED':
    case 'SCANNING_STOPPED': {
      const reference = event.tag || event.digest;
      const overview = missing ? {} : event.scanOverview;
      return {
        resources: [
          {
            digest: event.digest,
            ...(event.tag && !missing ? { tag: event.tag } : {}),
            resource_url: missing
              ? `${context.externalHost}/${event.repository}:`
              : resourceUrl(context.externalHost, event.repository, reference),
            ...(Object.keys(overview).length > 0 ? { scan_overview: overview } : {}),
          },
        ],
        repository: repositoryOf(event.repository, context, false),
        scan: { scan_type: 'vulnerability' },
      };
    }
    default:
      return event.eventData;
  }
}

export interface FormattedPayload {
  contentType: string;
  body: string;
}

export function formatPayload(
  event: NotifiableEvent,
  format: PayloadFormat,
  context: PayloadContext,
): FormattedPayload {
  const data = eventData(event, context);
  if (format === 'CloudEvents') {
    const cloudEvent = {
      specversion: '1.0',
      id: randomUUID(),
      source: `/projects/${context.project.id}/webhook/policies/${context.policyId}`,
      type: CLOUD_EVENT_TYPES[event.type],
      datacontenttype: 'application/json',
      time: new Date(unix(event.occurAt) * 1000).toISOString().replace('.000Z', 'Z'),
      data,
      requestid: context.requestId,
      operator: event.operator,
    };
    return {
      contentType: context.cloudEventsAsJson ? 'application/json' : 'application/cloudevents+json',
      body: JSON.stringify(cloudEvent),
    };
  }
  const payload = { type: event.type, occur_at: unix(event.occurAt), operator: event.operator, event_data: data };
  return { contentType: 'application/json', body: JSON.stringify(payload) };
}
