// Run-id projects for mutating checks, through lib/harbor-api.ts. Cleanup deletes the immutable tag rules and the
// repositories first: Harbor refuses to delete a project that still holds repositories.
import { HarborApiError, type HarborApiClient } from '../../lib/harbor-api.ts';
import type { ProjectMetadata } from '../../lib/harbor-api-types.ts';

/** Creates a project (private unless the metadata says otherwise); returns its id. */
export function createProject(
  api: HarborApiClient,
  name: string,
  metadata: ProjectMetadata = { public: 'false' },
): Promise<number> {
  return api.createProject({ project_name: name, metadata });
}

/**
 * Deletes the project and its repositories; a project already gone is fine. Immutable tag rules go first: an
 * immutable tag refuses the deletion of its repository (goharbor/harbor src/controller/tag/controller.go@v2.15.x).
 */
export async function deleteProjectWithRepositories(api: HarborApiClient, name: string): Promise<void> {
  try {
    await ignoreNotFound(deleteImmutableRules(api, name));
    for (const repo of await api.listAll<{ name: string }>(`/projects/${encodeURIComponent(name)}/repositories`)) {
      await ignoreNotFound(api.deleteRepository(name, repo.name.slice(name.length + 1)));
    }
    await ignoreNotFound(api.deleteProject(name));
  } catch (error) {
    if (error instanceof HarborApiError && error.status === 404) return;
    throw error;
  }
}

/** Deletes every immutable tag rule of the project. */
export async function deleteImmutableRules(api: HarborApiClient, name: string): Promise<void> {
  const project = encodeURIComponent(name);
  for (const rule of await api.listAll<{ id: number }>(`/projects/${project}/immutabletagrules`)) {
    await ignoreNotFound(api.request('DELETE', `/projects/${project}/immutabletagrules/${rule.id}`).then(() => {}));
  }
}

async function ignoreNotFound(operation: Promise<void>): Promise<void> {
  try {
    await operation;
  } catch (error) {
    if (!(error instanceof HarborApiError && error.status === 404)) throw error;
  }
}
