// The registry endpoint service: what replication, proxy cache and the /registries API ask about endpoints
// (goharbor/harbor src/controller/registry/controller.go and src/pkg/reg/manager.go@v2.15.2):
// - `findEndpoint` / `requireEndpoint`: an endpoint by id with its decrypted credential; id 0 is the built-in
//   Local registry (type harbor, CORE_URL, credential type secret with the jobservice secret);
// - `clientFor`: Harbor's remote registry client for it;
// - `checkHealth`: the adapter's health check (native: GET /v2/, 401/403 healthy without credentials; harbor:
//   GET /api/version first, whose transport error is a plain error, then the same ping);
// - `validateEndpoint`: name and URL rules and the live health check that create and update run.
import type { DoubleServices } from '../double-services.ts';
import { badRequest, HarborError, notFound } from '../harbor-error.ts';
import { findRegistryRow, type RegistryFields, type RegistryRow } from '../store/registries.ts';
import { isModelledAdapter } from './adapter-info.ts';
import { harborApiCall } from './harbor-api-client.ts';
import { decryptSecret, encryptSecret, secretKey } from './registry-secret.ts';
import { type RemoteCredential, RemoteRegistryClient, RemoteRegistryError } from './remote-registry-client.ts';

export const HEALTHY = 'healthy';
export const UNHEALTHY = 'unhealthy';

export interface RegistryEndpoint {
  id: number;
  name: string;
  description: string;
  type: string;
  url: string;
  insecure: boolean;
  caCertificate: string;
  status: string;
  /** Decrypted; absent when the endpoint has no access key (Harbor's fromDaoModel). */
  credential: RemoteCredential | undefined;
  creationTime: Date;
  updateTime: Date;
}

const keyFor = (services: DoubleServices) => secretKey(services.config.coreSecret);

export function localRegistry(services: DoubleServices): RegistryEndpoint {
  const epoch = new Date(0);
  return {
    id: 0,
    name: 'Local',
    description: '',
    type: 'harbor',
    url: services.config.coreUrl.replace(/\/+$/, ''),
    insecure: true,
    caCertificate: '',
    status: HEALTHY,
    credential: { type: 'secret', accessKey: '', accessSecret: services.config.jobserviceSecret },
    creationTime: epoch,
    updateTime: epoch,
  };
}

export function endpointFromRow(services: DoubleServices, row: RegistryRow): RegistryEndpoint {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    type: row.type,
    url: row.url,
    insecure: row.insecure,
    caCertificate: row.ca_certificate ?? '',
    status: row.status,
    credential:
      row.access_key !== ''
        ? {
            type: row.credential_type || 'basic',
            accessKey: row.access_key,
            accessSecret: decryptSecret(row.access_secret, keyFor(services)),
          }
        : undefined,
    creationTime: row.creation_time,
    updateTime: row.update_time,
  };
}

/** Harbor's toDaoModel: the credential is kept only with an access key; an empty type becomes basic. */
export function endpointToFields(services: DoubleServices, endpoint: RegistryEndpoint): RegistryFields {
  const c = endpoint.credential;
  const keep = c !== undefined && c.accessKey !== '';
  return {
    name: endpoint.name,
    url: endpoint.url,
    credential_type: keep ? c.type || 'basic' : '',
    access_key: keep ? c.accessKey : '',
    access_secret: keep ? encryptSecret(c.accessSecret, keyFor(services)) : '',
    type: endpoint.type,
    insecure: endpoint.insecure,
    ca_certificate: endpoint.caCertificate,
    description: endpoint.description,
    status: endpoint.status,
  };
}

export async function findEndpoint(services: DoubleServices, id: number): Promise<RegistryEndpoint | undefined> {
  if (id === 0) return localRegistry(services);
  const row = await findRegistryRow(services.db, id);
  return row ? endpointFromRow(services, row) : undefined;
}

export async function requireEndpoint(services: DoubleServices, id: number): Promise<RegistryEndpoint> {
  const endpoint = await findEndpoint(services, id);
  if (!endpoint) throw notFound(`registry ${id} not found`);
  return endpoint;
}

