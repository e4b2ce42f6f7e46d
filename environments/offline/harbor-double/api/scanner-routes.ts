// /api/v2.0/scanners and the project's scanner (policy-facts §4.1). The adapter is pinged (metadata)
// before a registration is stored; access_credential is never returned.
import type { FastifyInstance } from 'fastify';
import type { DoubleServices } from '../double-services.ts';
import { badRequest, conflict, forbidden, HarborError, notFound } from '../harbor-error.ts';
import { AdapterClient, type AdapterMetadata } from '../scan/adapter-client.ts';
import { forgetMetadata, registrationMetadata, scannerOfProject, TRIVY_NAME } from '../scan/scanner-registry.ts';
import {
  deleteRegistration,
  findRegistration,
  findRegistrationByName,
  insertRegistration,
  listRegistrations,
  setDefaultRegistration,
  setProjectScanner,
  updateRegistration,
  type RegistrationRow,
} from '../scan/scan-store.ts';
import { isoTime, projectForAccess, requireSystemAccess } from './api-support.ts';

interface RegistrationReq {
  name?: unknown;
  description?: unknown;
  url?: unknown;
  auth?: unknown;
  access_credential?: unknown;
  skip_certVerify?: unknown;
  use_internal_addr?: unknown;
  disabled?: unknown;
}

const AUTH_TYPES = ['', 'Basic', 'Bearer', 'APIKey'];

/**
 * A registration as Harbor v2.15 shows it (seen on the real binaries; goharbor/harbor
 * src/controller/scanner/base_controller.go, src/server/v2.0/handler/scanner.go, project.go@v2.15.x):
 * - `registration` (GET /scanners, /scanners/{uuid}): RetrieveCap pings the adapter and adds only
 *   `capabilities`; no health, adapter, vendor or version. A failed ping leaves them out.
 * - `plain` (DELETE's answer): the stored row only.
 * - `project` (GET /projects/{p}/scanner): GetRegistrationByProject pings by default (Options{Ping: true})
 *   and adds adapter, vendor, version and `health` healthy/unhealthy, then capabilities.
 */
async function registrationModel(
  services: DoubleServices,
  row: RegistrationRow,
  view: 'plain' | 'registration' | 'project',
): Promise<{ model: Record<string, unknown>; reachable: boolean }> {
  const model: Record<string, unknown> = {
    uuid: row.uuid,
    name: row.name,
    description: row.description,
    url: row.url,
    disabled: row.disabled,
    is_default: row.is_default && !services.faults.has('no-default-scanner'),
    auth: row.auth,
    skip_certVerify: row.skip_cert_verify,
    use_internal_addr: row.use_internal_addr,
    create_time: isoTime(row.create_time),
    update_time: isoTime(row.update_time),
  };
  if (view === 'plain') return { model, reachable: false };
  let metadata: AdapterMetadata | undefined;
  try {
    metadata = await registrationMetadata(row);
  } catch {
    metadata = undefined;
  }
  if (view === 'project') {
    if (metadata) {
      model['adapter'] = metadata.scanner.name;
      model['vendor'] = metadata.scanner.vendor;
      model['version'] = metadata.scanner.version;
    }
    model['health'] = metadata ? 'healthy' : 'unhealthy';
  }
  if (metadata) model['capabilities'] = capabilitiesOf(metadata);
  return { model, reachable: metadata !== undefined };
}

/** Harbor's ConvertCapability (src/pkg/scan/rest/v1/models.go@v2.15.x): only the supported types, as true; an adapter naming no type is an old vulnerability scanner. */
export function capabilitiesOf(metadata: Pick<AdapterMetadata, 'capabilities'>): Record<string, boolean> {
  const types = metadata.capabilities.map((c) => c.type ?? '');
  const capabilities: Record<string, boolean> = {};
  if (types.includes('vulnerability')) capabilities['support_vulnerability'] = true;
  if (types.includes('sbom')) capabilities['support_sbom'] = true;
  if (types.every((t) => t === '') && Object.keys(capabilities).length === 0)
    return { support_vulnerability: true, support_sbom: false };
  return capabilities;
}

