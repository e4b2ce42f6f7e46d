// A proxy-cache project of the check: a registry endpoint (POST /registries, type docker-registry) for the
// upstream and a project with its registry_id (POST /projects; goharbor/harbor
// src/server/v2.0/handler/project.go, registry.go@v2.15.2). Both are removed after the check, the project
// (with its cached repositories) first: Harbor refuses to delete a registry a proxy project still uses.
import { HarborApiError } from '../../lib/harbor-api.ts';
import type { ProjectMetadata } from '../../lib/harbor-api-types.ts';
import type { CheckContext } from '../check.ts';
import { deleteProjectWithRepositories } from '../support/harbor-projects.ts';

export interface ProxyProject {
  name: string;
  id: number;
  registryId: number;
  /** `<project>/<upstream repository>`: where a client pulls the upstream's `repository` through Harbor. */
  repository(upstreamRepository: string): string;
}

export interface EndpointSpec {
  /** The upstream as Harbor reaches it. */
  url: string;
  credential?: { accessKey: string; accessSecret: string };
}

export async function createRegistryEndpoint(ctx: CheckContext, spec: EndpointSpec, suffix: string): Promise<number> {
  const name = ctx.resourceName(suffix);
  if (spec.credential) ctx.secret(spec.credential.accessSecret);
  const created = await ctx.step(`create registry endpoint ${name} → ${spec.url}`, () =>
    ctx.api.request('POST', '/registries', {
      body: {
        name,
        type: 'docker-registry',
        url: spec.url,
        insecure: true,
        description: `harbor-conformance ${ctx.runId} ${ctx.check.id}`,
        ...(spec.credential
          ? {
              credential: {
                type: 'basic',
                access_key: spec.credential.accessKey,
                access_secret: spec.credential.accessSecret,
              },
            }
          : {}),
      },
    }),
  );
  const id = Number(
    String(created.headers.location ?? '')
      .split('/')
      .pop(),
  );
  if (!Number.isInteger(id) || id <= 0)
    throw new Error(`POST /registries answered ${created.status} without a Location ending in the new id`);
  ctx.cleanup(() =>
    ctx.step(`delete registry endpoint ${name}`, async () => {
      try {
        await ctx.api.request('DELETE', `/registries/${id}`);
      } catch (error) {
        if (!(error instanceof HarborApiError && error.status === 404)) throw error;
      }
    }),
  );
  return id;
}

export async function createProxyProject(
  ctx: CheckContext,
  registryId: number,
  metadata: ProjectMetadata = {},
  suffix = 'proxy',
): Promise<ProxyProject> {
  const name = ctx.resourceName(suffix);
  const id = await ctx.step(
    `create proxy-cache project ${name} (registry ${registryId}) ${JSON.stringify(metadata)}`,
    () =>
      ctx.api.createProject({
        project_name: name,
        registry_id: registryId,
        metadata: { public: 'false', ...metadata },
      }),
  );
  ctx.cleanup(() => ctx.step(`delete project ${name}`, () => deleteProjectWithRepositories(ctx.api, name)));
  return { name, id, registryId, repository: (upstreamRepository) => `${name}/${upstreamRepository}` };
}

/** An endpoint for the upstream and a proxy-cache project on it. */
export async function proxyProjectFor(
  ctx: CheckContext,
  spec: EndpointSpec,
  metadata: ProjectMetadata = {},
  suffix = 'proxy',
): Promise<ProxyProject> {
  const registryId = await createRegistryEndpoint(ctx, spec, `${suffix}-reg`);
  return createProxyProject(ctx, registryId, metadata, suffix);
}

/** Polls the proxy project until the artifact the pull cached is there (Harbor stores it asynchronously). */
export function cacheFillDeadlineMs(ctx: CheckContext): number {
  return ctx.target.proxyCache?.cacheFillDeadlineMs ?? 450_000;
}
