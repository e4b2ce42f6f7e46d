// The audit log's subscription to the event bus (goharbor/harbor src/controller/event/handler/auditlog/auditlog.go,
// src/controller/event/topic.go ResolveToAuditLog@v2.15.2): artifact pushes, pulls and deletes become
// audit_log_ext entries (pulls unless `pull_audit_log_disable`), audit-only events are written as given;
// scans, quotas, replication and retention leave none.
import type { DoubleServices } from '../double-services.ts';
import { recordAudit, type AuditEntry } from '../store/audit-log.ts';
import type { ArtifactEvent, HarborEvent } from './harbor-event.ts';

function artifactEntry(event: ArtifactEvent): AuditEntry {
  const at = `${event.repository}@${event.digest}`;
  const tag = event.tags[0];
  switch (event.type) {
    case 'PUSH_ARTIFACT':
      return {
        projectId: event.projectId,
        username: event.operator,
        resource: tag ? `${event.repository}:${tag}` : at,
        resourceType: 'artifact',
        operation: 'create',
        operationDescription: `push artifact: ${at}`,
      };
    case 'PULL_ARTIFACT':
      return {
        projectId: event.projectId,
        username: event.operator,
        resource: tag ? `${event.repository}:${tag}` : at,
        resourceType: 'artifact',
        operation: 'pull',
        operationDescription: `pull artifact: ${at}`,
      };
    case 'DELETE_ARTIFACT':
      return {
        projectId: event.projectId,
        username: event.operator,
        resource: at,
        resourceType: 'artifact',
        operation: 'delete',
        operationDescription: `delete artifact: ${at}`,
      };
  }
}

export function auditSubscriber(services: DoubleServices): (event: HarborEvent) => Promise<void> {
  return async (event) => {
    let entry: AuditEntry;
    if (event.type === 'AUDIT') entry = event.entry;
    else if (event.type === 'PUSH_ARTIFACT' || event.type === 'PULL_ARTIFACT' || event.type === 'DELETE_ARTIFACT') {
      if (event.type === 'PULL_ARTIFACT' && (await services.systemConfig.get<boolean>('pull_audit_log_disable')))
        return;
      entry = artifactEntry(event);
    } else return;
    // audit-robot-operator-unprefixed: the robot's name without `robot$` (goharbor/harbor#13980, before #13989).
    if (services.faults.has('audit-robot-operator-unprefixed')) {
      const prefix = await services.systemConfig.get<string>('robot_name_prefix');
      if (entry.username.startsWith(prefix)) entry = { ...entry, username: entry.username.slice(prefix.length) };
    }
    await recordAudit(services.db, entry);
  };
}
