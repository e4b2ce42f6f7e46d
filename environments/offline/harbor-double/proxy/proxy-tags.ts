// Tags list of a proxy-cache repository: the local tags and the upstream's, sorted and de-duplicated; when
// the upstream cannot be asked or fails, the local ones alone (goharbor/harbor
// src/server/middleware/repoproxy/tag.go TagsListMiddleware@v2.15.2). undefined: not a proxied repository.
import type { DoubleServices } from '../double-services.ts';
import { tagNames } from '../store/artifacts.ts';
import type { ProjectRow } from '../store/projects.ts';
import { remoteRepositoryOf, upstreamOf } from './proxy-manifest.ts';

export async function proxyTagNames(
  services: DoubleServices,
  project: ProjectRow,
  repository: string,
): Promise<string[] | undefined> {
  const upstream = await upstreamOf(services, project);
  if (!upstream) return undefined;
  const local = await tagNames(services.db, repository);
  const remote = await upstream.listTags(remoteRepositoryOf(project, repository)).catch(() => [] as string[]);
  return [...new Set([...local, ...remote])].sort();
}
