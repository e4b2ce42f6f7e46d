// Test-only control endpoint: switches fault profiles on a running double so the selftest needs one stack,
// not one per profile. Registered only when HARBOR_DOUBLE_FAULT_CONTROL_TOKEN is set (the offline environment
// sets it for the selftest alone); every call needs `Authorization: Bearer <that token>`. Real Harbor has no
// such endpoint, and the double without the token answers 404 here like Harbor.
//   PUT  /_double/snapshot  the current database becomes the state every later switch starts from
//   PUT  /_double/faults    {"profiles": [...]}: restore the snapshot, switch exactly these profiles on,
//                           put the state the profiles model in place
//   GET  /_double/faults    {"profiles": [...]} active now
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { DoubleServices } from '../double-services.ts';
import { forgetProxyCache } from '../proxy/cache-fill.ts';
import { forgetAllMetadata } from '../scan/scanner-registry.ts';
import { resetWebhookJobs } from '../webhook/webhook-jobs.ts';
import { applyProfileState } from './fault-state.ts';
import type { FaultSwitch } from './fault-switch.ts';
import { resolveFaultProfiles } from './fault-profiles.ts';
import { restoreSnapshot, takeSnapshot } from './state-snapshot.ts';
import { TEST_CLOCK_PREFIX } from './test-clock-routes.ts';

function authorised(request: FastifyRequest, token: string): boolean {
  const header = request.headers.authorization ?? '';
  const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '');
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

export function registerFaultControlRoutes(
  app: FastifyInstance,
  services: DoubleServices,
  faults: FaultSwitch,
  token: string,
): void {
  app.addHook('onRequest', async (request, reply) => {
    // the test clock authorises its own calls (its token, or this one): faults/test-clock-routes.ts
    if (!request.url.startsWith('/_double/') || request.url.startsWith(TEST_CLOCK_PREFIX)) return;
    if (!authorised(request, token))
      return reply
        .status(401)
        .send({ errors: [{ code: 'UNAUTHORIZED', message: 'fault control needs its bearer token' }] });
  });

  app.put('/_double/snapshot', async () => ({ tables: (await takeSnapshot(services.db)).length }));

  app.get('/_double/faults', async () => ({ profiles: faults.active }));

  app.put('/_double/faults', async (request, reply) => {
    const body = (request.body ?? {}) as { profiles?: unknown };
    if (!Array.isArray(body.profiles) || !body.profiles.every((p) => typeof p === 'string')) {
      return reply
        .status(400)
        .send({ errors: [{ code: 'BAD_REQUEST', message: 'body must be {"profiles": [names]}' }] });
    }
    let names: ReturnType<typeof resolveFaultProfiles>;
    try {
      names = resolveFaultProfiles(body.profiles.join(','), 'fault profile');
    } catch (error) {
      return reply.status(400).send({ errors: [{ code: 'BAD_REQUEST', message: (error as Error).message }] });
    }
    if (!(await restoreSnapshot(services.db))) {
      return reply.status(409).send({
        errors: [{ code: 'CONFLICT', message: 'PUT /_double/snapshot first: there is no state to reset to' }],
      });
    }
    services.systemConfig.forget();
    forgetAllMetadata();
    await forgetProxyCache(services);
    await resetWebhookJobs(services.redis);
    faults.set(names);
    await applyProfileState(services, names);
    return { profiles: faults.active };
  });
}
