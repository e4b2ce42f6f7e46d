// What the matrix asks about, set up through Harbor's API: three run-id projects (own private, another
// team's public, another team's private) each holding one small image, a name that does not exist, local
// users (one per role in the own project, one who is no member), one project robot per grantable
// permission the operations check, two system robots. On a read-only target nothing is created: the
// fixture uses existing projects and only the callers that need no account of their own.
import type { HarborApiClient } from '../../lib/harbor-api.ts';
import type { Project, Robot } from '../../lib/harbor-api-types.ts';
import type { RegistryClient } from '../../lib/oci/registry-client.ts';
import { buildImage } from '../../fixtures/images/image-builder.ts';
import { pushImage } from '../../fixtures/images/push-image.ts';
import { deleteProjectWithRepositories } from '../support/harbor-projects.ts';
import { roleIds } from './harbor-rbac-policies.ts';

/**
 * The wrong-credentials caller names an account that does not exist: Harbor locks a user name for 1.5 s after
 * a failed login, the right password included (goharbor/harbor src/core/auth/authenticator.go, lock.go@v2.15.x),
 * so a wrong password for the admin would turn the admin's own cells into 401s — and lock a real admin out.
 */
const WRONG_CREDENTIALS_USER = 'hc-wrong-credentials';
import { memberIdentities, type Identity, type ProjectKind } from './identities.ts';

export interface ProjectFixture {
  kind: ProjectKind;
  name: string;
  id: number;
  /** Repository name inside the project (without the project). */
  repository: string;
  tag: string;
  digest: string;
  configDigest: string;
  /** A member entry of the project (its creator), for GET /members/{m}. */
  memberId: number;
}

export interface MatrixFixture {
  projects: Record<ProjectKind, ProjectFixture>;
  /** Project kinds the fixture really has (a read-only target may lack a public or a private project). */
  kinds: ProjectKind[];
  identities: Identity[];
  /** Authorization header per identity id (absent: anonymous). */
  authorization: Map<string, string>;
  manifest: string;
  manifestMediaType: string;
  absentUsername: string;
  /** Secrets created for the run (robot secrets, user passwords), to redact. */
  secrets: string[];
  cleanup(): Promise<void>;
}

/** Grantable project permissions (src/common/rbac/const.go@v2.15.2 PoliciesMap) among those the operations check. */
export const grantableProjectPermissions = [
  'repository:read',
  'repository:list',
  'repository:pull',
  'repository:push',
  'repository:delete',
  'artifact:read',
  'artifact:list',
  'artifact:delete',
  'tag:list',
  'tag:create',
  'tag:delete',
  'accessory:list',
  'artifact-addition:read',
  'scan:create',
  'scanner:read',
  'scanner:create',
  'metadata:list',
  'metadata:read',
  'log:list',
  'robot:list',
  'robot:create',
  'notification-policy:list',
  'immutable-tag:list',
  'preheat-policy:list',
  'label:list',
  'member:list',
  'member:read',
  'member:create',
  'member:delete',
];

