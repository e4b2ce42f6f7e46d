// Every way the matrix asks, as data: the REST endpoints of swagger.yaml (v2.15.2) per resource:action, the
// registry verbs on /v2, the token service and /users/current/permissions. Each operation names the
// permission Harbor's handler checks (goharbor/harbor src/server/v2.0/handler/*.go@v2.15.2, RequireProjectAccess /
// RequireSystemAccess; /v2: src/server/middleware/v2auth/access.go@v2.15.2) and what an allowed and a denied
// answer look like. Destructive operations aim at something that does not exist inside an existing project:
// Harbor checks the permission first, so an allowed caller gets 404 and a denied one 401/403.
import type { MatrixFixture, ProjectFixture } from './matrix-fixture.ts';
import type { ProjectKind } from './identities.ts';

export type OperationArea = 'api' | 'registry' | 'token' | 'permissions';

export interface ProbeRequest {
  method: string;
  /** Exact request path with query, sent as is (never normalised). */
  path: string;
  body?: string;
  headers?: Record<string, string>;
}

export interface Operation {
  id: string;
  area: OperationArea;
  /** project: the permission is evaluated in the project of the cell; system: in the system namespace; authenticated: any caller with credentials. */
  scope: 'project' | 'system' | 'authenticated';
  permission: string;
  mutating: boolean;
  /** Statuses of an allowed request. */
  allowed: number[];
  /** What a sysadmin gets for a project that does not exist (default 404). */
  missingAsAdmin?: number[];
  /** Denials on /v2 are always 401 (v2auth); on the API 401 for anonymous, 403 otherwise. */
  denial: 'api' | 'registry';
  /** Whether path spellings are probed for this operation. */
  spellings: boolean;
  /** For a mount: the own project receives the blob, the cell's project is the source. */
  alsoNeedsOwn?: string;
  request(project: ProjectFixture, fixture: MatrixFixture, cellKey: string): ProbeRequest;
}

const API = '/api/v2.0';
/** What docker and containerd accept for a manifest. */
const MANIFEST_TYPES = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
].join(', ');
const NO_DIGEST = `sha256:${'0'.repeat(64)}`;
const repo = (p: ProjectFixture) => `${API}/projects/${p.name}/repositories/${p.repository}`;
const artifact = (p: ProjectFixture) => `${repo(p)}/artifacts/${p.digest}`;
const json = (value: unknown) => JSON.stringify(value);
/** A tag name unique to the cell (tag and manifest creations). */
const tagFor = (cellKey: string) => `c${cellKey}`;

function api(
  id: string,
  permission: string,
  method: string,
  path: (p: ProjectFixture, f: MatrixFixture, cell: string) => string,
  options: Partial<Pick<Operation, 'allowed' | 'missingAsAdmin' | 'mutating' | 'spellings'>> & {
    body?: (p: ProjectFixture, f: MatrixFixture, cell: string) => unknown;
  } = {},
): Operation {
  return {
    id,
    area: 'api',
    scope: 'project',
    permission,
    mutating: options.mutating ?? false,
    allowed: options.allowed ?? [200],
    ...(options.missingAsAdmin ? { missingAsAdmin: options.missingAsAdmin } : {}),
    denial: 'api',
    spellings: options.spellings ?? method === 'GET',
    request: (p, f, cell) => ({
      method,
      path: path(p, f, cell),
      ...(options.body
        ? { body: json(options.body(p, f, cell)), headers: { 'content-type': 'application/json' } }
        : {}),
    }),
  };
}

function system(
  id: string,
  scope: 'system' | 'authenticated',
  permission: string,
  path: string,
  allowed = [200],
  area: OperationArea = 'api',
): Operation {
  return {
    id,
    area,
    scope,
    permission,
    mutating: false,
    allowed,
    denial: area === 'registry' ? 'registry' : 'api',
    spellings: true,
    request: () => ({ method: 'GET', path }),
  };
}