/** Harbor's ListRegistrations: capabilities per registration, but it stops at the first adapter that does not answer. */
async function listModels(services: DoubleServices, rows: RegistrationRow[]): Promise<Array<Record<string, unknown>>> {
  const models: Array<Record<string, unknown>> = [];
  let retrieve = true;
  for (const row of rows) {
    const { model, reachable } = await registrationModel(services, row, retrieve ? 'registration' : 'plain');
    models.push(model);
    retrieve &&= reachable;
  }
  return models;
}

function validated(req: RegistrationReq, existing?: RegistrationRow) {
  const name = req.name === undefined && existing ? existing.name : req.name;
  if (typeof name !== 'string' || name.trim() === '') throw badRequest('name is required');
  const url = req.url === undefined && existing ? existing.url : req.url;
  if (typeof url !== 'string' || !/^https?:\/\/[^/\s]+/.test(url))
    throw badRequest(`invalid scanner url: ${String(url)}`);
  const auth = req.auth === undefined ? (existing?.auth ?? '') : req.auth;
  if (typeof auth !== 'string' || !AUTH_TYPES.includes(auth))
    throw badRequest(`auth type ${String(auth)} is not supported`);
  let credential = typeof req.access_credential === 'string' ? req.access_credential : '';
  if (credential === '' && existing) credential = existing.access_credential;
  if (auth !== '' && credential === '') throw badRequest(`access_credential is required for auth type ${auth}`);
  return {
    name: name.trim(),
    description: typeof req.description === 'string' ? req.description : (existing?.description ?? ''),
    url: url.replace(/\/+$/, ''),
    auth,
    access_credential: credential,
    skip_cert_verify:
      typeof req.skip_certVerify === 'boolean' ? req.skip_certVerify : (existing?.skip_cert_verify ?? false),
    use_internal_addr:
      typeof req.use_internal_addr === 'boolean' ? req.use_internal_addr : (existing?.use_internal_addr ?? false),
    disabled: typeof req.disabled === 'boolean' ? req.disabled : (existing?.disabled ?? false),
  };
}

/** Harbor pings the adapter before storing; any failure is a (masked) 500. */
async function ping(r: { url: string; auth: string; access_credential: string }): Promise<AdapterMetadata> {
  try {
    return await new AdapterClient(r.url, { auth: r.auth, accessCredential: r.access_credential }).metadata();
  } catch (error) {
    throw new HarborError('UNKNOWN', `ping scanner: ${(error as Error).message}`);
  }
}

