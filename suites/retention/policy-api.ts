// The retention policy API as Harbor answers it (goharbor/harbor src/server/v2.0/handler/retention.go@v2.15.2):
// the five templates of /retentions/metadatas, the project's retention_id after a create, the policy read back
// as sent (rules, schedule), one policy per project, at most 15 rules, identical rules a conflict. Each
// difference is returned as one line; nothing here throws for a wrong answer.
import { HarborApiError } from '../../lib/harbor-api.ts';
import type { CheckContext } from '../check.ts';
import type { RetentionRuleBody } from './expected-retention.ts';
import type { RetentionWorkspace } from './retention-workspace.ts';

const TEMPLATES = ['latestPushedK', 'latestPulledN', 'nDaysSinceLastPush', 'nDaysSinceLastPull', 'always'];

async function refusal(fn: () => Promise<unknown>): Promise<{ status: number; message: string }> {
  try {
    await fn();
    return { status: 201, message: '' };
  } catch (error) {
    if (error instanceof HarborApiError) return { status: error.status, message: error.harborMessage };
    throw error;
  }
}

export async function retentionMetadataProblems(ctx: CheckContext): Promise<string[]> {
  const metadata = await ctx.api.request<{ templates?: Array<{ rule_template?: string }> }>(
    'GET',
    '/retentions/metadatas',
  );
  const listed = (metadata.data?.templates ?? []).map((t) => t.rule_template ?? '');
  return JSON.stringify(listed) === JSON.stringify(TEMPLATES)
    ? []
    : [
        `/retentions/metadatas lists the templates ${JSON.stringify(listed)}, Harbor lists ${JSON.stringify(TEMPLATES)}`,
      ];
}

/** Comparable form of a rule: what the policy keeps, without the fields Harbor fills in or omits. */
const ruleShape = (r: Record<string, unknown>) =>
  JSON.stringify({
    template: r['template'],
    params: r['params'] ?? {},
    tags: ((r['tag_selectors'] as Array<Record<string, unknown>>) ?? []).map((s) => [
      s['decoration'],
      s['pattern'],
      s['extras'] ?? '',
    ]),
    repositories: (
      (r['scope_selectors'] as Record<string, Array<Record<string, unknown>>> | undefined)?.['repository'] ?? []
    ).map((s) => [s['decoration'], s['pattern']]),
  });

export async function retentionPolicyApiProblems(
  ctx: CheckContext,
  ws: RetentionWorkspace,
  policyId: number,
  rules: readonly RetentionRuleBody[],
  cron: string,
): Promise<string[]> {
  const problems: string[] = [];
  const project = await ctx.api.getProject(ws.name);
  if (project.metadata?.retention_id !== String(policyId))
    problems.push(
      `project ${ws.name} has retention_id ${JSON.stringify(project.metadata?.retention_id)}, Harbor sets "${policyId}"`,
    );

  const read = (await ctx.api.request<Record<string, unknown>>('GET', `/retentions/${policyId}`)).data ?? {};
  const readRules = ((read['rules'] as Array<Record<string, unknown>>) ?? []).map(ruleShape);
  const sentRules = rules.map((r) => ruleShape(r as unknown as Record<string, unknown>));
  if (JSON.stringify(readRules) !== JSON.stringify(sentRules))
    problems.push(
      `GET /retentions/${policyId} rules ${readRules.join(', ')} differ from those sent ${sentRules.join(', ')}`,
    );
  const trigger = (read['trigger'] ?? {}) as { kind?: string; settings?: { cron?: string } };
  if (trigger.kind !== 'Schedule' || trigger.settings?.cron !== cron)
    problems.push(`GET /retentions/${policyId} trigger ${JSON.stringify(trigger)}: the schedule "${cron}" was sent`);

  const expectRefusal = async (what: string, body: unknown, status: number, message: string) => {
    const got = await refusal(() => ctx.api.request('POST', '/retentions', { body, expect: [201] }));
    if (got.status !== status || got.message !== message)
      problems.push(`${what}: ${got.status} "${got.message}", Harbor answers ${status} "${message}"`);
  };
  await expectRefusal(
    'a second policy for the project',
    ws.policyBody(rules),
    400,
    `bad request: project ${ws.project.id} already has retention policy ${policyId}`,
  );
  const one = rules[0]!;
  const sixteen = Array.from({ length: 16 }, (_, n) => ({ ...one, params: { ...one.params, [one.template]: n } }));
  await expectRefusal('16 rules', ws.policyBody(sixteen), 400, 'bad request: only 15 rules are allowed at most');
  await expectRefusal(
    'two identical rules',
    ws.policyBody([one, one]),
    409,
    'resource conflict: rule 1 is conflict with rule 0',
  );
  return problems;
}
