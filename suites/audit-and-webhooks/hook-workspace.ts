// What the webhook checks share: a receiver for the check, a policy of a run-id project pointing at it, the policy's
// tasks, and the table of deliveries every check attaches as evidence.
import * as allure from 'allure-js-commons';
import { inject } from 'vitest';
import { join } from 'node:path';
import { buildImage, type BuiltImage } from '../../fixtures/images/image-builder.ts';
import { pushImage } from '../../fixtures/images/push-image.ts';
import { pollUntil } from '../../lib/poll.ts';
import type { CheckContext } from '../check.ts';
import type { ProjectWorkspace } from '../support/check-fixtures.ts';
import { notAnArchiveLayer } from '../support/not-an-archive-layer.ts';
import { type RecordedDelivery, sha256, WebhookReceiver } from './webhook-receiver.ts';
import { webhookAuthHeader } from './webhook-secret.ts';

export interface PolicyTarget {
  path: string;
  payload_format?: 'Default' | 'CloudEvents';
  auth_header?: string;
}

/** A receiver for this check, closed after it; skips the check when Harbor cannot reach this machine. */
export async function startReceiver(ctx: CheckContext): Promise<WebhookReceiver> {
  const host = ctx.target.webhookReceiverHost;
  if (!host) ctx.skip('the target names no address of this machine that Harbor reaches (webhookReceiverHost)');
  const receiver = await WebhookReceiver.start(
    host,
    join(inject('run').runDir, 'webhook-recordings'),
    ctx.check.id,
    ctx.secrets,
  );
  ctx.cleanup(() => receiver.close());
  return receiver;
}

/**
 * The check's project, allowing webhook targets on private addresses (`webhook_allow_private_ip`, GHSA-2phj-cp9f-qq6w's
 * opt-in as goharbor/harbor PR #23568 writes it): the receiver listens on this machine's address on Harbor's network,
 * which is private, as a team's internal receiver is. Harbor before v2.15.3 ignores the key.
 */
export function hookProject(ctx: CheckContext): Promise<ProjectWorkspace> {
  return ctx.project({ webhook_allow_private_ip: 'true' });
}

/** A fresh auth header, registered as a secret of the check. */
export function authHeader(ctx: CheckContext): string {
  const header = webhookAuthHeader();
  ctx.secret(header);
  return header;
}

/** POSTs a policy (enabled, as a team writes one) and returns its id; deleted after the check. */
export async function createPolicy(
  ctx: CheckContext,
  ws: Pick<ProjectWorkspace, 'name'>,
  receiver: WebhookReceiver,
  name: string,
  eventTypes: string[],
  targets: PolicyTarget[],
): Promise<number> {
  const body = {
    name,
    enabled: true,
    event_types: eventTypes,
    targets: targets.map((t) => ({
      type: 'http',
      address: receiver.url(t.path),
      skip_cert_verify: false,
      ...(t.payload_format ? { payload_format: t.payload_format } : {}),
      ...(t.auth_header ? { auth_header: t.auth_header } : {}),
    })),
  };
  const response = await ctx.api.request<{ errors?: Array<{ message?: string }> }>(
    'POST',
    `/projects/${ws.name}/webhook/policies`,
    { body, expect: [201, 400] },
  );
  const refusal = response.data?.errors?.[0]?.message ?? '';
  if (response.status === 400 && /non-public host/.test(refusal))
    ctx.skip(
      `Harbor refuses the receiver's private address (${refusal}) although the project allows private targets: let this run's projects send webhooks to private addresses, or give the target a public webhookReceiverHost`,
    );
  if (response.status !== 201) throw new Error(`policy POST answered ${response.status}: ${refusal}`);
  const id = Number(/\/(\d+)$/.exec(String(response.headers['location'] ?? ''))?.[1]);
  if (!Number.isInteger(id)) throw new Error(`policy POST answered Location ${String(response.headers['location'])}`);
  ctx.cleanup(async () => {
    await ctx.api.request('DELETE', `/projects/${ws.name}/webhook/policies/${id}`, { expect: [200, 404] });
  });
  return id;
}

export interface TaskView {
  execution: number;
  event_type: string;
  id: number;
  status: string;
  run_count: number;
  status_message?: string;
}

/** Every task of every execution of the policy. */
export async function policyTasks(ctx: CheckContext, ws: ProjectWorkspace, policyId: number): Promise<TaskView[]> {
  const base = `/projects/${ws.name}/webhook/policies/${policyId}/executions`;
  const executions = (
    await ctx.api.request<Array<{ id: number; extra_attrs?: { event_type?: string } }>>('GET', base, {
      query: { page_size: 100 },
    })
  ).data;
  const tasks: TaskView[] = [];
  for (const execution of executions ?? []) {
    const list = (await ctx.api.request<TaskView[]>('GET', `${base}/${execution.id}/tasks`)).data ?? [];
    for (const task of list)
      tasks.push({
        execution: execution.id,
        event_type: execution.extra_attrs?.event_type ?? '',
        id: task.id,
        status: task.status,
        run_count: task.run_count,
        ...(task.status_message ? { status_message: task.status_message } : {}),
      });
  }
  return tasks;
}