function registry(
  id: string,
  action: 'pull' | 'push' | 'delete',
  method: string,
  path: (p: ProjectFixture, f: MatrixFixture, cell: string) => string,
  allowed: number[],
  options: {
    mutating?: boolean;
    body?: (f: MatrixFixture) => { body: string; contentType: string };
    alsoNeedsOwn?: string;
  } = {},
): Operation {
  return {
    id,
    area: 'registry',
    scope: 'project',
    permission: `repository:${action}`,
    mutating: options.mutating ?? false,
    allowed,
    // v2auth answers a project it cannot find with 401 for everybody, sysadmins included (auth.go projectID).
    missingAsAdmin: [401],
    denial: 'registry',
    spellings: method === 'GET' || method === 'HEAD',
    ...(options.alsoNeedsOwn ? { alsoNeedsOwn: options.alsoNeedsOwn } : {}),
    request: (p, f, cell) => {
      const body = options.body?.(f);
      const headers: Record<string, string> = {};
      if (/\/manifests\//.test(path(p, f, cell))) headers['accept'] = MANIFEST_TYPES;
      if (body) headers['content-type'] = body.contentType;
      return { method, path: path(p, f, cell), headers, ...(body ? { body: body.body } : {}) };
    },
  };
}

export const operations: readonly Operation[] = [
  // projects (project.go, project_metadata.go)
  api('GET /projects/{p}', 'project:read', 'GET', (p) => `${API}/projects/${p.name}`),
  api('GET /projects/{p}/summary', 'project:read', 'GET', (p) => `${API}/projects/${p.name}/summary`),
  api('GET /projects/{p}/_deletable', 'project:delete', 'GET', (p) => `${API}/projects/${p.name}/_deletable`),
  api('PUT /projects/{p}', 'project:update', 'PUT', (p) => `${API}/projects/${p.name}`, {
    mutating: true,
    body: () => ({ metadata: { auto_scan: 'false' } }),
  }),
  api('GET /projects/{p}/metadatas', 'metadata:list', 'GET', (p) => `${API}/projects/${p.name}/metadatas`),
  api(
    'GET /projects/{p}/metadatas/public',
    'metadata:read',
    'GET',
    (p) => `${API}/projects/${p.name}/metadatas/public`,
  ),
  // members (member.go)
  api('GET /projects/{p}/members', 'member:list', 'GET', (p) => `${API}/projects/${p.name}/members`),
  api('GET /projects/{p}/members/{m}', 'member:read', 'GET', (p) => `${API}/projects/${p.name}/members/${p.memberId}`),
  api('POST /projects/{p}/members', 'member:create', 'POST', (p) => `${API}/projects/${p.name}/members`, {
    mutating: true,
    // the user id does not exist: 400 "User 999999 not found" after the permission check (controller/member/controller.go)
    allowed: [400],
    body: () => ({ role_id: 3, member_user: { user_id: 999999 } }),
  }),
  api(
    'DELETE /projects/{p}/members/{m}',
    'member:delete',
    'DELETE',
    (p) => `${API}/projects/${p.name}/members/999999`,
    { mutating: true, allowed: [200] },
  ), // deleting no row is not an error
  // repositories, artifacts, tags, accessories, additions (repository.go, artifact.go)
  api('GET /projects/{p}/repositories', 'repository:list', 'GET', (p) => `${API}/projects/${p.name}/repositories`),
  api('GET …/repositories/{r}', 'repository:read', 'GET', (p) => repo(p)),
  api(
    'DELETE …/repositories/{r}',
    'repository:delete',
    'DELETE',
    (p) => `${API}/projects/${p.name}/repositories/absent`,
    { mutating: true, allowed: [404] },
  ),
  api('GET …/artifacts', 'artifact:list', 'GET', (p) => `${repo(p)}/artifacts`),
  api('GET …/artifacts/{ref}', 'artifact:read', 'GET', (p) => artifact(p)),
  api('DELETE …/artifacts/{ref}', 'artifact:delete', 'DELETE', (p) => `${repo(p)}/artifacts/${NO_DIGEST}`, {
    mutating: true,
    allowed: [404],
  }),
  api('GET …/artifacts/{ref}/tags', 'tag:list', 'GET', (p) => `${artifact(p)}/tags`),
  api('POST …/artifacts/{ref}/tags', 'tag:create', 'POST', (p) => `${artifact(p)}/tags`, {
    mutating: true,
    allowed: [201],
    body: (_p, _f, cell) => ({ name: tagFor(cell) }),
  }),
  api('DELETE …/tags/{t}', 'tag:delete', 'DELETE', (p) => `${artifact(p)}/tags/absent`, {
    mutating: true,
    allowed: [404],
  }),
  api('GET …/artifacts/{ref}/accessories', 'accessory:list', 'GET', (p) => `${artifact(p)}/accessories`),
  api(
    'GET …/additions/vulnerabilities',
    'artifact-addition:read',
    'GET',
    (p) => `${artifact(p)}/additions/vulnerabilities`,
  ),
  api('POST …/artifacts/{ref}/scan', 'scan:create', 'POST', (p) => `${repo(p)}/artifacts/${NO_DIGEST}/scan`, {
    mutating: true,
    allowed: [404],
  }),
  // scanner, logs, robots, webhooks, immutability, preheat, labels
  api('GET /projects/{p}/scanner', 'scanner:read', 'GET', (p) => `${API}/projects/${p.name}/scanner`),
  api(
    'GET /projects/{p}/scanner/candidates',
    'scanner:create',
    'GET',
    (p) => `${API}/projects/${p.name}/scanner/candidates`,
  ),
  api('GET /projects/{p}/auditlog-exts', 'log:list', 'GET', (p) => `${API}/projects/${p.name}/auditlog-exts`),
  api('GET /robots?q=ProjectID', 'robot:list', 'GET', (p) => `${API}/robots?q=Level%3Dproject%2CProjectID%3D${p.id}`, {
    missingAsAdmin: [200],
  }),
  api('POST /robots (project)', 'robot:create', 'POST', () => `${API}/robots`, {
    mutating: true,
    allowed: [201],
    missingAsAdmin: [404],
    body: (p, _f, cell) => ({
      name: `r${cell}`,
      duration: 1,
      level: 'project',
      permissions: [{ kind: 'project', namespace: p.name, access: [{ resource: 'repository', action: 'pull' }] }],
    }),
  }),
  api(
    'GET /projects/{p}/webhook/policies',
    'notification-policy:list',
    'GET',
    (p) => `${API}/projects/${p.name}/webhook/policies`,
  ),
  api(
    'GET /projects/{p}/immutabletagrules',
    'immutable-tag:list',
    'GET',
    (p) => `${API}/projects/${p.name}/immutabletagrules`,
  ),
  api(
    'GET /projects/{p}/preheat/policies',
    'preheat-policy:list',
    'GET',
    (p) => `${API}/projects/${p.name}/preheat/policies`,
  ),
  api('GET /labels?scope=p', 'label:list', 'GET', (p) => `${API}/labels?scope=p&project_id=${p.id}`, {
    missingAsAdmin: [200],
  }),

  // the registry (/v2): pull for GET/HEAD, push for POST/PATCH/PUT, delete for DELETE; a mount also needs pull on its source
  registry(
    'GET /v2/…/manifests/{tag}',
    'pull',
    'GET',
    (p) => `/v2/${p.name}/${p.repository}/manifests/${p.tag}`,
    [200],
  ),
  registry(
    'HEAD /v2/…/manifests/{digest}',
    'pull',
    'HEAD',
    (p) => `/v2/${p.name}/${p.repository}/manifests/${p.digest}`,
    [200],
  ),
  registry('GET /v2/…/tags/list', 'pull', 'GET', (p) => `/v2/${p.name}/${p.repository}/tags/list`, [200]),
  registry(
    'GET /v2/…/blobs/{digest}',
    'pull',
    'GET',
    (p) => `/v2/${p.name}/${p.repository}/blobs/${p.configDigest}`,
    [200],
  ),
  registry('POST /v2/…/blobs/uploads/', 'push', 'POST', (p) => `/v2/${p.name}/${p.repository}/blobs/uploads/`, [202], {
    mutating: true,
  }),
  registry(
    'PATCH /v2/…/blobs/uploads/{id}',
    'push',
    'PATCH',
    (p) => `/v2/${p.name}/${p.repository}/blobs/uploads/00000000-0000-4000-8000-000000000000`,
    [404],
    { mutating: true },
  ),
  registry(
    'PUT /v2/…/manifests/{tag}',
    'push',
    'PUT',
    (p, _f, cell) => `/v2/${p.name}/${p.repository}/manifests/${tagFor(cell)}`,
    [201],
    {
      mutating: true,
      body: (f) => ({ body: f.manifest, contentType: f.manifestMediaType }),
    },
  ),
  registry(
    'DELETE /v2/…/manifests/{digest}',
    'delete',
    'DELETE',
    (p) => `/v2/${p.name}/${p.repository}/manifests/${NO_DIGEST}`,
    [404],
    { mutating: true },
  ),
  registry(
    'POST /v2/{own}/…/blobs/uploads/?mount&from={p}',
    'pull',
    'POST',
    (p, f) =>
      `/v2/${f.projects.own.name}/${f.projects.own.repository}-mount/blobs/uploads/?mount=${p.configDigest}&from=${p.name}/${p.repository}`,
    [201],
    { mutating: true, alsoNeedsOwn: 'repository:push' },
  ),

  // system namespace
  system('GET /configurations', 'system', 'configuration:read', `${API}/configurations`),
  system('GET /users', 'system', 'user:list', `${API}/users`),
  // callers without system audit-log:list get the logs of their own projects, never a denial (auditlog.go checkPermissionAndBuildQuery)
  system('GET /auditlog-exts', 'authenticated', '', `${API}/auditlog-exts`),
  system('GET /scanners', 'system', 'scanner:list', `${API}/scanners`),
  system('GET /registries', 'system', 'registry:list', `${API}/registries`),
  system('GET /replication/policies', 'system', 'replication-policy:list', `${API}/replication/policies`),
  system('GET /system/gc', 'system', 'garbage-collection:list', `${API}/system/gc`),
  system('GET /quotas', 'system', 'quota:list', `${API}/quotas`),
  system('GET /v2/_catalog', 'system', 'catalog:read', '/v2/_catalog', [200], 'registry'),
  system('GET /users/current', 'authenticated', '', `${API}/users/current`),
  system('GET /system/CVEAllowlist', 'authenticated', '', `${API}/system/CVEAllowlist`),
];

/** The cell's project: the fixture's project of that kind. */
export function projectOf(fixture: MatrixFixture, kind: ProjectKind): ProjectFixture {
  return fixture.projects[kind];
}
