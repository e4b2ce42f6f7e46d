// Creating a proxy-cache project (POST /projects with registry_id; goharbor/harbor
// src/server/v2.0/handler/project.go CreateProject, validateProjectReq@v2.15.2): system admins only, a
// registry endpoint of a type PERMITTED_REGISTRY_TYPES_FOR_PROXY_CACHE allows, proxy_speed_kb and
// max_upstream_conn as int32 strings; enable_content_trust is dropped for proxy projects (goharbor/harbor#12940),
// proxy_speed_kb/max_upstream_conn for the others.
import type { DoubleServices } from '../double-services.ts';
import { badRequest, forbidden, HarborError } from '../harbor-error.ts';
import { isSysAdmin, type SecurityContext } from '../security/security-context.ts';
import { findEndpoint } from '../replication/registry-endpoints.ts';

/** make/photon/prepare/templates/core/env.jinja@v2.15.x */
const DEFAULT_PERMITTED_TYPES =
  'docker-hub,harbor,azure-acr,ali-acr,aws-ecr,google-gcr,docker-registry,github-ghcr,jfrog-artifactory';

const INT32 = /^[+-]?\d+$/;
const isInt32 = (value: string) => INT32.test(value) && Math.abs(Number(value)) <= 2 ** 31;

/** Validates the request's registry_id and adjusts `metadata` in place; returns the id to store (0: none). */
export async function proxyCacheRegistryId(
  services: DoubleServices,
  ctx: SecurityContext,
  registryId: unknown,
  metadata: Record<string, string>,
): Promise<number> {
  if (registryId === undefined || registryId === null) {
    delete metadata['proxy_speed_kb'];
    delete metadata['max_upstream_conn'];
    return 0;
  }
  if (!isSysAdmin(ctx)) throw forbidden('Only system admin can create proxy cache project');
  delete metadata['enable_content_trust'];
  if (typeof registryId !== 'number' || !Number.isInteger(registryId) || registryId <= 0)
    throw badRequest(`${String(registryId)} is invalid value of registry_id, it should be geater than 0`);
  const registry = await findEndpoint(services, registryId).catch(() => undefined);
  if (!registry)
    throw new HarborError('UNKNOWN', `failed to get the registry ${registryId}: registry ${registryId} not found`);
  const permitted = (process.env['PERMITTED_REGISTRY_TYPES_FOR_PROXY_CACHE'] ?? DEFAULT_PERMITTED_TYPES).split(',');
  if (!permitted.includes(registry.type)) throw badRequest(`bad request: unsupported registry type ${registry.type}`);
  const speed = metadata['proxy_speed_kb'];
  if (speed !== undefined && !isInt32(speed))
    throw badRequest(`metadata.proxy_speed_kb should by an int32, but got: '${speed}'`);
  const connections = metadata['max_upstream_conn'];
  if (connections !== undefined && !isInt32(connections))
    throw badRequest(`metadata.max_upstream_conn should be an int, but got '${connections}'`);
  return registryId;
}
