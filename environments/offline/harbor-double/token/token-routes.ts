// GET /service/token (goharbor/harbor src/core/service/token/token.go@v2.15.x).
import type { FastifyInstance } from 'fastify';
import type { DoubleServices } from '../double-services.ts';
import { allowed } from '../api/api-support.ts';
import { errorResponse, badRequest } from '../harbor-error.ts';
import { isAuthenticated, usernameOf } from '../security/security-context.ts';
import { findProject, projectFacts } from '../store/projects.ts';
import { grantedAccess } from './granted-access.ts';
import { issueRegistryToken, REGISTRY_SERVICE } from './registry-token.ts';
import { parseScopes } from './token-scope.ts';

export function registerTokenRoutes(app: FastifyInstance, services: DoubleServices): void {
  app.get('/service/token', async (request, reply) => {
    const url = new URL(request.url, 'http://placeholder');
    const service = url.searchParams.get('service') ?? '';
    if (service !== REGISTRY_SERVICE) {
      const { body } = errorResponse(badRequest(`Unable to handle service: ${service}`));
      return reply.status(400).send(body);
    }
    const ctx = request.security;
    const scopes = parseScopes(url.searchParams.getAll('scope'));
    // docker login probes without a scope: anonymous gets 401 with an empty body.
    if (!isAuthenticated(ctx) && scopes.length === 0) return reply.status(401).send();
    const access = await grantedAccess(ctx, scopes, {
      project: async (name) => {
        if (name === '') return undefined;
        const row = await findProject(services.db, name, true);
        return row ? projectFacts(row) : undefined;
      },
      can: async (c, project, action) => {
        if (await allowed(services, c, { type: 'project', project }, 'repository', action)) return true;
        // token-grants-delete-with-push: the filter treats delete as part of push (one grant flipped).
        return (
          action === 'delete' &&
          services.faults.has('token-grants-delete-with-push') &&
          (await allowed(services, c, { type: 'project', project }, 'repository', 'push'))
        );
      },
    });
    const minutes = await services.systemConfig.get<number>('token_expiration');
    const subject = isAuthenticated(ctx) ? usernameOf(ctx) : '';
    const issued = await issueRegistryToken(services.tokenKeys, subject, access, minutes);
    return {
      token: issued.token,
      access_token: '',
      expires_in: issued.expiresIn,
      issued_at: issued.issuedAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    };
  });
}
