// /api/v2.0/robots: robot accounts v2 (goharbor/harbor src/server/v2.0/handler/robot.go@v2.15.x).
import type { FastifyInstance } from 'fastify';
import type { DoubleServices } from '../double-services.ts';
import { badRequest, conflict, HarborError, notFound, unauthorized } from '../harbor-error.ts';
import { generateRobotSecret, hashSecret, isValidRobotSecret, newSalt } from '../passwords.ts';
import { isAuthenticated, usernameOf, type SecurityContext } from '../security/security-context.ts';
import { findProject, type ProjectRow } from '../store/projects.ts';
import {
  deleteRobot,
  findRobotById,
  insertRobot,
  listRobots,
  updateRobot,
  updateRobotSecret,
  type RobotRow,
} from '../store/robots.ts';
import { isoTime, paging, parseQ, requireProjectAccess, requireSystemAccess, setListHeaders } from './api-support.ts';
import { isValidRobotName } from './name-rules.ts';
import {
  expiresAt,
  validateDuration,
  validateLevel,
  validatePermissions,
  withinCreatorScope,
} from './robot-permissions.ts';

async function requireRobotAccess(
  services: DoubleServices,
  ctx: SecurityContext,
  level: 'system' | 'project',
  project: ProjectRow | undefined,
  action: string,
): Promise<void> {
  if (level === 'system') await requireSystemAccess(services, ctx, 'robot', action);
  else await requireProjectAccess(services, ctx, project, 'robot', action);
}

function robotModel(row: RobotRow, prefix: string): Record<string, unknown> {
  return {
    id: row.id,
    name: prefix + row.name,
    description: row.description,
    level: row.level,
    duration: row.duration,
    editable: true,
    disable: row.disabled,
    expires_at: row.expires_at,
    permissions: row.permissions.map((p) => ({
      kind: p.kind,
      namespace: p.namespace,
      access: p.access.map((a) => ({ resource: a.resource, action: a.action, effect: a.effect ?? '' })),
    })),
    creator_type: row.creator_type,
    creator_ref: row.creator_ref,
    creation_time: isoTime(row.creation_time),
    update_time: isoTime(row.update_time),
  };
}

async function robotOr404(services: DoubleServices, rawId: string): Promise<RobotRow> {
  const id = Number(rawId);
  if (!Number.isInteger(id) || id <= 0) throw badRequest(`invalid robot id: ${rawId}`);
  const robot = await findRobotById(services.db, id);
  if (!robot || !robot.visible) throw notFound(`robot ${id} not found`);
  return robot;
}

async function projectOfRobot(services: DoubleServices, robot: RobotRow): Promise<ProjectRow | undefined> {
  return robot.level === 'project' ? findProject(services.db, robot.project_id) : undefined;
}

