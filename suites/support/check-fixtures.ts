// The fixtures a check asks its context for: `ctx.api` and `ctx.registry` (the admin's clients),
// `ctx.project(metadata)` and `ctx.robot(grant)`. Like Playwright Test fixtures they are created only when a
// check uses them, and what they create is removed after the check (also when it failed), last first.
import { HarborApiError, type HarborApiClient } from '../../lib/harbor-api.ts';
import type { ProjectMetadata } from '../../lib/harbor-api-types.ts';
import type { RegistryClient } from '../../lib/oci/registry-client.ts';
import type { Credentials } from '../../lib/target.ts';
import { harborApi, registryClient, type ClientContext } from './harbor-clients.ts';
import { createProject, deleteProjectWithRepositories } from './harbor-projects.ts';

/** A run-id project of this check; deleted with its repositories after the check. */
export interface ProjectWorkspace {
  name: string;
  id: number;
  /** `<project>/<name>` */
  repository(name: string): string;
  /** PUT the project's metadata (a step, recorded as evidence). */
  setMetadata(metadata: ProjectMetadata): Promise<void>;
}

/** A project robot; the secret is registered so evidence never shows it. */
export interface RobotGrant {
  project: ProjectWorkspace;
  /** Repository actions, e.g. ['pull'] (default) or ['pull', 'push']. */
  actions?: string[];
  /** Robot name inside the project (default robot1, robot2, …). */
  name?: string;
  /** Lifetime in days (default 1; -1 never expires). */
  duration?: number;
}

export interface RobotAccount {
  id: number;
  /** Full name, e.g. `robot$<project>+ci`. */
  name: string;
  credentials: Credentials;
}

export interface CheckFixtures {
  /** Harbor's API as the admin. */
  readonly api: HarborApiClient;
  /** The registry as the admin (bearer tokens, as docker gets them). */
  readonly registry: RegistryClient;
  /** A private run-id project (metadata as given, `public: 'false'` unless it says otherwise). */
  project(metadata?: ProjectMetadata): Promise<ProjectWorkspace>;
  robot(grant: RobotGrant): Promise<RobotAccount>;
}

/** What the fixtures need from the check running them. */
export interface FixtureHost extends ClientContext {
  readonly runId: string;
  readonly check: { id: string };
  resourceName(suffix?: string): string;
  secret(value: string): void;
  cleanup(fn: () => Promise<void> | void): void;
  step<T>(name: string, fn: () => Promise<T>): Promise<T>;
}

export function checkFixtures(host: FixtureHost): CheckFixtures {
  let api: HarborApiClient | undefined;
  let registry: RegistryClient | undefined;
  let projects = 0;
  let robots = 0;
  const fixtures: CheckFixtures = {
    get api() {
      if (!api) api = harborApi(host);
      return api;
    },
    get registry() {
      if (!registry) registry = registryClient(host);
      return registry;
    },
    async project(metadata = {}) {
      const admin = fixtures.api;
      projects += 1;
      const name = host.resourceName(projects === 1 ? undefined : `p${projects}`);
      const id = await host.step(`create project ${name} ${JSON.stringify(metadata)}`, () =>
        createProject(admin, name, { public: 'false', ...metadata }),
      );
      host.cleanup(() => host.step(`delete project ${name}`, () => deleteProjectWithRepositories(admin, name)));
      return {
        name,
        id,
        repository: (repository) => `${name}/${repository}`,
        setMetadata: (changed) =>
          host.step(`set ${name} metadata ${JSON.stringify(changed)}`, () =>
            admin.updateProjectMetadata(name, changed),
          ),
      };
    },
    async robot(grant) {
      const admin = fixtures.api;
      robots += 1;
      const actions = grant.actions ?? ['pull'];
      const name = grant.name ?? `robot${robots}`;
      const duration = grant.duration ?? 1;
      const created = await host.step(
        `create robot ${name} in ${grant.project.name} (${actions.join(', ')}; ${duration} day(s))`,
        () =>
          admin.createRobot({
            name,
            description: `harbor-conformance ${host.runId} ${host.check.id}`,
            level: 'project',
            duration,
            permissions: [
              {
                kind: 'project',
                namespace: grant.project.name,
                access: actions.map((action) => ({ resource: 'repository', action })),
              },
            ],
          }),
      );
      host.secret(created.secret);
      host.cleanup(() => host.step(`delete robot ${created.name}`, () => deleteRobotIfPresent(admin, created.id)));
      return { id: created.id, name: created.name, credentials: { username: created.name, password: created.secret } };
    },
  };
  return fixtures;
}

/** Deleting the project first removes its robots too: a robot already gone is fine. */
async function deleteRobotIfPresent(api: HarborApiClient, id: number): Promise<void> {
  try {
    await api.deleteRobot(id);
  } catch (error) {
    if (!(error instanceof HarborApiError && error.status === 404)) throw error;
  }
}
