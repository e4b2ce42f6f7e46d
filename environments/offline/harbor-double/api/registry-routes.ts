// /api/v2.0/registries (CRUD, ping, info), /replication/adapters and /replication/adapterinfos, and /api/version
// (goharbor/harbor src/server/v2.0/handler/registry.go, src/controller/registry/controller.go, src/server/route.go
// @v2.15.2). Every endpoint needs system-level `registry` access (`replication-adapter` for the adapter lists).
// POST takes a nested `credential`; PUT and ping take flat credential_type/access_key/access_secret. Create and
// update run a live health check and store `healthy`; a secret is shown as "*****".
import { X509Certificate } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { DoubleServices } from '../double-services.ts';
import { badRequest, conflict, HarborError, notFound } from '../harbor-error.ts';
import { MODELLED_ADAPTERS, isModelledAdapter, registryInfo } from '../replication/adapter-info.ts';
import {
  checkHealth,
  endpointFromRow,
  endpointToFields,
  HEALTHY,
  requireEndpoint,
  validateEndpoint,
  validateHttpUrl,
  type RegistryEndpoint,
} from '../replication/registry-endpoints.ts';
import { harborApiGet } from '../replication/harbor-api-client.ts';
import {
  countProxyCacheProjects,
  deleteRegistryRow,
  insertRegistryRow,
  listRegistryRows,
  UNIQUE_VIOLATION,
  updateRegistryRow,
} from '../store/registries.ts';
import { hasEndpointCaCertificates } from '../upgrade/emulated-versions.ts';
import { isoTime, paging, parseQ, requireSystemAccess, setListHeaders } from './api-support.ts';

type Body = Record<string, unknown>;

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** commonhttp.ValidateCACertificate: empty is fine, else at least one parsable PEM certificate. */
function validateCaCertificate(pem: string): void {
  const normalised = pem.replace(/\r\n?/g, '\n').trim();
  if (normalised === '') return;
  const blocks = normalised.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw badRequest('invalid CA certificate: no valid certificates found in PEM data');
  for (const block of blocks) {
    try {
      new X509Certificate(block);
    } catch (error) {
      throw badRequest(`invalid CA certificate: ${(error as Error).message}`);
    }
  }
}

const caShown = (services: DoubleServices): boolean => hasEndpointCaCertificates(services.config.harborVersion);

/** The body's ca_certificate; a v2.14 core does not know the field and ignores it (swagger.yaml@v2.14.4). */
function caCertificateOf(services: DoubleServices, body: Body): string | undefined {
  return caShown(services) ? str(body['ca_certificate']) : undefined;
}

function parseId(request: FastifyRequest): number {
  const raw = (request.params as { id: string }).id;
  const id = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(id)) throw badRequest(`invalid registry id: ${raw}`);
  return id;
}

/** convertRegistry (handler/replication.go@v2.15.2). */
/** `withCa` false: the release has no per-endpoint CA (v2.14, upgrade/emulated-versions.ts). */
export function registryModel(endpoint: RegistryEndpoint, withCa = true): Record<string, unknown> {
  const credential: Record<string, string> = {};
  if (endpoint.credential) {
    if (endpoint.credential.type) credential['type'] = endpoint.credential.type;
    if (endpoint.credential.accessKey) credential['access_key'] = endpoint.credential.accessKey;
    if (endpoint.credential.accessSecret) credential['access_secret'] = '*****';
  }
  return {
    id: endpoint.id,
    name: endpoint.name,
    description: endpoint.description,
    type: endpoint.type,
    url: endpoint.url,
    insecure: endpoint.insecure,
    status: endpoint.status,
    credential,
    creation_time: isoTime(endpoint.creationTime),
    update_time: isoTime(endpoint.updateTime),
    ...(endpoint.caCertificate && withCa ? { ca_certificate: endpoint.caCertificate } : {}),
  };
}

async function store(services: DoubleServices, endpoint: RegistryEndpoint, id?: number): Promise<number> {
  try {
    const fields = endpointToFields(services, endpoint);
    if (id === undefined) return await insertRegistryRow(services.db, fields);
    await updateRegistryRow(services.db, id, fields);
    return id;
  } catch (error) {
    if ((error as { code?: string }).code === UNIQUE_VIOLATION)
      throw conflict(`registry ${endpoint.name} already exists`);
    throw error;
  }
}

/** Flat credential fields of PUT and ping override the endpoint's, one by one. */
function applyFlatCredential(endpoint: RegistryEndpoint, body: Body): void {
  const type = str(body['credential_type']);
  const key = str(body['access_key']);
  const secret = str(body['access_secret']);
  if (type === undefined && key === undefined && secret === undefined) return;
  const credential = endpoint.credential ?? { type: '', accessKey: '', accessSecret: '' };
  endpoint.credential = {
    type: type ?? credential.type,
    accessKey: key ?? credential.accessKey,
    accessSecret: secret ?? credential.accessSecret,
  };
}

