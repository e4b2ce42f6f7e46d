// Run-id projects for mutating checks, through lib/harbor-api.ts. Cleanup deletes the repositories
// first: Harbor refuses to delete a project that still holds repositories.
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

/** Deletes the project and its repositories; a project already gone is fine. */
export async function deleteProjectWithRepositories(api: HarborApiClient, name: string): Promise<void> {
  try {
    for (const repo of await api.listAll<{ name: string }>(`/projects/${encodeURIComponent(name)}/repositories`)) {
      await ignoreNotFound(api.deleteRepository(name, repo.name.slice(name.length + 1)));
    }
    await ignoreNotFound(api.deleteProject(name));
  } catch (error) {
    if (error instanceof HarborApiError && error.status === 404) return;
    throw error;
  }
}

async function ignoreNotFound(operation: Promise<void>): Promise<void> {
  try {
    await operation;
  } catch (error) {
    if (!(error instanceof HarborApiError && error.status === 404)) throw error;
  }
}
