// A small typed client for Harbor's API v2.0 on undici: basic auth and no cookie jar (Harbor's CSRF check
// only applies to requests carrying a session cookie). Every exchange goes through the recorder, redacted.
// Errors surface as HarborApiError {status, code, message} from Harbor's {"errors":[…]} body.
import type { Dispatcher } from 'undici';
import type { ExchangeRecorder } from './http-exchange.ts';
import { type BufferedResponse, HttpTransport } from './http-transport.ts';
import type {
  Accessory,
  Artifact,
  AuditLog,
  AuditLogExt,
  ConfigurationsResponse,
  ConfigurationsUpdate,
  HarborErrorBody,
  OverallHealth,
  Project,
  ProjectMetadata,
  ProjectReq,
  Repository,
  Robot,
  RobotCreate,
  RobotCreated,
  SystemInfo,
  Tag,
} from './harbor-api-types.ts';
import { nextLink } from './oci/registry-client.ts';
import { basicAuthorization } from './oci/token-auth.ts';
import type { Credentials } from './target.ts';

export class HarborApiError extends Error {
  override name = 'HarborApiError';
  readonly status: number;
  /** Harbor's error code (NOT_FOUND, CONFLICT, FORBIDDEN, UNAUTHORIZED, BAD_REQUEST, UNKNOWN…), "" if the body had none. */
  readonly code: string;
  /** Harbor's message, or the start of the body when it was not Harbor's error shape. */
  readonly harborMessage: string;
  readonly method: string;
  readonly path: string;

  constructor(fields: { status: number; code: string; message: string; method: string; path: string }) {
    super(
      `${fields.method} ${fields.path} → HTTP ${fields.status}${fields.code ? ` ${fields.code}` : ''}${fields.message ? `: ${fields.message}` : ''}`,
    );
    this.status = fields.status;
    this.code = fields.code;
    this.harborMessage = fields.message;
    this.method = fields.method;
    this.path = fields.path;
  }
}

export interface HarborApiClientOptions {
  /** Harbor base URL, e.g. http://127.0.0.1:8080 (the client adds /api/v2.0). */
  baseUrl: string;
  /** Omit for anonymous requests. */
  credentials?: Credentials;
  recorder?: ExchangeRecorder;
  dispatcher?: Dispatcher;
  userAgent?: string;
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface ApiResponse<T> {
  status: number;
  headers: Record<string, string>;
  data: T;
}

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  headers?: Record<string, string>;
  /** Statuses that count as success (default: any 2xx). */
  expect?: number[];
}

export interface PageQuery {
  page?: number;
  page_size?: number;
  /** Harbor's query syntax, e.g. "name=~app" or "Level=project,ProjectID=3". */
  q?: string;
  sort?: string;
}

export interface ArtifactQuery extends PageQuery {
  with_tag?: boolean;
  with_label?: boolean;
  with_scan_overview?: boolean;
  with_sbom_overview?: boolean;
  with_signature?: boolean;
  with_immutable_status?: boolean;
  with_accessory?: boolean;
}

/** Project by name (string) or id (number); names are sent with X-Is-Resource-Name: true. */
export type ProjectRef = string | number;

const API = '/api/v2.0';
/** The scan_overview key of Harbor's native vulnerability report (first in X-Accept-Vulnerabilities' default). */
export const VULNERABILITY_REPORT_MIME = 'application/vnd.security.vulnerability.report; version=1.1';

/** Repository names go into paths encoded twice (a/b → a%252Fb), as Harbor's API requires. */
export function encodeRepositoryName(name: string): string {
  return encodeURIComponent(encodeURIComponent(name));
}

export class HarborApiClient {
  readonly baseUrl: string;
  readonly transport: HttpTransport;
  readonly #authorization: string | undefined;

  constructor(options: HarborApiClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.transport = new HttpTransport({
      ...(options.recorder ? { recorder: options.recorder } : {}),
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
      ...(options.userAgent ? { userAgent: options.userAgent } : {}),
    });
    this.#authorization = options.credentials ? basicAuthorization(options.credentials) : undefined;
    if (options.credentials) options.recorder?.secrets?.add(options.credentials.password);
  }