const basic = (username: string, password: string) =>
  `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
const toAccess = (permission: string) => {
  const [resource, action] = permission.split(':') as [string, string];
  return { resource, action };
};

function password(): string {
  // Harbor: 8-128 characters with an upper-case letter, a lower-case letter and a digit.
  return `Pw${crypto.randomUUID().replaceAll('-', '').slice(0, 14)}9`;
}

interface SetupOptions {
  api: HarborApiClient;
  registry: RegistryClient;
  baseName: string;
  admin: { username: string; password: string };
}

export async function createMatrixFixture(options: SetupOptions): Promise<MatrixFixture> {
  const { api, registry, baseName } = options;
  const undo: Array<() => Promise<void>> = [];
  const secrets: string[] = [];
  const authorization = new Map<string, string>();
  const fixture: MatrixFixture = {
    projects: {} as Record<ProjectKind, ProjectFixture>,
    kinds: ['own', 'public', 'other', 'missing'],
    identities: [],
    authorization,
    manifest: '',
    manifestMediaType: '',
    absentUsername: `${baseName}-nobody`,
    secrets,
    async cleanup() {
      const errors: string[] = [];
      for (const fn of undo.reverse()) await fn().catch((error: unknown) => errors.push(String(error)));
      if (errors.length > 0) throw new Error(`access-matrix cleanup: ${errors.join('; ')}`);
    },
  };
  try {
    const image = buildImage({ layers: [{ 'access-matrix.txt': `harbor-conformance access matrix ${baseName}\n` }] });
    fixture.manifest = image.manifest.bytes.toString('utf8');
    fixture.manifestMediaType = image.manifest.mediaType;
    for (const [kind, isPublic] of [
      ['own', false],
      ['public', true],
      ['other', false],
    ] as const) {
      const name = `${baseName}-${kind}`;
      const id = await api.createProject({ project_name: name, metadata: { public: String(isPublic) } });
      undo.push(() => deleteProjectWithRepositories(api, name));
      await pushImage(registry, `${name}/app`, 'v1', image);
      const members = (await api.request<Array<{ id: number }>>('GET', `/projects/${name}/members`)).data ?? [];
      fixture.projects[kind] = {
        kind,
        name,
        id,
        repository: 'app',
        tag: 'v1',
        digest: image.manifest.digest,
        configDigest: image.config.digest,
        memberId: members[0]?.id ?? 1,
      };
    }
    fixture.projects.missing = {
      ...fixture.projects.own,
      kind: 'missing',
      name: `${baseName}-none`,
      id: 987654321,
      memberId: 1,
    };

    const addUser = async (identityId: string) => {
      const username = `${baseName}-${identityId}`.slice(0, 60);
      const secret = password();
      secrets.push(secret);
      const created = await api.request('POST', '/users', {
        body: {
          username,
          password: secret,
          email: `${username}@example.com`,
          realname: identityId,
          comment: 'harbor-conformance access matrix',
        },
      });
      const userId = Number(/\/(\d+)$/.exec(created.headers.location ?? '')?.[1]);
      undo.push(async () => void (await api.request('DELETE', `/users/${userId}`, { expect: [200, 404] })));
      authorization.set(identityId, basic(username, secret));
      return username;
    };

    fixture.identities.push({ id: 'anonymous', kind: 'anonymous' });
    fixture.identities.push({ id: 'wrong-credentials', kind: 'wrong-credentials' });
    authorization.set('wrong-credentials', basic(WRONG_CREDENTIALS_USER, `${options.admin.password}-wrong`));
    fixture.identities.push({ id: 'non-member', kind: 'user' });
    await addUser('non-member');
    for (const member of memberIdentities) {
      if (member.kind !== 'member') continue;
      const username = await addUser(member.id);
      await api.request('POST', `/projects/${fixture.projects.own.name}/members`, {
        body: { role_id: roleIds[member.role], member_user: { username } },
      });
      fixture.identities.push(member);
    }

    const own = fixture.projects.own.name;
    const addRobot = async (identity: Identity, body: Record<string, unknown>) => {
      const created = (await api.request<{ id: number; name: string; secret: string }>('POST', '/robots', { body }))
        .data!;
      secrets.push(created.secret);
      if (body['level'] === 'system')
        undo.push(async () => void (await api.request('DELETE', `/robots/${created.id}`, { expect: [200, 404] })));
      authorization.set(identity.id, basic(created.name, created.secret));
      fixture.identities.push(identity);
    };
    for (const [index, permission] of grantableProjectPermissions.entries()) {
      const identity: Identity = { id: `robot ${permission}`, kind: 'project-robot', grants: [permission] };
      await addRobot(identity, {
        name: `g${index}`,
        duration: 1,
        level: 'project',
        permissions: [{ kind: 'project', namespace: own, access: [toAccess(permission)] }],
      });
    }
    const systemRobots: Array<Extract<Identity, { kind: 'system-robot' }>> = [
      {
        id: 'system-robot own',
        kind: 'system-robot',
        namespace: 'own',
        grants: ['repository:push', 'artifact:list', 'tag:list'],
        systemGrants: ['catalog:read', 'user:list'],
      },
      {
        id: 'system-robot *',
        kind: 'system-robot',
        namespace: '*',
        grants: ['repository:pull', 'artifact:read'],
        systemGrants: ['audit-log:list', 'registry:list', 'scanner:list'],
      },
    ];
    for (const [index, robot] of systemRobots.entries()) {
      await addRobot(robot, {
        name: `${baseName}-sys${index}`,
        duration: 1,
        level: 'system',
        permissions: [
          { kind: 'project', namespace: robot.namespace === '*' ? '*' : own, access: robot.grants.map(toAccess) },
          { kind: 'system', namespace: '/', access: robot.systemGrants.map(toAccess) },
        ],
      });
    }
    fixture.identities.push({ id: 'sysadmin', kind: 'sysadmin' });
    authorization.set('sysadmin', basic(options.admin.username, options.admin.password));
    return fixture;
  } catch (error) {
    await fixture.cleanup().catch(() => undefined);
    throw error;
  }
}

/**
 * A blob of the repository for the blob cells: the config of the artifact (of an index, of its first child). A
 * manifest digest is no blob of the repository (the registry answers 404). Read as the admin, with a pull.
 */
async function configBlobOf(registry: RegistryClient, repository: string, digest: string): Promise<string> {
  try {
    let manifest = (await registry.getManifest(repository, digest)).json;
    const child = (manifest['manifests'] as Array<{ digest?: string }> | undefined)?.[0]?.digest;
    if (child) manifest = (await registry.getManifest(repository, child)).json;
    return (manifest['config'] as { digest?: string } | undefined)?.digest ?? digest;
  } catch {
    // a pull policy may refuse the admin the manifest: the blob cells then ask for the manifest digest
    return digest;
  }
}

/**
 * Read-only: existing projects only (a public and a private one holding an artifact, when there are such),
 * and the callers that need no account: anonymous, wrong credentials, the admin.
 */
export async function discoverMatrixFixture(options: SetupOptions): Promise<MatrixFixture> {
  const { api, baseName } = options;
  const projects = await api.listAll<Project>('/projects');
  const withArtifact = async (candidates: Project[]) => {
    for (const project of candidates) {
      const repos =
        (
          await api.request<Array<{ name: string }>>('GET', `/projects/${project.name}/repositories`, {
            query: { page_size: 1 },
          })
        ).data ?? [];
      const repository = repos[0]?.name.slice(project.name.length + 1);
      if (!repository) continue;
      const artifacts =
        (
          await api.request<Array<{ digest: string; tags?: Array<{ name: string }> | null }>>(
            'GET',
            `/projects/${project.name}/repositories/${encodeURIComponent(encodeURIComponent(repository))}/artifacts`,
            { query: { page_size: 1, with_tag: true } },
          )
        ).data ?? [];
      const first = artifacts[0];
      if (!first) continue;
      const members =
        (
          await api.request<Array<{ id: number }>>('GET', `/projects/${project.name}/members`, {
            query: { page_size: 1 },
          })
        ).data ?? [];
      return {
        project,
        repository,
        digest: first.digest,
        tag: first.tags?.[0]?.name ?? first.digest,
        configDigest: await configBlobOf(options.registry, `${project.name}/${repository}`, first.digest),
        memberId: members[0]?.id ?? 1,
      };
    }
    return undefined;
  };
  const publicOne = await withArtifact(projects.filter((p) => p.metadata?.public === 'true'));
  const privateOne = await withArtifact(projects.filter((p) => p.metadata?.public !== 'true'));
  const toFixture = (kind: ProjectKind, found: NonNullable<typeof publicOne>): ProjectFixture => ({
    kind,
    name: found.project.name,
    id: found.project.project_id,
    repository: found.repository,
    tag: found.tag,
    digest: found.digest,
    configDigest: found.configDigest,
    memberId: found.memberId,
  });
  const fallback = publicOne ?? privateOne;
  if (!fallback)
    throw new Error(
      'the target holds no project with an artifact: the read-only access matrix has nothing to ask about',
    );
  const missing: ProjectFixture = {
    ...toFixture('missing', fallback),
    name: `${baseName}-none`,
    id: 987654321,
    memberId: 1,
  };
  const authorization = new Map<string, string>([
    ['wrong-credentials', basic(WRONG_CREDENTIALS_USER, `${options.admin.password}-wrong`)],
    ['sysadmin', basic(options.admin.username, options.admin.password)],
  ]);
  return {
    projects: {
      own: toFixture('own', privateOne ?? fallback),
      public: toFixture('public', publicOne ?? fallback),
      other: toFixture('other', privateOne ?? fallback),
      missing,
    },
    kinds: [...(privateOne ? (['other'] as const) : []), ...(publicOne ? (['public'] as const) : []), 'missing'],
    identities: [
      { id: 'anonymous', kind: 'anonymous' },
      { id: 'wrong-credentials', kind: 'wrong-credentials' },
      { id: 'sysadmin', kind: 'sysadmin' },
    ],
    authorization,
    manifest: '',
    manifestMediaType: '',
    absentUsername: `${baseName}-nobody`,
    secrets: [],
    cleanup: async () => undefined,
  };
}

export type { Robot };
