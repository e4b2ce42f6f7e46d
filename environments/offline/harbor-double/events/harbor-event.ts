// The events of the double's event bus, named after Harbor's notification topics (goharbor/harbor
// src/controller/event/topic.go, src/pkg/notifier/model/topic.go@v2.15.2). Code that changes something
// publishes one; the audit log and the webhook sender subscribe (events/event-bus.ts).
import type { AuditEntry } from '../store/audit-log.ts';

interface EventBase {
  /** Who did it, as Harbor names the operator: the username, `robot$…`, `anonymous`, `harbor-jobservice`. */
  operator: string;
  occurAt: Date;
  projectId: number;
}

/** PUSH_ARTIFACT / PULL_ARTIFACT / DELETE_ARTIFACT (src/controller/event/topic.go ArtifactEvent). */
export interface ArtifactEvent extends EventBase {
  type: 'PUSH_ARTIFACT' | 'PULL_ARTIFACT' | 'DELETE_ARTIFACT';
  /** `<project>/<repo>` */
  repository: string;
  digest: string;
  /** The pushed or pulled tag (empty for a push or pull by digest); every tag the artifact had for a delete. */
  tags: string[];
}

/** SCANNING_COMPLETED / SCANNING_FAILED / SCANNING_STOPPED (topic.go ScanImageEvent). */
export interface ScanEvent extends EventBase {
  type: 'SCANNING_COMPLETED' | 'SCANNING_FAILED' | 'SCANNING_STOPPED';
  repository: string;
  digest: string;
  /** The tag the scan was started with (scan on push: the pushed tag), else empty. */
  tag: string;
  /** The artifact's scan_overview, keyed by report MIME type, when the report is final. */
  scanOverview: Record<string, unknown>;
}

/**
 * Events of features that publish their own `event_data` in Harbor's shape (src/pkg/notifier/model/event.go
 * EventData): QUOTA_EXCEED / QUOTA_WARNING (`resources`, `repository`, `custom_attributes`), REPLICATION
 * (`replication`), TAG_RETENTION (`retention`). The webhook sender wraps it as it is; they leave no audit entry.
 */
export interface NotificationEvent extends EventBase {
  type: 'QUOTA_EXCEED' | 'QUOTA_WARNING' | 'REPLICATION' | 'TAG_RETENTION';
  eventData: Record<string, unknown>;
}

/**
 * What Harbor audits but never notifies: projects, repositories, tags, robots, users, configuration, the
 * log middleware's common events (src/controller/event/handler/auditlog/auditlog.go@v2.15.2).
 */
export interface AuditOnlyEvent {
  type: 'AUDIT';
  entry: AuditEntry;
}

export type HarborEvent = ArtifactEvent | ScanEvent | NotificationEvent | AuditOnlyEvent;

/** The event types a webhook policy can name, in the order GET …/webhook/events lists them (notification.go). */
export const WEBHOOK_EVENT_TYPES = [
  'PUSH_ARTIFACT',
  'PULL_ARTIFACT',
  'DELETE_ARTIFACT',
  'QUOTA_EXCEED',
  'QUOTA_WARNING',
  'SCANNING_FAILED',
  'SCANNING_STOPPED',
  'SCANNING_COMPLETED',
  'REPLICATION',
  'TAG_RETENTION',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export type NotifiableEvent = Exclude<HarborEvent, AuditOnlyEvent>;

export function isNotifiable(event: HarborEvent): event is NotifiableEvent {
  return event.type !== 'AUDIT';
}
