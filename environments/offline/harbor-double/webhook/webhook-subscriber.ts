// The webhook sender's subscription to the event bus (goharbor/harbor src/controller/event/handler/webhook/{artifact,
// scan}/*.go, util.SendHookWithPolicies, src/pkg/notification/hook/hook.go, notifier/handler/notification/
// http_handler.go@v2.15.2): with `notification_enable` on, every enabled policy of the event's project that names
// the event type gets, per http target, an execution with one task and a WEBHOOK job carrying the formatted
// payload, its Content-Type and the target's auth header. Slack targets are not modelled (no job is made).
import { randomUUID } from 'node:crypto';
import type { DoubleServices } from '../double-services.ts';
import { isNotifiable, type HarborEvent } from '../events/harbor-event.ts';
import { findRepository } from '../store/artifacts.ts';
import { findProject, isTrue } from '../store/projects.ts';
import { createWebhookExecution } from '../store/webhook-executions.ts';
import { listWebhookPolicies } from '../store/webhook-policies.ts';
import { enqueueWebhook } from './webhook-jobs.ts';
import { formatPayload, type PayloadFormat } from './webhook-payload.ts';

export function webhookSubscriber(services: DoubleServices): (event: HarborEvent) => Promise<void> {
  return async (event) => {
    if (!isNotifiable(event)) return;
    if (!((await services.systemConfig.get<boolean>('notification_enable')) ?? true)) return;
    const policies = (await listWebhookPolicies(services.db, event.projectId)).filter(
      (p) => p.enabled && p.event_types.includes(event.type),
    );
    if (policies.length === 0) return;
    const project = await findProject(services.db, event.projectId);
    if (!project) return;
    const repository = 'repository' in event ? await findRepository(services.db, event.repository) : undefined;
    for (const policy of policies) {
      for (const target of policy.targets) {
        if (target.type !== 'http') continue;
        const formatted = formatPayload(event, (target.payload_format || 'Default') as PayloadFormat, {
          project: { id: project.project_id, name: project.name, public: isTrue(project.metadata['public']) },
          ...(repository ? { repositoryCreated: repository.creation_time } : {}),
          externalHost: new URL(services.config.extEndpoint).host,
          policyId: policy.id,
          requestId: randomUUID(),
          missingFields: services.faults.has('webhook-payload-missing-fields'),
          pullTagAsDigest: services.faults.has('webhook-pull-tag-as-digest'),
          cloudEventsAsJson: services.faults.has('webhook-cloudevents-content-type-wrong'),
        });
        const { taskId } = await createWebhookExecution(services.db, policy.id, {
          event_type: event.type,
          payload: formatted.body,
        });
        await enqueueWebhook(services.redis, {
          name: 'WEBHOOK',
          taskId,
          address: target.address,
          header: {
            'Content-Type': formatted.contentType,
            ...(target.auth_header ? { Authorization: target.auth_header } : {}),
          },
          payload: formatted.body,
          skipCertVerify: target.skip_cert_verify,
          allowPrivateIp: project.metadata['webhook_allow_private_ip'] === 'true',
          fails: 0,
        });
      }
    }
  };
}
