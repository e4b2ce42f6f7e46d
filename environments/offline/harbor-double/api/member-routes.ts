// /api/v2.0/projects/{p}/members (goharbor/harbor src/server/v2.0/handler/member.go and
// src/controller/member/controller.go@v2.15.2): every call checks project member:<action> first; users only
// (no groups in the double). Create: 201 + Location; an unknown user id → 400 "User <id> not found".
import type { FastifyInstance } from 'fastify';
import type { DoubleServices } from '../double-services.ts';
import { badRequest, conflict, notFound } from '../harbor-error.ts';
import { getUser } from '../store/users.ts';
import { isoTime, paging, projectForAccess, setListHeaders } from './api-support.ts';

interface MemberRow {
  id: number;
  project_id: number;
  user_id: number;
  role: number;
  username: string;
  creation_time: Date;
  update_time: Date;
}

const roleNames: Record<number, string> = {
  1: 'projectAdmin',
  2: 'developer',
  3: 'guest',
  4: 'maintainer',
  5: 'limitedGuest',
};

const memberModel = (row: MemberRow) => ({
  id: row.id,
  project_id: row.project_id,
  entity_name: row.username,
  role_name: roleNames[row.role] ?? '',
  role_id: row.role,
  entity_id: row.user_id,
  entity_type: 'u',
  creation_time: isoTime(row.creation_time),
  update_time: isoTime(row.update_time),
});

const SELECT =
  'SELECT m.id, m.project_id, m.user_id, m.role, u.username, m.creation_time, m.update_time FROM project_member m JOIN harbor_user u ON u.user_id = m.user_id';

function validRole(role: unknown): number {
  if (typeof role !== 'number' || !roleNames[role]) throw badRequest(`invalid role id: ${String(role)}`);
  return role;
}

export function registerMemberRoutes(app: FastifyInstance, services: DoubleServices): void {
  const base = '/api/v2.0/projects/:project/members';
  const projectFor = (
    request: { params: unknown; security: import('../security/security-context.ts').SecurityContext },
    action: string,
  ) => projectForAccess(services, request.security, (request.params as { project: string }).project, 'member', action);

  app.get(base, async (request, reply) => {
    const project = await projectFor(request, 'list');
    const page = paging(request.query as Record<string, unknown>);
    const entity = (request.query as Record<string, string | undefined>)['entityname'];
    const rows = (
      await services.db.query<MemberRow>(`${SELECT} WHERE m.project_id = $1 ORDER BY m.id`, [project.project_id])
    ).rows.filter((row) => !entity || row.username.includes(entity));
    setListHeaders(request, reply, rows.length, page);
    return rows.slice((page.page - 1) * page.pageSize, page.page * page.pageSize).map(memberModel);
  });

  app.get(`${base}/:mid`, async (request) => {
    const project = await projectFor(request, 'read');
    const mid = Number((request.params as { mid: string }).mid);
    if (!mid) throw badRequest('the member id can not be empty!');
    const row = (
      await services.db.query<MemberRow>(`${SELECT} WHERE m.project_id = $1 AND m.id = $2`, [project.project_id, mid])
    ).rows[0];
    if (!row) throw notFound(`the project member of project ${project.project_id} and member id ${mid} is not found`);
    return memberModel(row);
  });

  app.post(base, async (request, reply) => {
    const project = await projectFor(request, 'create');
    const body = (request.body ?? {}) as { role_id?: unknown; member_user?: { user_id?: number; username?: string } };
    const role = validRole(body.role_id);
    let userId = body.member_user?.user_id ?? 0;
    if (userId > 0) {
      if (!(await getUser(services.db, userId))) throw badRequest(`User ${userId} not found`);
    } else if (body.member_user?.username) {
      const found = await services.db.query<{ user_id: number }>(
        'SELECT user_id FROM harbor_user WHERE username = $1',
        [body.member_user.username],
      );
      // db_auth onboarding of an unknown name fails with "user not found" (auth.SearchAndOnBoardUser)
      if (!found.rows[0]) throw notFound(`user ${body.member_user.username} not found`);
      userId = found.rows[0].user_id;
    } else {
      throw badRequest('Can not get user from member_user and member_group');
    }
    const existing = await services.db.query('SELECT 1 FROM project_member WHERE project_id = $1 AND user_id = $2', [
      project.project_id,
      userId,
    ]);
    if ((existing.rowCount ?? 0) > 0) throw conflict(`the user with id ${userId} is already a member of the project`);
    const inserted = await services.db.query<{ id: number }>(
      'INSERT INTO project_member (project_id, user_id, role) VALUES ($1, $2, $3) RETURNING id',
      [project.project_id, userId, role],
    );
    reply
      .status(201)
      .header(
        'Location',
        `/api/v2.0/projects/${(request.params as { project: string }).project}/members/${inserted.rows[0]!.id}`,
      )
      .send();
  });

  app.put(`${base}/:mid`, async (request, reply) => {
    const project = await projectFor(request, 'update');
    const role = validRole(((request.body ?? {}) as { role_id?: unknown }).role_id);
    await services.db.query(
      'UPDATE project_member SET role = $1, update_time = now() WHERE project_id = $2 AND id = $3',
      [role, project.project_id, Number((request.params as { mid: string }).mid)],
    );
    reply.status(200).send();
  });

  app.delete(`${base}/:mid`, async (request, reply) => {
    const project = await projectFor(request, 'delete');
    const mid = Number((request.params as { mid: string }).mid);
    if (!mid) throw badRequest('the project member id is required.');
    // Harbor deletes by (project, id) and does not mind when nothing matched.
    await services.db.query('DELETE FROM project_member WHERE project_id = $1 AND id = $2', [project.project_id, mid]);
    reply.status(200).send();
  });
}