export function registerScannerRoutes(app: FastifyInstance, services: DoubleServices): void {
  const get = async (uuid: string): Promise<RegistrationRow> => {
    const row = await findRegistration(services.db, uuid);
    if (!row) throw notFound(`scanner ${uuid} not found`);
    return row;
  };

  app.get('/api/v2.0/scanners', async (request) => {
    await requireSystemAccess(services, request.security, 'scanner', 'list');
    return listModels(services, await listRegistrations(services.db));
  });

  app.post('/api/v2.0/scanners', async (request, reply) => {
    await requireSystemAccess(services, request.security, 'scanner', 'create');
    const r = validated((request.body ?? {}) as RegistrationReq);
    if (r.name === TRIVY_NAME) throw badRequest(`name "${TRIVY_NAME}" is reserved, please try a different name`);
    if (await findRegistrationByName(services.db, r.name))
      throw conflict(`scanner registration name ${r.name} already exists`);
    await ping(r);
    const row = await insertRegistration(services.db, { ...r, immutable: false });
    if ((await listRegistrations(services.db)).every((x) => !x.is_default))
      await setDefaultRegistration(services.db, row.uuid);
    reply.status(201).header('Location', `/api/v2.0/scanners/${row.uuid}`).send();
  });

  app.post('/api/v2.0/scanners/ping', async (request, reply) => {
    await requireSystemAccess(services, request.security, 'scanner', 'read');
    const body = (request.body ?? {}) as RegistrationReq;
    const r = validated({ ...body, name: typeof body.name === 'string' && body.name !== '' ? body.name : 'ping' });
    await ping(r);
    reply.status(200).send();
  });

  app.get('/api/v2.0/scanners/:uuid', async (request) => {
    await requireSystemAccess(services, request.security, 'scanner', 'read');
    return (await registrationModel(services, await get((request.params as { uuid: string }).uuid), 'registration'))
      .model;
  });

  app.get('/api/v2.0/scanners/:uuid/metadata', async (request) => {
    await requireSystemAccess(services, request.security, 'scanner', 'read');
    const row = await get((request.params as { uuid: string }).uuid);
    try {
      return await registrationMetadata(row);
    } catch (error) {
      throw new HarborError('UNKNOWN', (error as Error).message);
    }
  });

  app.put('/api/v2.0/scanners/:uuid', async (request, reply) => {
    await requireSystemAccess(services, request.security, 'scanner', 'update');
    const row = await get((request.params as { uuid: string }).uuid);
    if (row.immutable)
      throw forbidden(`registration ${row.name} is not allowed to update as it is immutable: scanner API: update`);
    const r = validated((request.body ?? {}) as RegistrationReq, row);
    if (r.name === TRIVY_NAME) throw badRequest(`name "${TRIVY_NAME}" is reserved, please try a different name`);
    if (row.is_default && r.disabled) throw new HarborError('UNKNOWN', 'the default registration can not be disabled');
    await updateRegistration(services.db, row.uuid, r);
    forgetMetadata(row.uuid);
    reply.status(200).send();
  });

  app.patch('/api/v2.0/scanners/:uuid', async (request, reply) => {
    await requireSystemAccess(services, request.security, 'scanner', 'update');
    const row = await get((request.params as { uuid: string }).uuid);
    const body = (request.body ?? {}) as { is_default?: unknown };
    if (body.is_default === true) await setDefaultRegistration(services.db, row.uuid);
    reply.status(200).send();
  });

  app.delete('/api/v2.0/scanners/:uuid', async (request) => {
    await requireSystemAccess(services, request.security, 'scanner', 'delete');
    const row = await get((request.params as { uuid: string }).uuid);
    if (row.immutable)
      throw forbidden(`registration ${row.name} is not allowed to delete as it is immutable: scanner API: delete`);
    await deleteRegistration(services.db, row.uuid);
    forgetMetadata(row.uuid);
    return (await registrationModel(services, row, 'plain')).model;
  });

  app.get('/api/v2.0/projects/:project/scanner', async (request) => {
    const { project: p } = request.params as { project: string };
    const project = await projectForAccess(
      services,
      request.security,
      p,
      'scanner',
      'read',
      request.headers['x-is-resource-name'] === 'true',
    );
    const row = await scannerOfProject(services, project.project_id);
    if (!row) throw notFound(`no scanner for project ${project.project_id}`);
    return (await registrationModel(services, row, 'project')).model;
  });

  app.put('/api/v2.0/projects/:project/scanner', async (request, reply) => {
    const { project: p } = request.params as { project: string };
    const project = await projectForAccess(
      services,
      request.security,
      p,
      'scanner',
      'create',
      request.headers['x-is-resource-name'] === 'true',
    );
    const uuid = (request.body as { uuid?: unknown } | undefined)?.uuid;
    if (typeof uuid !== 'string' || uuid === '') throw badRequest('uuid is required');
    // Harbor does not validate the uuid here; a stale one is cleared on the next lookup.
    await setProjectScanner(services.db, project.project_id, uuid);
    reply.status(200).send();
  });

  app.get('/api/v2.0/projects/:project/scanner/candidates', async (request) => {
    const { project: p } = request.params as { project: string };
    await projectForAccess(
      services,
      request.security,
      p,
      'scanner',
      'create',
      request.headers['x-is-resource-name'] === 'true',
    );
    return listModels(
      services,
      (await listRegistrations(services.db)).filter((r) => !r.disabled),
    );
  });
}
