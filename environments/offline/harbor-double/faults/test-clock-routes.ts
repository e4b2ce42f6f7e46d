// Test-only clock of the offline stack: retention compares push and pull times with "now", and a check cannot
// wait days. PUT /_double/clock/artifacts sets when an artifact (and each of its tags) was last pushed and
// pulled, so a seeded repository has known times. Registered only when HARBOR_DOUBLE_TEST_CLOCK_TOKEN is set (the
// offline environment sets it; real Harbor has no such endpoint, and the double without the token answers 404);
// every call needs `Authorization: Bearer <that token>` (or the fault-control token). The fault-control token
// itself never reaches the Target (environments/environment.ts), hence a token of its own for this one route.
//   PUT  /_double/clock/artifacts {"repository": "<project>/<repo>", "digest": "sha256:…",
//                                  "push_time": "<RFC 3339>", "pull_time": "<RFC 3339>" | null}
//   POST /_double/clock/retentions/{id}/schedule  the policy's next scheduled time has come: the scheduler's
//        callback runs it (trigger Schedule, not a dry run, operator harbor-jobservice) → 201 {"execution_id"}
//        (goharbor/harbor src/controller/retention/callback.go@v2.15.2); 409 when the policy has no schedule.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { DoubleServices } from '../double-services.ts';
import { triggerRetentionExecution } from '../retention/retention-launcher.ts';
import { scheduleCron } from '../retention/retention-policy.ts';
import { findArtifactByDigest } from '../store/artifacts.ts';
import { findPolicy } from '../store/retention.ts';

export const TEST_CLOCK_PREFIX = '/_double/clock/';

function bearerIsOneOf(request: FastifyRequest, tokens: readonly string[]): boolean {
  const header = request.headers.authorization ?? '';
  const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '');
  return tokens.some((token) => {
    const wanted = Buffer.from(token);
    return given.length === wanted.length && timingSafeEqual(given, wanted);
  });
}

const bad = (message: string) => ({ errors: [{ code: 'BAD_REQUEST', message }] });

function instant(value: unknown): Date | null | undefined {
  if (value === null) return null;
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) return undefined;
  return new Date(value);
}

export function registerTestClockRoutes(
  app: FastifyInstance,
  services: DoubleServices,
  tokens: readonly string[],
): void {
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith(TEST_CLOCK_PREFIX)) return;
    if (!bearerIsOneOf(request, tokens))
      return reply
        .status(401)
        .send({ errors: [{ code: 'UNAUTHORIZED', message: 'the test clock needs its bearer token' }] });
  });

  app.put(`${TEST_CLOCK_PREFIX}artifacts`, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const pushTime = instant(body['push_time']);
    const pullTime = instant(body['pull_time'] ?? null);
    if (
      typeof body['repository'] !== 'string' ||
      typeof body['digest'] !== 'string' ||
      !pushTime ||
      pullTime === undefined
    )
      return reply
        .status(400)
        .send(bad('body must be {"repository", "digest", "push_time": RFC 3339, "pull_time": RFC 3339 or null}'));
    const artifact = await findArtifactByDigest(services.db, body['repository'], body['digest']);
    if (!artifact)
      return reply.status(404).send({
        errors: [{ code: 'NOT_FOUND', message: `artifact ${body['repository']}@${body['digest']} not found` }],
      });
    await services.db.query('UPDATE artifact SET push_time = $2, pull_time = $3 WHERE id = $1', [
      artifact.id,
      pushTime,
      pullTime,
    ]);
    await services.db.query('UPDATE tag SET push_time = $2, pull_time = $3 WHERE artifact_id = $1', [
      artifact.id,
      pushTime,
      pullTime,
    ]);
    return { repository: artifact.repository_name, digest: artifact.digest, push_time: pushTime, pull_time: pullTime };
  });

  app.post(`${TEST_CLOCK_PREFIX}retentions/:id/schedule`, async (request, reply) => {
    const policy = await findPolicy(services.db, Number((request.params as { id: string }).id));
    if (!policy)
      return reply.status(404).send({ errors: [{ code: 'NOT_FOUND', message: 'no such Retention policy' }] });
    if (scheduleCron(policy) === '')
      return reply
        .status(409)
        .send({ errors: [{ code: 'CONFLICT', message: `retention policy ${policy.id} has no schedule` }] });
    const executionId = await triggerRetentionExecution(services, policy, 'Schedule', false, 'harbor-jobservice');
    return reply.status(201).send({ execution_id: executionId });
  });
}
