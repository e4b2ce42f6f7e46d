// /api/v2.0/users (goharbor/harbor src/server/v2.0/handler/user.go@v2.15.2): create, list, get, delete as
// system user:* (sysadmin), and /users/current/permissions — the policies of the scope's namespace the caller
// can do (GetCurrentUserPermissions: ns.GetPolicies() filtered by sctx.Can, `relative` strips the scope).
import type { FastifyInstance } from 'fastify';
import type { DoubleServices } from '../double-services.ts';
import { badRequest, conflict, notFound, unauthorized } from '../harbor-error.ts';
import { isAuthenticated } from '../security/security-context.ts';
import { createUser, getUser, type UserRow } from '../store/users.ts';
import { findProject, projectFacts } from '../store/projects.ts';
import { projectNamespacePolicies, systemNamespacePolicies } from '../rbac/role-policies.ts';
import { allowed, isoTime, paging, requireSystemAccess, setListHeaders } from './api-support.ts';

/** Harbor's requireValidSecret: 8-128 characters with at least one upper, one lower case letter and a digit. */
const validPassword = (p: unknown): p is string =>
  typeof p === 'string' && p.length >= 8 && p.length <= 128 && /[A-Z]/.test(p) && /[a-z]/.test(p) && /\d/.test(p);

function userModel(row: UserRow): Record<string, unknown> {
  return {
    user_id: row.user_id,
    username: row.username,
    email: row.email ?? '',
    realname: row.realname,
    comment: row.comment,
    sysadmin_flag: row.sysadmin_flag,
    admin_role_in_auth: false,
    creation_time: isoTime(row.creation_time),
    update_time: isoTime(row.update_time),
  };
}

export function registerUserRoutes(app: FastifyInstance, services: DoubleServices): void {
  app.post('/api/v2.0/users', async (request, reply) => {
    await requireSystemAccess(services, request.security, 'user', 'create');
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (!validPassword(body['password'])) {
      throw badRequest(
        'the password or secret must be longer than 8 chars with at least 1 uppercase letter, 1 lowercase letter and 1 number',
      );
    }
    const username = typeof body['username'] === 'string' ? body['username'] : '';
    if (username === '' || /[,"~#$%]/.test(username) || username.length > 255) throw badRequest('username is invalid');
    const existing = await services.db.query('SELECT 1 FROM harbor_user WHERE username = $1', [username]);
    if ((existing.rowCount ?? 0) > 0) throw conflict(`username ${username} is already used`);
    const id = await createUser(services.db, {
      username,
      password: body['password'],
      ...(typeof body['email'] === 'string' ? { email: body['email'] } : {}),
      ...(typeof body['realname'] === 'string' ? { realname: body['realname'] } : {}),
      ...(typeof body['comment'] === 'string' ? { comment: body['comment'] } : {}),
    });
    reply.status(201).header('Location', `/api/v2.0/users/${id}`).send();
  });

  app.get('/api/v2.0/users', async (request, reply) => {
    await requireSystemAccess(services, request.security, 'user', 'list');
    const page = paging(request.query as Record<string, unknown>);
    const total = Number(
      (await services.db.query<{ n: string }>('SELECT count(*) AS n FROM harbor_user')).rows[0]?.n ?? 0,
    );
    const rows = await services.db.query<UserRow>('SELECT * FROM harbor_user ORDER BY user_id LIMIT $1 OFFSET $2', [
      page.pageSize,
      (page.page - 1) * page.pageSize,
    ]);
    setListHeaders(request, reply, total, page);
    return rows.rows.map(userModel);
  });

  app.get('/api/v2.0/users/:id', async (request) => {
    await requireSystemAccess(services, request.security, 'user', 'read');
    const user = await getUser(services.db, Number((request.params as { id: string }).id));
    if (!user) throw notFound('user not found');
    return userModel(user);
  });

  app.delete('/api/v2.0/users/:id', async (request, reply) => {
    await requireSystemAccess(services, request.security, 'user', 'delete');
    const id = Number((request.params as { id: string }).id);
    if (id === 1) throw badRequest('can not delete the admin user');
    const user = await getUser(services.db, id);
    if (!user) throw notFound(`user ${id} not found`);
    await services.db.query('DELETE FROM harbor_user WHERE user_id = $1', [id]);
    reply.status(200).send();
  });

  app.get('/api/v2.0/users/current/permissions', async (request) => {
    const ctx = request.security;
    if (!isAuthenticated(ctx)) throw unauthorized();
    const query = request.query as Record<string, string | undefined>;
    const scope = query['scope'] ?? '';
    const relative = query['relative'] === 'true';
    const permissions: Array<{ resource: string; action: string }> = [];
    const projectMatch = /^\/project\/(\d+)$/.exec(scope);
    if (projectMatch) {
      const row = await findProject(services.db, Number(projectMatch[1]));
      for (const policy of projectNamespacePolicies) {
        const [resource, action] = policy.split(':') as [string, string];
        // Without the project, only a sysadmin's evaluator answers (admin.go); the others have none.
        const can = row
          ? await allowed(services, ctx, { type: 'project', project: projectFacts(row) }, resource, action)
          : ctx.kind === 'local' && ctx.user.sysadmin;
        if (!can) continue;
        // The project itself ("/project/<id>") is not relative to its own scope: Harbor leaves it out.
        if (relative && resource === 'project') continue;
        permissions.push({
          resource: relative ? resource : resource === 'project' ? scope : `${scope}/${resource}`,
          action,
        });
      }
    } else if (scope === '/system') {
      for (const policy of systemNamespacePolicies) {
        const [resource, action] = policy.split(':') as [string, string];
        if (await allowed(services, ctx, { type: 'system' }, resource, action))
          permissions.push({ resource: relative ? resource : `/system/${resource}`, action });
      }
    }
    return permissions;
  });
}