  /** The same client with other credentials (or anonymous), sharing recorder and dispatcher. */
  as(
    credentials: Credentials | undefined,
    options: Omit<HarborApiClientOptions, 'baseUrl' | 'credentials'> = {},
  ): HarborApiClient {
    return new HarborApiClient({
      baseUrl: this.baseUrl,
      ...(credentials ? { credentials } : {}),
      ...(this.transport.recorder ? { recorder: this.transport.recorder } : {}),
      ...options,
    });
  }

  // ---------------------------------------------------------------- generic

  /** Any API call; `path` is relative to /api/v2.0. Throws HarborApiError outside `expect` (default 2xx). */
  async request<T = unknown>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const url = new URL(`${this.baseUrl}${API}${path}`);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (this.#authorization) headers.authorization = this.#authorization;
    let body: string | undefined;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    }
    const response = await this.transport.send({
      method,
      url: url.toString(),
      headers,
      ...(body !== undefined ? { body } : {}),
    });
    const ok = options.expect
      ? options.expect.includes(response.status)
      : response.status >= 200 && response.status < 300;
    if (!ok) throw toHarborError(response, method, `${API}${path}`);
    return { status: response.status, headers: response.headers, data: parseBody<T>(response) };
  }

  /** Every page of a list endpoint, following the Link header. */
  async listAll<T>(path: string, query: Query = {}, pageSize = 100): Promise<T[]> {
    const items: T[] = [];
    let response = await this.request<T[]>('GET', path, { query: { page_size: pageSize, ...query } });
    items.push(...(response.data ?? []));
    for (let guard = 0; guard < 10_000; guard++) {
      const next = nextLink(response.headers.link, `${this.baseUrl}${API}${path}`);
      if (!next) break;
      const url = new URL(next);
      const relative = url.pathname.startsWith(API) ? url.pathname.slice(API.length) : url.pathname;
      response = await this.request<T[]>('GET', relative, { query: Object.fromEntries(url.searchParams) });
      items.push(...(response.data ?? []));
    }
    return items;
  }

  // ---------------------------------------------------------------- system

  /** GET /ping → "Pong" (no authentication needed). */
  async ping(): Promise<string> {
    return (await this.request<string>('GET', '/ping', { headers: { accept: 'text/plain' } })).data;
  }

  async health(): Promise<OverallHealth> {
    return (await this.request<OverallHealth>('GET', '/health')).data;
  }

  async systemInfo(): Promise<SystemInfo> {
    return (await this.request<SystemInfo>('GET', '/systeminfo')).data;
  }

  async getConfigurations(): Promise<ConfigurationsResponse> {
    return (await this.request<ConfigurationsResponse>('GET', '/configurations')).data;
  }

  /** PUT /configurations with a flat subset of settings. */
  async updateConfigurations(update: ConfigurationsUpdate): Promise<void> {
    await this.request('PUT', '/configurations', { body: update });
  }

  // ---------------------------------------------------------------- projects

  /** POST /projects; returns the new project's id, parsed from the Location header. */
  async createProject(project: ProjectReq): Promise<number> {
    const response = await this.request('POST', '/projects', { body: project, expect: [201] });
    return idFromLocation(response.headers.location, 'project');
  }

  async getProject(project: ProjectRef): Promise<Project> {
    return (
      await this.request<Project>('GET', `/projects/${encodeURIComponent(String(project))}`, {
        headers: nameHeader(project),
      })
    ).data;
  }

  /** HEAD /projects?project_name=: true on 200, false on 404. */
  async projectExists(name: string): Promise<boolean> {
    const response = await this.request('HEAD', '/projects', { query: { project_name: name }, expect: [200, 404] });
    return response.status === 200;
  }

  async listProjects(
    query: PageQuery & { name?: string; public?: boolean; owner?: string; with_detail?: boolean } = {},
  ): Promise<Project[]> {
    return (await this.request<Project[]>('GET', '/projects', { query: { ...query } })).data ?? [];
  }

  /** PUT /projects/{id}: Harbor merges the metadata keys sent into the existing ones. */
  async updateProject(project: ProjectRef, update: ProjectReq): Promise<void> {
    await this.request('PUT', `/projects/${encodeURIComponent(String(project))}`, {
      body: update,
      headers: nameHeader(project),
    });
  }

  /** Merges metadata keys (PUT /projects/{id} with {metadata}). */
  async updateProjectMetadata(project: ProjectRef, metadata: ProjectMetadata): Promise<void> {
    await this.updateProject(project, { metadata });
  }

  /** GET /projects/{id}/metadatas/. */
  async getProjectMetadata(project: ProjectRef): Promise<ProjectMetadata> {
    return (
      await this.request<ProjectMetadata>('GET', `/projects/${encodeURIComponent(String(project))}/metadatas/`, {
        headers: nameHeader(project),
      })
    ).data;
  }

  /** PUT /projects/{id}/metadatas/{key} (validated by Harbor: one key per request). */
  async setProjectMetadataKey(project: ProjectRef, key: string, value: string): Promise<void> {
    await this.request('PUT', `/projects/${encodeURIComponent(String(project))}/metadatas/${encodeURIComponent(key)}`, {
      body: { [key]: value },
      headers: nameHeader(project),
    });
  }

  async deleteProject(project: ProjectRef): Promise<void> {
    await this.request('DELETE', `/projects/${encodeURIComponent(String(project))}`, { headers: nameHeader(project) });
  }

  // ---------------------------------------------------------------- robots

  /** POST /robots; the returned secret is also registered with the recorder's SecretRegistry. */
  async createRobot(robot: RobotCreate): Promise<RobotCreated> {
    const response = await this.request<RobotCreated>('POST', '/robots', { body: robot, expect: [201] });
    this.#registerSecret(response.data.secret);
    return response.data;
  }

  async getRobot(id: number): Promise<Robot> {
    return (await this.request<Robot>('GET', `/robots/${id}`)).data;
  }

  async listRobots(query: PageQuery = {}): Promise<Robot[]> {
    return (await this.request<Robot[]>('GET', '/robots', { query: { ...query } })).data ?? [];
  }

  /** PUT /robots/{id}: needs the full current name and the same level. */
  async updateRobot(id: number, robot: Robot | (RobotCreate & { id?: number })): Promise<void> {
    await this.request('PUT', `/robots/${id}`, { body: robot });
  }

  /** PATCH /robots/{id}: sets the given secret, or lets Harbor generate one (returned). */
  async refreshRobotSecret(id: number, secret?: string): Promise<string> {
    if (secret) this.#registerSecret(secret);
    const response = await this.request<{ secret?: string }>('PATCH', `/robots/${id}`, {
      body: secret ? { secret } : {},
    });
    const returned = response.data?.secret ?? '';
    this.#registerSecret(returned);
    return returned || (secret ?? '');
  }

  async deleteRobot(id: number): Promise<void> {
    await this.request('DELETE', `/robots/${id}`);
  }

  // ---------------------------------------------------------------- repositories

  async listRepositories(projectName: string, query: PageQuery = {}): Promise<Repository[]> {
    return (
      (
        await this.request<Repository[]>('GET', `/projects/${encodeURIComponent(projectName)}/repositories`, {
          query: { ...query },
        })
      ).data ?? []
    );
  }

  /** `repository` is the name inside the project (e.g. "app" or "team/app"). */
  async getRepository(projectName: string, repository: string): Promise<Repository> {
    return (await this.request<Repository>('GET', repoPath(projectName, repository))).data;
  }

  async deleteRepository(projectName: string, repository: string): Promise<void> {
    await this.request('DELETE', repoPath(projectName, repository));
  }

  // ---------------------------------------------------------------- artifacts and tags

  async listArtifacts(projectName: string, repository: string, query: ArtifactQuery = {}): Promise<Artifact[]> {
    return (
      (
        await this.request<Artifact[]>('GET', `${repoPath(projectName, repository)}/artifacts`, {
          query: { ...query },
        })
      ).data ?? []
    );
  }

  /** `reference` is a tag or a digest. */
  async getArtifact(
    projectName: string,
    repository: string,
    reference: string,
    query: ArtifactQuery = {},
  ): Promise<Artifact> {
    return (
      await this.request<Artifact>(
        'GET',
        `${repoPath(projectName, repository)}/artifacts/${encodeURIComponent(reference)}`,
        {
          query: { ...query },
        },
      )
    ).data;
  }

  async deleteArtifact(projectName: string, repository: string, reference: string): Promise<void> {
    await this.request('DELETE', `${repoPath(projectName, repository)}/artifacts/${encodeURIComponent(reference)}`);
  }

  async listArtifactTags(
    projectName: string,
    repository: string,
    reference: string,
    query: PageQuery & { with_immutable_status?: boolean } = {},
  ): Promise<Tag[]> {
    return (
      (
        await this.request<Tag[]>(
          'GET',
          `${repoPath(projectName, repository)}/artifacts/${encodeURIComponent(reference)}/tags`,
          { query: { ...query } },
        )
      ).data ?? []
    );
  }

  /** GET …/artifacts/{reference}/accessories: signatures, SBOMs and other referrers Harbor recorded for the artifact. */
  async listAccessories(
    projectName: string,
    repository: string,
    reference: string,
    query: PageQuery = {},
  ): Promise<Accessory[]> {
    return (
      (
        await this.request<Accessory[]>(
          'GET',
          `${repoPath(projectName, repository)}/artifacts/${encodeURIComponent(reference)}/accessories`,
          { query: { ...query } },
        )
      ).data ?? []
    );
  }

  async createTag(projectName: string, repository: string, reference: string, tag: string): Promise<void> {
    await this.request('POST', `${repoPath(projectName, repository)}/artifacts/${encodeURIComponent(reference)}/tags`, {
      body: { name: tag },
      expect: [201],
    });
  }

  async deleteTag(projectName: string, repository: string, reference: string, tag: string): Promise<void> {
    await this.request(
      'DELETE',
      `${repoPath(projectName, repository)}/artifacts/${encodeURIComponent(reference)}/tags/${encodeURIComponent(tag)}`,
    );
  }

  // ---------------------------------------------------------------- audit logs

  /** GET /audit-logs (deprecated in Harbor, still served). */
  async listAuditLogs(query: PageQuery = {}): Promise<AuditLog[]> {
    return (await this.request<AuditLog[]>('GET', '/audit-logs', { query: { ...query } })).data ?? [];
  }

  /** GET /auditlog-exts, or /projects/{name}/auditlog-exts with `projectName`. */
  async listAuditLogExts(query: PageQuery = {}, projectName?: string): Promise<AuditLogExt[]> {
    const path = projectName ? `/projects/${encodeURIComponent(projectName)}/auditlog-exts` : '/auditlog-exts';
    return (await this.request<AuditLogExt[]>('GET', path, { query: { ...query } })).data ?? [];
  }

  #registerSecret(secret: string | undefined): void {
    if (secret && secret.length >= 4) this.transport.recorder?.secrets?.add(secret);
  }
}

