// The registry endpoint behind a proxy-cache project (project.registry_id), through the registry endpoint
// service: the proxy contacts the upstream only while the endpoint's stored status is `healthy` (goharbor/harbor
// src/server/middleware/repoproxy/proxy.go canProxy, src/controller/proxy/remote.go init@v2.15.2).
import type { DoubleServices } from '../double-services.ts';
import { findEndpoint, HEALTHY, type RegistryEndpoint } from '../replication/registry-endpoints.ts';

export async function proxyEndpointOf(
  services: DoubleServices,
  registryId: number,
): Promise<RegistryEndpoint | undefined> {
  if (registryId < 1) return undefined;
  const endpoint = await findEndpoint(services, registryId);
  return endpoint?.status === HEALTHY ? endpoint : undefined;
}
