// Helpers shared by the /api/v2.0 handlers: authorization the way Harbor's BaseAPI answers (401 for
// anonymous, 403 otherwise), pagination with X-Total-Count and Link, and project lookup.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DoubleServices } from '../double-services.ts';
import { badRequest, forbidden, type HarborError, notFound, unauthorized } from '../harbor-error.ts';
import { can, type Scope } from '../rbac/evaluator.ts';
import { isAuthenticated, isSysAdmin, usernameOf, type SecurityContext } from '../security/security-context.ts';
import { findProject, projectFacts, type ProjectRow } from '../store/projects.ts';
import { memberRole } from '../store/users.ts';

declare module 'fastify' {
  interface FastifyRequest {
    security: SecurityContext;
  }
}

export function allowed(
  services: DoubleServices,
  ctx: SecurityContext,
  scope: Scope,
  resource: string,
  action: string,
): Promise<boolean> {
  return can(
    ctx,
    scope,
    resource,
    action,
    (userId, projectId) => memberRole(services.db, userId, projectId),
    services.faults,
  );
}

export function denial(ctx: SecurityContext): HarborError {
  return isAuthenticated(ctx) ? forbidden() : unauthorized();
}

export async function requireProjectAccess(
  services: DoubleServices,
  ctx: SecurityContext,
  project: ProjectRow | undefined,
  resource: string,
  action: string,
): Promise<void> {
  // A missing project is evaluated like project 0: only a sysadmin learns that it does not exist.
  if (project && (await allowed(services, ctx, { type: 'project', project: projectFacts(project) }, resource, action)))
    return;
  if (!project && isSysAdmin(ctx)) return;
  // missing-project-404-to-everyone: the lookup answers before the permission check, so anyone learns what exists.
  if (!project && services.faults.has('missing-project-404-to-everyone')) throw notFound('project not found');
  throw denial(ctx);
}

export async function requireSystemAccess(
  services: DoubleServices,
  ctx: SecurityContext,
  resource: string,
  action: string,
): Promise<void> {
  if (await allowed(services, ctx, { type: 'system' }, resource, action)) return;
  if (!isAuthenticated(ctx)) throw unauthorized();
  throw forbidden(usernameOf(ctx));
}

export function requireSysAdmin(ctx: SecurityContext): void {
  if (!isAuthenticated(ctx)) throw unauthorized();
  if (!isSysAdmin(ctx)) throw forbidden(usernameOf(ctx));
}

/** Project by name or id; a sysadmin gets 404 for a missing one, everybody else 401/403 first. */
export async function projectForAccess(
  services: DoubleServices,
  ctx: SecurityContext,
  nameOrId: string,
  resource: string,
  action: string,
  forceName = false,
): Promise<ProjectRow> {
  const project = await findProject(services.db, nameOrId, forceName);
  await requireProjectAccess(services, ctx, project, resource, action);
  if (!project) throw notFound(`project ${nameOrId} not found`);
  return project;
}

export interface Paging {
  page: number;
  pageSize: number;
}

export function paging(query: Record<string, unknown>): Paging {
  const page = query['page'] === undefined ? 1 : Number(query['page']);
  const pageSize = query['page_size'] === undefined ? 10 : Number(query['page_size']);
  if (!Number.isInteger(page) || page < 1) throw badRequest('page must be a positive integer');
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100)
    throw badRequest('page_size must be between 1 and 100');
  return { page, pageSize };
}

/** Sets X-Total-Count and Harbor's Link header (prev/next). */
export function setListHeaders(
  request: FastifyRequest,
  reply: FastifyReply,
  total: number,
  { page, pageSize }: Paging,
): void {
  reply.header('X-Total-Count', String(total));
  const url = new URL(request.url, 'http://placeholder');
  const links: string[] = [];
  const linkTo = (target: number, rel: string) => {
    url.searchParams.set('page', String(target));
    url.searchParams.set('page_size', String(pageSize));
    links.push(`<${url.pathname}?${decodeURIComponent(url.searchParams.toString())}>; rel="${rel}"`);
  };
  if (page > 1 && (page - 1) * pageSize < total) linkTo(page - 1, 'prev');
  if (page * pageSize < total) linkTo(page + 1, 'next');
  if (links.length > 0) reply.header('Link', links.join(' , '));
}

/** Harbor's q syntax, reduced to what the double needs: k=v and k=~v, comma-separated. */
export function parseQ(q: unknown): Map<string, { value: string; fuzzy: boolean }> {
  const result = new Map<string, { value: string; fuzzy: boolean }>();
  if (typeof q !== 'string' || q === '') return result;
  for (const part of q.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw badRequest(`invalid query: ${q}`);
    const key = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    const fuzzy = value.startsWith('~');
    if (fuzzy) value = value.slice(1);
    result.set(key, { value, fuzzy });
  }
  return result;
}

export function isoTime(date: Date | null | undefined): string | undefined {
  return date ? date.toISOString() : undefined;
}