function repoPath(projectName: string, repository: string): string {
  return `/projects/${encodeURIComponent(projectName)}/repositories/${encodeRepositoryName(repository)}`;
}

function nameHeader(project: ProjectRef): Record<string, string> {
  return typeof project === 'string' ? { 'x-is-resource-name': 'true' } : {};
}

function idFromLocation(location: string | undefined, what: string): number {
  const id = Number(/\/(\d+)\/?$/.exec(location ?? '')?.[1]);
  if (!Number.isInteger(id))
    throw new Error(`Harbor created the ${what} but its Location header (${location ?? 'missing'}) has no numeric id`);
  return id;
}

function parseBody<T>(response: BufferedResponse): T {
  const text = response.body.toString('utf8');
  if (text === '') return undefined as T;
  const type = response.headers['content-type'] ?? '';
  if (type.includes('json') || /^\s*[[{"]/.test(text)) {
    try {
      return JSON.parse(text) as T;
    } catch {
      // fall through: not JSON after all
    }
  }
  return text as T;
}

function toHarborError(response: BufferedResponse, method: string, path: string): HarborApiError {
  const text = response.body.toString('utf8');
  let code = '';
  let message = text.trim().slice(0, 300);
  try {
    const body = JSON.parse(text) as HarborErrorBody;
    const first = body.errors?.[0];
    if (first) {
      code = first.code ?? '';
      message = first.message ?? '';
    }
  } catch {
    // not Harbor's error shape
  }
  return new HarborApiError({ status: response.status, code, message, method, path });
}
