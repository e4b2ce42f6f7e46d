// The event-based trigger (goharbor/harbor src/controller/event/handler/replication/event/handler.go@v2.15.2):
// after a manifest PUT (PUSH_ARTIFACT) and an artifact delete (DELETE_ARTIFACT), every enabled policy whose source
// is Local, whose trigger is event_based (and, for deletes, with `deletion` on) and whose filters keep the event's
// artifact starts an execution (trigger EVENT) for just that artifact. Runs in the background: the push or delete
// has already been answered.
import type { DoubleServices } from '../double-services.ts';
import type { ArtifactRow } from '../store/artifacts.ts';
import { tagsOf } from '../store/artifacts.ts';
import { allPolicies, type PolicyRow } from '../store/replication.ts';
import { filterArtifacts, repositoryMatches } from './replication-filters.ts';
import { startExecution } from './replication-flow.ts';
import { localArtifacts, type ReplicationResource } from './replication-resources.ts';

const log = (line: string) => process.stdout.write(`harbor-double: ${line}\n`);

async function matchingPolicies(
  services: DoubleServices,
  resource: ReplicationResource,
  deletion: boolean,
): Promise<PolicyRow[]> {
  const matchAccessoriesByOwnTags = services.faults.has('replication-accessories-skipped-by-tag-filter');
  return (await allPolicies(services.db)).filter(
    (p) =>
      p.enabled &&
      p.src_registry_id === 0 &&
      p.trigger?.type === 'event_based' &&
      (!deletion || p.replicate_deletion) &&
      repositoryMatches(p.filters, resource.repository) &&
      filterArtifacts(p.filters, resource.artifacts, { matchAccessoriesByOwnTags }).length > 0,
  );
}

/** PUSH_ARTIFACT: the pushed artifact (by tag: that tag) of `repository`. */
export function replicateOnPush(
  services: DoubleServices,
  repository: string,
  digest: string,
  tag?: string,
  operator = '',
): void {
  void (async () => {
    const candidate = (await localArtifacts(services, repository)).find((a) => a.digest === digest);
    if (!candidate) return;
    const artifact = tag && !candidate.accessoryOf ? { ...candidate, tags: [tag] } : candidate;
    const resource: ReplicationResource = { repository, type: 'artifact', artifacts: [artifact] };
    for (const policy of await matchingPolicies(services, resource, false))
      await startExecution(services, policy, 'EVENT', [resource], 'copy', operator);
  })().catch((error: unknown) => log(`event-based replication of a push failed: ${(error as Error).message}`));
}

/** Read before the artifact is deleted: what the DELETE_ARTIFACT event carries. */
export async function deletionEvent(services: DoubleServices, artifact: ArtifactRow): Promise<ReplicationResource> {
  const tags = (await tagsOf(services.db, artifact.id)).map((t) => t.name);
  return {
    repository: artifact.repository_name,
    type: 'artifact',
    artifacts: [{ digest: artifact.digest, tags, labels: [] }],
    deleted: true,
  };
}

/** DELETE_ARTIFACT, after the delete succeeded. */
export function replicateDeletion(services: DoubleServices, resource: ReplicationResource, operator = ''): void {
  void (async () => {
    for (const policy of await matchingPolicies(services, resource, true))
      await startExecution(services, policy, 'EVENT', [resource], 'deletion', operator);
  })().catch((error: unknown) => log(`event-based replication of a delete failed: ${(error as Error).message}`));
}
