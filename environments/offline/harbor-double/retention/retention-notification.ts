// The TAG_RETENTION event of a finished retention task (goharbor/harbor src/pkg/retention/callback.go
// retentionTaskCheckInProcessor, src/controller/event/metadata/retention.go, and the webhook handler
// src/controller/event/handler/webhook/artifact/retention.go constructRetentionPayload@v2.15.2): jobservice checks
// in total, retained and the candidates it deleted without an error; core announces them unless the execution was a
// dry run or nothing was deleted. The payload names every rule of the policy, the project of the first deleted
// artifact and each deleted artifact as `name_tag` `<repository>:<first tag>` or `<repository>@<digest>` (repository without
// the project), with the check-in's status "SUCCESS".
import type { DoubleServices } from '../double-services.ts';
import { findExecution, findPolicy } from '../store/retention.ts';
import type { RetentionCandidate } from './retention-evaluation.ts';

export interface RetentionCheckIn {
  executionId: number;
  projectId: number;
  namespace: string;
  /** The repository without the project (selector.Candidate Repository). */
  repository: string;
  total: number;
  retained: number;
  /** The candidates deleted without an error (job.go saveRetainNum realDelete). */
  deleted: RetentionCandidate[];
}

/** Omits what Go's `omitempty` omits: empty strings, zero numbers, empty maps and slices. */
function omitEmpty(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => {
      if (v === undefined || v === '' || v === 0 || v === false) return false;
      if (Array.isArray(v)) return v.length > 0;
      if (v && typeof v === 'object') return Object.keys(v).length > 0;
      return true;
    }),
  );
}

export async function announceRetention(services: DoubleServices, checkIn: RetentionCheckIn): Promise<void> {
  if (checkIn.deleted.length === 0) return;
  const execution = await findExecution(services.db, checkIn.executionId);
  if (!execution || execution.dry_run) return;
  const policy = await findPolicy(services.db, execution.policy_id);
  if (!policy) return;
  const status = 'SUCCESS';
  // retention-webhook-counts-zero: the payload reads the counts before the check-in stored them and names the
  // trigger as operator, as v2.6–v2.7 did (goharbor/harbor#18428)
  const stale = services.faults.has('retention-webhook-counts-zero');
  await services.events.publish({
    type: 'TAG_RETENTION',
    operator: stale ? execution.trigger : execution.operator,
    occurAt: new Date(),
    projectId: checkIn.projectId,
    eventData: {
      retention: {
        total: stale ? 0 : checkIn.total,
        retained: stale ? 0 : checkIn.retained,
        ...omitEmpty({
          // config.ExtURL() split at ":" — the host without scheme and port
          harbor_hostname: new URL(services.config.extEndpoint).hostname,
          project_name: checkIn.namespace,
          retention_policy_id: policy.id,
          retention_rule: policy.rules.map((rule) =>
            omitEmpty({
              template: rule.template,
              params: rule.params,
              tag_selectors: rule.tag_selectors,
              scope_selectors: rule.scope_selectors,
            }),
          ),
          result: status,
          // evtModel.ArtifactInfo: `references` has no omitempty, so a retention entry carries null
          deleted_artifact: checkIn.deleted.map((candidate) => ({
            type: 'image',
            status,
            name_tag:
              candidate.tags.length > 0
                ? `${checkIn.repository}:${candidate.tags[0]}`
                : `${checkIn.repository}@${candidate.digest}`,
            references: null,
          })),
        }),
      },
    },
  });
}
