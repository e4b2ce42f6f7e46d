// The registry endpoint behind a proxy-cache project (project.registry_id), as the proxy controller reads
// it: type, url, credential, insecure and the stored health status (goharbor/harbor
// src/controller/proxy/remote.go init, src/server/middleware/repoproxy/proxy.go canProxy@v2.15.2).
import type { DoubleServices } from '../double-services.ts';
import type { UpstreamEndpoint } from './upstream-registry.ts';

export interface ProxyRegistry extends UpstreamEndpoint {
  id: number;
  name: string;
  type: string;
  /** The stored health status: only `healthy` lets the proxy contact the upstream (canProxy). */
  status: string;
}

interface RegistryRow {
  id: number;
  name: string;
  type: string;
  url: string;
  insecure: boolean;
  credential_type: string | null;
  access_key: string | null;
  access_secret: string | null;
  status: string | null;
}

export async function findProxyRegistry(services: DoubleServices, id: number): Promise<ProxyRegistry | undefined> {
  const result = await services.db.query<RegistryRow>(
    'SELECT id, name, type, url, insecure, credential_type, access_key, access_secret, status FROM registry WHERE id = $1',
    [id],
  );
  const row = result.rows[0];
  if (!row) return undefined;
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    url: row.url,
    insecure: row.insecure,
    status: row.status ?? '',
    ...(row.access_key ? { credential: { accessKey: row.access_key, accessSecret: row.access_secret ?? '' } } : {}),
  };
}
