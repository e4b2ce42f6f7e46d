// No push into a proxy-cache project: manifest PUT and blob-upload POST are refused for every session but the
// proxy cache's own with 403 DENIED "can not push artifact to a proxy project: <project>" (goharbor/harbor
// src/server/middleware/repoproxy/proxy.go DisableBlobAndManifestUploadMiddleware@v2.15.2; 403 rather than
// the earlier 415 so docker does not retry, goharbor/harbor#12731, #12792). The double's cache fill writes
// to the registry itself, never through /v2, so no session is exempt here.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DoubleServices } from '../double-services.ts';
import { errorResponse, HarborError } from '../harbor-error.ts';
import type { ProjectRow } from '../store/projects.ts';

/** Answers the refusal and returns true when the project is a proxy-cache project. */
export async function refusePushIntoProxyProject(
  services: DoubleServices,
  request: FastifyRequest,
  reply: FastifyReply,
  project: ProjectRow,
  what: 'manifest' | 'blob',
): Promise<boolean> {
  if (project.registry_id < 1) return false;
  // proxy-project-push-accepted: blobs are stored, the manifest is refused with 415 (Harbor before #12792)
  if (services.faults.has('proxy-project-push-accepted')) {
    if (what === 'blob') return false;
    request.raw.resume();
    reply.status(415).send({
      errors: [{ code: 'UNSUPPORTED', message: `can not push artifact to a proxy project: ${project.name}` }],
    });
    return true;
  }
  request.raw.resume(); // the body is never read: drain it so the connection stays usable
  const { status, body } = errorResponse(
    new HarborError('DENIED', `denied: can not push artifact to a proxy project: ${project.name}`),
  );
  reply.status(status).send(body);
  return true;
}
