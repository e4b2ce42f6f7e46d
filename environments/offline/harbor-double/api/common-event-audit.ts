// The writes Harbor's log middleware records as "common events", whatever they were answered: the event is
// added with MustNotify, so a denied or failed request leaves an entry too, with operation_result false
// (goharbor/harbor src/server/middleware/log/log.go, src/pkg/auditext/event/basic.go, user/user.go,
// config/config.go@v2.15.2). Users: POST /api/v2.0/users (create), PUT/DELETE /api/v2.0/users/{id}[/password|
// /sysadmin] (update/delete), successful on 200/201; configurations: PUT /api/v2.0/configurations, successful on 200.
// The username is the caller's, "unknown" without a security context (anonymous).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { DoubleServices } from '../double-services.ts';
import { usernameOf } from '../security/security-context.ts';

const USER_ID = /^\/api\/v2\.0\/users\/(\d+)(\/password|\/sysadmin)?$/;
const operations: Record<string, string> = { POST: 'create', PUT: 'update', DELETE: 'delete' };

interface Pending {
  resourceType: 'user' | 'configuration';
  operation: string;
  /** The user named by the path, resolved before the handler runs (a deleted user has no name after). */
  userName?: string;
  suffix?: string;
}

const pending = new WeakMap<FastifyRequest, Pending>();

async function userName(services: DoubleServices, id: string): Promise<string> {
  const row = await services.db.query<{ username: string }>('SELECT username FROM harbor_user WHERE user_id = $1', [
    Number(id),
  ]);
  return row.rows[0]?.username ?? '';
}

export function registerCommonEventAudit(app: FastifyInstance, services: DoubleServices): void {
  app.addHook('onRequest', async (request) => {
    const path = request.url.split('?')[0] ?? '';
    const operation = operations[request.method];
    if (!operation) return;
    if (path === '/api/v2.0/configurations' && request.method === 'PUT') {
      pending.set(request, { resourceType: 'configuration', operation });
      return;
    }
    if (path === '/api/v2.0/users' && request.method === 'POST') {
      pending.set(request, { resourceType: 'user', operation });
      return;
    }
    const match = USER_ID.exec(path);
    if (match && request.method !== 'POST') {
      pending.set(request, {
        resourceType: 'user',
        operation,
        userName: (await userName(services, match[1]!)) || match[1]!,
        ...(match[2] ? { suffix: match[2] } : {}),
      });
    }
  });

  app.addHook('onResponse', async (request, reply) => {
    const event = pending.get(request);
    if (!event) return;
    const ctx = request.security;
    const username = ctx.kind === 'anonymous' ? 'unknown' : usernameOf(ctx);
    const status = reply.statusCode;
    if (event.resourceType === 'configuration') {
      await services.events.publish({
        type: 'AUDIT',
        entry: {
          projectId: 0,
          username,
          resource: 'configuration',
          resourceType: 'configuration',
          operation: 'update',
          operationDescription: 'update configuration',
          operationResult: status === 200,
        },
      });
      return;
    }
    let name = event.userName ?? '';
    if (event.operation === 'create') {
      const id = /\/api\/v2\.0\/users\/(\d+)$/.exec(String(reply.getHeader('location') ?? ''))?.[1];
      name = id ? (await userName(services, id)) || id : '';
    }
    const extra =
      event.suffix === '/sysadmin'
        ? ', add/remove user as system administrator'
        : event.suffix === '/password'
          ? ', change user password'
          : '';
    await services.events.publish({
      type: 'AUDIT',
      entry: {
        projectId: 0,
        username,
        resource: name,
        resourceType: 'user',
        operation: event.operation,
        operationDescription: `${event.operation} user with name: ${name}${event.operation === 'update' ? extra : ''}`,
        operationResult: status === 200 || status === 201,
      },
    });
  });
}