export function registerRegistryRoutes(app: FastifyInstance, services: DoubleServices): void {
  app.get('/api/version', async () => ({ version: 'v2.0' }));

  app.post('/api/v2.0/registries', async (request, reply) => {
    await requireSystemAccess(services, request.security, 'registry', 'create');
    const body = (request.body ?? {}) as Body;
    const ca = caCertificateOf(services, body);
    if (ca !== undefined) validateCaCertificate(ca);
    const given = (body['credential'] ?? undefined) as Body | undefined;
    const now = new Date();
    const endpoint = await validateEndpoint(services, {
      id: 0,
      name: str(body['name']) ?? '',
      description: str(body['description']) ?? '',
      type: str(body['type']) ?? '',
      url: str(body['url']) ?? '',
      insecure: body['insecure'] === true,
      caCertificate: ca ?? '',
      status: '',
      credential: given
        ? {
            type: str(given['type']) ?? '',
            accessKey: str(given['access_key']) ?? '',
            accessSecret: str(given['access_secret']) ?? '',
          }
        : undefined,
      creationTime: now,
      updateTime: now,
    });
    const id = await store(services, endpoint);
    return reply
      .status(201)
      .header('Location', `${request.url.split('?')[0]!.replace(/\/+$/, '')}/${id}`)
      .send();
  });

  app.get('/api/v2.0/registries', async (request, reply) => {
    await requireSystemAccess(services, request.security, 'registry', 'list');
    const query = request.query as Record<string, unknown>;
    const page = paging(query);
    const q = parseQ(query['q']);
    const legacyName = str(query['name']);
    const name = legacyName !== undefined ? { value: legacyName, fuzzy: true } : q.get('name');
    const type = q.get('type')?.value;
    const { total, rows } = await listRegistryRows(services.db, {
      ...(name ? { name } : {}),
      ...(type ? { type } : {}),
      offset: (page.page - 1) * page.pageSize,
      limit: page.pageSize,
    });
    setListHeaders(request, reply, total, page);
    return rows.map((row) => registryModel(endpointFromRow(services, row), caShown(services)));
  });

  app.get('/api/v2.0/registries/:id', async (request) => {
    await requireSystemAccess(services, request.security, 'registry', 'read');
    return registryModel(await requireEndpoint(services, parseId(request)), caShown(services));
  });

  app.put('/api/v2.0/registries/:id', async (request) => {
    await requireSystemAccess(services, request.security, 'registry', 'update');
    const id = parseId(request);
    const endpoint = await requireEndpoint(services, id);
    if (id === 0) throw notFound('registry 0 not found');
    const body = (request.body ?? {}) as Body;
    if (str(body['name']) !== undefined) endpoint.name = str(body['name'])!;
    if (str(body['description']) !== undefined) endpoint.description = str(body['description'])!;
    if (str(body['url']) !== undefined) endpoint.url = str(body['url'])!;
    if (typeof body['insecure'] === 'boolean') endpoint.insecure = body['insecure'];
    const ca = caCertificateOf(services, body);
    if (ca !== undefined) {
      validateCaCertificate(ca);
      endpoint.caCertificate = ca;
    }
    applyFlatCredential(endpoint, body);
    await store(services, await validateEndpoint(services, endpoint), id);
    return {};
  });

  app.delete('/api/v2.0/registries/:id', async (request) => {
    await requireSystemAccess(services, request.security, 'registry', 'delete');
    const id = parseId(request);
    const referenced = await services.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM replication_policy WHERE src_registry_id = $1 OR dest_registry_id = $1',
      [id],
    );
    if (referenced.rows[0]!.n > 0)
      throw new HarborError(
        'PRECONDITION',
        `the registry ${id} is referenced by replication policies, cannot delete it`,
      );
    if ((await countProxyCacheProjects(services.db, id)) > 0)
      throw new HarborError(
        'PRECONDITION',
        `the registry ${id} is referenced by proxy cache project, cannot delete it`,
      );
    if (!(await deleteRegistryRow(services.db, id))) throw notFound(`registry ${id} not found`);
    return {};
  });

  app.post('/api/v2.0/registries/ping', async (request) => {
    await requireSystemAccess(services, request.security, 'registry', 'read');
    const body = (request.body ?? {}) as Body;
    const now = new Date();
    let endpoint: RegistryEndpoint = {
      id: 0,
      name: '',
      description: '',
      type: '',
      url: '',
      insecure: false,
      caCertificate: '',
      status: '',
      credential: undefined,
      creationTime: now,
      updateTime: now,
    };
    if (typeof body['id'] === 'number') endpoint = await requireEndpoint(services, body['id']);
    if (str(body['type']) !== undefined) endpoint.type = str(body['type'])!;
    if (str(body['url']) !== undefined) endpoint.url = validateHttpUrl(str(body['url'])!);
    if (typeof body['insecure'] === 'boolean') endpoint.insecure = body['insecure'];
    applyFlatCredential(endpoint, body);
    const ca = caCertificateOf(services, body);
    if (ca !== undefined) {
      validateCaCertificate(ca);
      endpoint.caCertificate = ca;
    }
    if (endpoint.type === '' || endpoint.url === '') throw badRequest('type or url cannot be empty');
    const health = await checkHealth(endpoint);
    if (health.status !== HEALTHY) throw badRequest('the registry is unhealthy');
    return {};
  });

  app.get('/api/v2.0/registries/:id/info', async (request) => {
    await requireSystemAccess(services, request.security, 'registry', 'read');
    const id = parseId(request);
    const endpoint = await requireEndpoint(services, id);
    if (!isModelledAdapter(endpoint.type)) throw new Error(`adapter factory for ${endpoint.type} not found`);
    let labels: string[] = [];
    if (endpoint.type === 'harbor') {
      // The harbor adapter lists the target's global labels as the label filter's values (client.go ListLabels).
      const listed = await harborApiGet<Array<{ name: string }>>(endpoint, '/api/v2.0/labels?scope=g');
      labels = (listed ?? []).map((l) => l.name);
    }
    return registryInfo(endpoint.type, id === 0, labels);
  });

  app.get('/api/v2.0/replication/adapters', async (request) => {
    await requireSystemAccess(services, request.security, 'replication-adapter', 'list');
    return [...MODELLED_ADAPTERS];
  });

  // Only adapters with an endpoint/credential pattern appear; docker-registry and harbor have none.
  app.get('/api/v2.0/replication/adapterinfos', async (request) => {
    await requireSystemAccess(services, request.security, 'replication-adapter', 'list');
    return {};
  });
}