export function registerRobotRoutes(app: FastifyInstance, services: DoubleServices): void {
  app.post('/api/v2.0/robots', async (request, reply) => {
    const ctx = request.security;
    if (!isAuthenticated(ctx)) throw unauthorized();
    const body = (request.body ?? {}) as Record<string, unknown>;
    const name = typeof body['name'] === 'string' ? body['name'] : '';
    if (!isValidRobotName(name)) throw badRequest('robot name is not in lower case or contains illegal characters');
    const duration = validateDuration(body['duration']);
    const level = validateLevel(body['level']);
    const permissions = validatePermissions(level, body['permissions'], {
      anyAccess: services.faults.has('robot-permission-unvalidated'),
    });
    let project: ProjectRow | undefined;
    if (level === 'project') {
      const namespace = permissions[0]!.namespace;
      project = await findProject(services.db, namespace, true);
      await requireRobotAccess(services, ctx, level, project, 'create');
      if (!project) throw notFound(`project ${namespace} not found`);
    } else {
      await requireRobotAccess(services, ctx, level, undefined, 'create');
      for (const perm of permissions) {
        if (
          perm.kind === 'project' &&
          perm.namespace !== '*' &&
          !(await findProject(services.db, perm.namespace, true))
        ) {
          throw notFound(`project ${perm.namespace} not found`);
        }
      }
    }
    if (ctx.kind === 'robot' && !withinCreatorScope(ctx.robot.permissions, permissions)) {
      throw new HarborError(
        'DENIED',
        `permission scope is invalid. It must be equal to or more restrictive than the creator robot's permissions: ${ctx.robot.name}`,
      );
    }
    const prefix = await services.systemConfig.get<string>('robot_name_prefix');
    const storedName = project ? `${project.name}+${name}` : name;
    const projectId = project?.project_id ?? 0;
    const secret = generateRobotSecret();
    const salt = newSalt();
    const now = new Date();
    let row: RobotRow;
    try {
      row = await insertRobot(services.db, {
        name: storedName,
        description: typeof body['description'] === 'string' ? body['description'] : '',
        project_id: projectId,
        level,
        secret_hash: hashSecret(secret, salt),
        salt,
        duration,
        expires_at: expiresAt(now, duration),
        disabled: false,
        creator_type: ctx.kind === 'robot' ? 'robot' : 'local',
        creator_ref: ctx.kind === 'robot' ? ctx.robot.id : ctx.kind === 'local' ? ctx.user.userId : 0,
        permissions,
      });
    } catch (error) {
      if ((error as { code?: string }).code === '23505')
        throw conflict(`robot account ${projectId}:${storedName} already exists`);
      throw error;
    }
    await services.events.publish({
      type: 'AUDIT',
      entry: {
        projectId,
        username: usernameOf(ctx),
        resource: prefix + storedName,
        resourceType: 'robot',
        operation: 'create',
        operationDescription: `create robot: ${prefix + storedName}`,
      },
    });
    reply.header('Location', `/api/v2.0/robots/${row.id}`).status(201);
    return {
      id: row.id,
      name: prefix + storedName,
      secret,
      creation_time: isoTime(row.creation_time),
      expires_at: row.expires_at,
    };
  });

  app.get('/api/v2.0/robots', async (request, reply) => {
    const ctx = request.security;
    const query = request.query as Record<string, string | undefined>;
    const page = paging(query);
    const q = parseQ(query['q']);
    const level = q.get('Level')?.value ?? 'system';
    const prefix = await services.systemConfig.get<string>('robot_name_prefix');
    let result: Awaited<ReturnType<typeof listRobots>>;
    if (level === 'project') {
      const projectIdRaw = q.get('ProjectID')?.value;
      if (!projectIdRaw) throw badRequest('must with project ID when to query project robots');
      const project = await findProject(services.db, Number(projectIdRaw));
      await requireProjectAccess(services, ctx, project, 'robot', 'list');
      // ListRobot (handler/robot.go@v2.15.2) lists by ProjectID: a sysadmin asking about a missing project gets [] (never 404).
      result = project
        ? await listRobots(services.db, { level: 'project', projectId: project.project_id }, page.page, page.pageSize)
        : { total: 0, rows: [] };
    } else {
      await requireSystemAccess(services, ctx, 'robot', 'list');
      const nameFilter = q.get('name')?.value;
      result = await listRobots(
        services.db,
        nameFilter === undefined ? { level: 'system' } : { level: 'system', name: nameFilter.replace(prefix, '') },
        page.page,
        page.pageSize,
      );
    }
    setListHeaders(request, reply, result.total, page);
    return result.rows.map((row) => robotModel(row, prefix));
  });

  app.get('/api/v2.0/robots/:id', async (request) => {
    const robot = await robotOr404(services, (request.params as { id: string }).id);
    await requireRobotAccess(services, request.security, robot.level, await projectOfRobot(services, robot), 'read');
    return robotModel(robot, await services.systemConfig.get<string>('robot_name_prefix'));
  });

  app.put('/api/v2.0/robots/:id', async (request, reply) => {
    const ctx = request.security;
    const robot = await robotOr404(services, (request.params as { id: string }).id);
    await requireRobotAccess(services, ctx, robot.level, await projectOfRobot(services, robot), 'update');
    const body = (request.body ?? {}) as Record<string, unknown>;
    const prefix = await services.systemConfig.get<string>('robot_name_prefix');
    if (body['name'] !== prefix + robot.name || body['level'] !== robot.level)
      throw badRequest('cannot update the level or name of robot');
    const duration = validateDuration(body['duration']);
    const permissions = validatePermissions(robot.level, body['permissions'], {
      anyAccess: services.faults.has('robot-permission-unvalidated'),
    });
    if (robot.level === 'project') {
      const project = await findProject(services.db, permissions[0]!.namespace, true);
      if (!project || project.project_id !== robot.project_id)
        throw badRequest('cannot update the project id of robot');
    }
    await updateRobot(services.db, robot.id, {
      description: typeof body['description'] === 'string' ? body['description'] : robot.description,
      disabled: typeof body['disable'] === 'boolean' ? body['disable'] : robot.disabled,
      duration,
      // Harbor counts a new duration from the robot's creation, not from now.
      expiresAt: expiresAt(robot.creation_time, duration),
      permissions,
    });
    reply.status(200).send();
  });

  app.patch('/api/v2.0/robots/:id', async (request) => {
    const ctx = request.security;
    const robot = await robotOr404(services, (request.params as { id: string }).id);
    await requireRobotAccess(services, ctx, robot.level, await projectOfRobot(services, robot), 'update');
    const body = (request.body ?? {}) as { secret?: unknown };
    const requested = typeof body.secret === 'string' ? body.secret : '';
    if (requested !== '' && !isValidRobotSecret(requested)) {
      throw badRequest(
        'the secret must be 8-128, inclusively, characters long with at least 1 uppercase letter, 1 lowercase letter and 1 number',
      );
    }
    const secret = requested === '' ? generateRobotSecret() : requested;
    const salt = newSalt();
    await updateRobotSecret(services.db, robot.id, hashSecret(secret, salt), salt);
    return { secret: requested === '' ? secret : '' };
  });

  app.delete('/api/v2.0/robots/:id', async (request, reply) => {
    const ctx = request.security;
    const robot = await robotOr404(services, (request.params as { id: string }).id);
    await requireRobotAccess(services, ctx, robot.level, await projectOfRobot(services, robot), 'delete');
    await deleteRobot(services.db, robot.id);
    const prefix = await services.systemConfig.get<string>('robot_name_prefix');
    await services.events.publish({
      type: 'AUDIT',
      entry: {
        projectId: robot.project_id,
        username: usernameOf(ctx),
        resource: prefix + robot.name,
        resourceType: 'robot',
        operation: 'delete',
        operationDescription: `delete robot: ${prefix + robot.name}`,
      },
    });
    reply.status(200).send();
  });
}