/** The task log of one task (text). */
export async function taskLog(
  ctx: CheckContext,
  ws: ProjectWorkspace,
  policyId: number,
  task: TaskView,
): Promise<string> {
  const response = await ctx.api.request<string>(
    'GET',
    `/projects/${ws.name}/webhook/policies/${policyId}/executions/${task.execution}/tasks/${task.id}/log`,
    { headers: { accept: 'text/plain' } },
  );
  return typeof response.data === 'string' ? response.data : JSON.stringify(response.data);
}

/** Waits until `path` has received `count` deliveries (Harbor hands events to jobservice: seconds, not minutes). */
/**
 * The common start of an event check: a receiver, the check's project, a fresh auth header, and one enabled policy
 * for `eventTypes` whose single target is the receiver's `path` (Default format) with that header.
 */
export async function subscribedProject(
  ctx: CheckContext,
  name: string,
  eventTypes: string[],
  path: string,
): Promise<{ receiver: WebhookReceiver; ws: ProjectWorkspace; header: string; policyId: number }> {
  const receiver = await startReceiver(ctx);
  const ws = await hookProject(ctx);
  const header = authHeader(ctx);
  const policyId = await createPolicy(ctx, ws, receiver, name, eventTypes, [{ path, auth_header: header }]);
  return { receiver, ws, header, policyId };
}

export async function waitForDeliveries(
  ctx: CheckContext,
  receiver: WebhookReceiver,
  path: string,
  count: number,
  timeoutMs = 20_000,
): Promise<RecordedDelivery[]> {
  return pollUntil(() => receiver.deliveries(path), {
    accept: (got) => got.length >= count,
    timeoutMs,
    intervalMs: 100,
    describe: `${count} webhook deliveries to ${path}`,
    show: () => 'fewer deliveries (see the deliveries table)',
    signal: ctx.signal,
  });
}

/** Fails with every finding in the message (one line each), so the report says what differed. */
export function expectNone(findings: readonly string[], what: string): void {
  if (findings.length > 0) throw new Error(`${what}: ${findings.join('; ')}`);
}

/** Parses a recorded body (the check fails on a body that is not JSON). */
export function bodyOf(delivery: RecordedDelivery): Record<string, unknown> {
  return JSON.parse(delivery.body) as Record<string, unknown>;
}

/** The evidence table of every delivery the receiver got in this check. */
export async function noteDeliveries(
  ctx: CheckContext,
  receiver: WebhookReceiver,
  expectedAuth?: string,
): Promise<void> {
  const rows = (await receiver.deliveries()).map((d) => {
    let type = '';
    let resource = '';
    try {
      const body = bodyOf(d);
      type = String(body['type'] ?? '');
      const data = (body['event_data'] ?? body['data']) as { resources?: Array<{ resource_url?: string }> } | undefined;
      resource = data?.resources?.[0]?.resource_url ?? '';
    } catch {
      type = '(not JSON)';
    }
    const auth = d.authorization_sha256
      ? expectedAuth && d.authorization_sha256 === sha256(expectedAuth)
        ? 'configured header'
        : 'other header'
      : 'none';
    return `| ${d.seq} | ${d.path} | ${type} | ${d.headers['content-type'] ?? ''} | ${auth} | ${resource} | ${d.answered} |`;
  });
  const table = [
    '| # | path | type | Content-Type | Authorization | resource_url | answered |',
    '|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
  ctx.evidence.note('webhook deliveries received', table);
  await allure.attachment(`${ctx.check.id} webhook deliveries.md`, table, { contentType: 'text/markdown' });
}

/**
 * An image of its own digest with no layers (its config names it): one blob upload per push, which keeps the suite's
 * many pushes cheap on a registry with slow object storage.
 */
export function uniqueImage(ctx: CheckContext, label: string): BuiltImage {
  return buildImage({
    layers: [],
    config: { Labels: { 'org.harbor-conformance.image': `${ctx.runId} ${ctx.check.id} ${label}` } },
  });
}

/** An image whose only layer claims gzip but is not: every scanner fails on it (SCANNING_FAILED). */
export function unscannableImage(ctx: CheckContext): BuiltImage {
  return buildImage({ layers: [notAnArchiveLayer(`${ctx.runId} ${ctx.check.id}`)] });
}

export async function push(ctx: CheckContext, repository: string, tag: string, image: BuiltImage): Promise<string> {
  const pushed = await ctx.step(`push ${repository}:${tag}`, () => pushImage(ctx.registry, repository, tag, image));
  ctx.evidence.digest(`${repository}:${tag}`, pushed.digest);
  return pushed.digest;
}
