// /api/v2.0/ping, /health, /systeminfo, /configurations and /users/current.
import { reportedVersion } from '../faults/reported-release.ts';
import type { FastifyInstance } from 'fastify';
import type { DoubleServices } from '../double-services.ts';
import { HarborError, unauthorized } from '../harbor-error.ts';
import { isAuthenticated } from '../security/security-context.ts';
import { configItems } from '../store/system-config.ts';
import { getUser, hasUsersOtherThanAdmin } from '../store/users.ts';
import { requireSystemAccess } from './api-support.ts';
import { overallHealth } from './health.ts';
import { negotiateContentType, unsupportedMediaTypeMessage } from './content-negotiation.ts';

const PING_OFFERS = ['text/plain', 'application/json'];

export function registerSystemRoutes(app: FastifyInstance, services: DoubleServices): void {
  // produces text/plain in the swagger, but go-openapi also offers the API's application/json: asked for
  // JSON, real Harbor answers the JSON string "Pong"; asked for anything else, 422 (goharbor/harbor
  // src/server/v2.0/handler/ping.go, api/v2.0/swagger.yaml /ping @v2.15.2; seen on the real binary)
  app.get('/api/v2.0/ping', async (request, reply) => {
    const chosen = negotiateContentType(request.headers.accept, PING_OFFERS);
    if (chosen === 'application/json') return reply.type('application/json').send('"Pong"\n');
    if (chosen === 'text/plain') return reply.type('text/plain').send('Pong');
    return reply
      .code(422)
      .type('application/json; charset=utf-8')
      .send({ errors: [{ code: 'UNPROCESSABLE_ENTITY', message: unsupportedMediaTypeMessage(PING_OFFERS) }] });
  });

  app.get('/api/v2.0/health', async () => overallHealth(services));

  app.get('/api/v2.0/systeminfo', async (request) => {
    const cfg = await services.systemConfig.all();
    const authMode = cfg['auth_mode'] as string;
    const info: Record<string, unknown> = {
      auth_mode: authMode,
      primary_auth_mode: cfg['primary_auth_mode'],
      self_registration: cfg['self_registration'] === true || services.faults.has('self-registration-open'),
      banner_message: cfg['banner_message'],
      oidc_provider_name: authMode === 'oidc_auth' ? cfg['oidc_name'] : '',
    };
    if (authMode === 'http_auth') {
      info['authproxy_settings'] = {
        endpoint: cfg['http_authproxy_endpoint'],
        tokenreivew_endpoint: cfg['http_authproxy_tokenreview_endpoint'],
        skip_search: cfg['http_authproxy_skip_search'],
        verify_cert: cfg['http_authproxy_verify_cert'],
        server_certificate: cfg['http_authproxy_server_certificate'],
      };
    }
    if (isAuthenticated(request.security)) {
      const external = services.config.extEndpoint;
      Object.assign(info, {
        // No CA is mounted into the double, so there is never a CA root to download.
        has_ca_root: false,
        project_creation_restriction: services.faults.has('project-creation-open')
          ? 'everyone'
          : cfg['project_creation_restriction'],
        harbor_version: reportedVersion(services.config.versionLabel, services.faults),
        external_url: external,
        registry_url: external.replace(/^https?:\/\//, ''),
        read_only: cfg['read_only'],
        registry_storage_provider_name: services.config.storageProviderName,
        notification_enable: cfg['notification_enable'],
        current_time: new Date().toISOString(),
      });
    }
    return info;
  });

  app.get('/api/v2.0/configurations', async (request) => {
    await requireSystemAccess(services, request.security, 'configuration', 'read');
    const cfg = await services.systemConfig.all();
    const othersExist = await hasUsersOtherThanAdmin(services.db);
    const result: Record<string, { value: unknown; editable: boolean }> = {};
    for (const [key, item] of Object.entries(configItems)) {
      if (item.password || key === 'pull_audit_log_disable') continue;
      result[key] = { value: cfg[key], editable: key === 'auth_mode' ? !othersExist : true };
      if (key === 'self_registration' && services.faults.has('self-registration-open'))
        result[key] = { value: true, editable: true };
      if (key === 'project_creation_restriction' && services.faults.has('project-creation-open'))
        result[key] = { value: 'everyone', editable: true };
    }
    return result;
  });

  app.put('/api/v2.0/configurations', async (request, reply) => {
    await requireSystemAccess(services, request.security, 'configuration', 'update');
    const body = (request.body ?? {}) as Record<string, unknown>;
    await services.systemConfig.update(body, () => hasUsersOtherThanAdmin(services.db));
    // the audit entry is written for every answer, denied ones too (api/common-event-audit.ts)
    reply.status(200).send();
  });

  app.get('/api/v2.0/users/current', async (request) => {
    const ctx = request.security;
    if (!isAuthenticated(ctx)) throw unauthorized();
    // Only a local user has a "current user" (handler/user.go GetCurrentUserInfo): robots and the rest get 412.
    if (ctx.kind !== 'local')
      throw new HarborError(
        'PRECONDITION',
        `get current user not available for security context: ${ctx.kind === 'robot' ? 'robot' : ctx.kind}`,
      );
    const user = await getUser(services.db, ctx.user.userId);
    if (!user) throw unauthorized();
    return {
      user_id: user.user_id,
      username: user.username,
      email: user.email ?? '',
      realname: user.realname,
      comment: user.comment,
      sysadmin_flag: user.sysadmin_flag,
      admin_role_in_auth: false,
      creation_time: user.creation_time.toISOString(),
      update_time: user.update_time.toISOString(),
    };
  });
}