export function clientFor(
  endpoint: Pick<RegistryEndpoint, 'url' | 'insecure' | 'caCertificate' | 'credential'>,
  options: { connectTimeoutMs?: number; headersTimeoutMs?: number } = {},
): RemoteRegistryClient {
  return new RemoteRegistryClient(
    {
      url: endpoint.url,
      insecure: endpoint.insecure,
      ...(endpoint.caCertificate ? { caCertificate: endpoint.caCertificate } : {}),
      ...(endpoint.credential ? { credential: endpoint.credential } : {}),
    },
    options,
  );
}

/** lib.ValidateHTTPURL (goharbor/harbor src/lib/endpoint.go@v2.15.2): scheme://host/path, query and fragment dropped. */
export function validateHttpUrl(raw: string): string {
  let s = raw.trim().replace(/\/+$/, '');
  if (s === '') throw badRequest('empty string');
  if (!s.includes('://')) s = `http://${s}`;
  let url: URL;
  try {
    url = new URL(s);
  } catch (error) {
    throw badRequest(`invalid URL: ${(error as Error).message}`);
  }
  const scheme = url.protocol.replace(/:$/, '');
  if (scheme !== 'http' && scheme !== 'https') throw badRequest(`invalid HTTP scheme: ${scheme}`);
  const path = url.pathname === '/' ? '' : url.pathname;
  return `${scheme}://${url.host}${path}`;
}

/** How the health check went: `healthy`, or `unhealthy` with Harbor's logged reason. */
export interface HealthResult {
  status: typeof HEALTHY | typeof UNHEALTHY;
  reason?: string;
}

/**
 * The adapter's HealthCheck. Throws (a masked 500 in the API) where Harbor's adapter creation fails: an unknown
 * type, or a harbor endpoint whose /api/version cannot be reached.
 */
export async function checkHealth(
  endpoint: Pick<RegistryEndpoint, 'type' | 'url' | 'insecure' | 'caCertificate' | 'credential'>,
): Promise<HealthResult> {
  if (!isModelledAdapter(endpoint.type)) throw new Error(`adapter factory for ${endpoint.type} not found`);
  const client = clientFor(endpoint, { connectTimeoutMs: 10_000, headersTimeoutMs: 30_000 });
  try {
    if (endpoint.type === 'harbor') {
      // base.NewClient → GetAPIVersion: a transport error or a non-404 error fails the adapter creation.
      const version = await harborApiCall(endpoint, 'GET', '/api/version');
      if (version.statusCode >= 300 && version.statusCode !== 404)
        throw new Error(`http status code: ${version.statusCode}, body: ${version.text}`);
    }
    const withCredential =
      endpoint.credential !== undefined &&
      (endpoint.credential.accessKey !== '' || endpoint.credential.accessSecret !== '');
    try {
      await client.ping();
    } catch (error) {
      const status = (error as RemoteRegistryError).statusCode;
      // PingSimple: without credentials only connectivity (and TLS) counts.
      if (!withCredential && (status === 401 || status === 403)) return { status: HEALTHY };
      return { status: UNHEALTHY, reason: (error as Error).message };
    }
    return { status: HEALTHY };
  } catch (error) {
    if (error instanceof HarborError) throw error;
    if (error instanceof RemoteRegistryError && endpoint.type !== 'harbor')
      return { status: UNHEALTHY, reason: error.message };
    throw new Error(`failed to create the adapter: ${(error as Error).message}`);
  } finally {
    await client.close();
  }
}

/** controller.validate: name rules, URL normalised, live health check; the endpoint comes back `healthy`. */
export async function validateEndpoint(
  services: DoubleServices,
  endpoint: RegistryEndpoint,
): Promise<RegistryEndpoint> {
  if (endpoint.name.length === 0) throw badRequest('name cannot be empty');
  if (endpoint.name.length > 64) throw badRequest('the max length of name is 64');
  const url = validateHttpUrl(endpoint.url);
  const checked = { ...endpoint, url };
  const health = await checkHealth(checked);
  if (health.status !== HEALTHY) throw badRequest('the registry is unhealthy');
  return { ...checked, status: HEALTHY };
}
