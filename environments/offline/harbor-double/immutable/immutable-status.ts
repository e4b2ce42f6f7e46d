// The immutable status of tags (goharbor/harbor src/controller/tag/controller.go populateImmutableStatus@v2.15.x)
// and the errors of the enforcement points that ask for it.
import type { DoubleServices } from '../double-services.ts';
import { unfixed } from '../faults/previous-patch.ts';
import { HarborError } from '../harbor-error.ts';
import { rulesOfProject } from '../store/immutable-rules.ts';
import type { ArtifactRow } from '../store/artifacts.ts';
import { tagsOf } from '../store/artifacts.ts';
import { isImmutable } from './rule-matcher.ts';

/** utils.ParseRepository: the repository name without its project. */
export const withoutProject = (repository: string): string => repository.slice(repository.indexOf('/') + 1);

/** The subset of `tags` (of one repository) that the project's enabled rules make immutable. */
export async function immutableTags(
  services: DoubleServices,
  projectId: number,
  repository: string,
  tags: readonly string[],
): Promise<Set<string>> {
  if (tags.length === 0) return new Set();
  const { rules } = await rulesOfProject(services.db, projectId);
  if (rules.length === 0) return new Set();
  // immutable-disabled-rules-enforced: the flag read from tag_filter, which a toggle never rewrites.
  const staleFlag = services.faults.has('immutable-disabled-rules-enforced');
  const effective = rules.map((s) => (staleFlag ? { ...s.rule, disabled: s.tagFilterDisabled } : s.rule));
  const options = {
    firstSelectorOnly: unfixed(services.faults, 'GHSA-27f2-qg57-2gwg'),
    noGlobstar: services.faults.has('immutable-nested-repositories-unprotected'),
  };
  const name = withoutProject(repository);
  return new Set(
    tags.filter((tag) => isImmutable(effective, { repository: name, namespace: '', tags: [tag] }, options)),
  );
}

/** For the artifact and tag listings: the immutable ones among `tags`, only when the caller asked (with_immutable_status). */
export function askedImmutableTags(
  services: DoubleServices,
  artifact: { project_id: number; repository_name: string },
  tags: readonly string[],
  asked: boolean,
): Promise<Set<string>> {
  return asked
    ? immutableTags(services, artifact.project_id, artifact.repository_name, tags)
    : Promise.resolve(new Set());
}

export async function isTagImmutable(
  services: DoubleServices,
  projectId: number,
  repository: string,
  tag: string,
): Promise<boolean> {
  return (await immutableTags(services, projectId, repository, [tag])).has(tag);
}

/** The push middleware's refusal (src/server/middleware/immutable/pushmf.go, error.go). */
export const pushRefused = (repository: string, tag: string) =>
  new HarborError(
    'PRECONDITION',
    `Failed to process request due to '${withoutProject(repository)}:${tag}' configured as immutable.`,
  );

/** tag controller Ensure: an existing immutable tag moved to another artifact. */
export const cannotBeUpdated = (tag: string) =>
  new HarborError('PRECONDITION', `the tag ${tag} configured as immutable, cannot be updated`);

/** tag controller Delete. */
export const cannotBeDeleted = (tag: string) =>
  new HarborError('PRECONDITION', `the tag ${tag} configured as immutable, cannot be deleted`);

/**
 * Deleting an artifact deletes its tags through the tag controller (artifact controller deleteDeeply →
 * DeleteTags), so an immutable tag refuses the whole deletion (the request's transaction is rolled back).
 */
export async function requireArtifactDeletable(services: DoubleServices, artifact: ArtifactRow): Promise<void> {
  // immutable-tags-deletable-via-artifact-api: tags removed with the artifact, past the tag controller's check.
  if (services.faults.has('immutable-tags-deletable-via-artifact-api')) return;
  const tags = (await tagsOf(services.db, artifact.id)).map((t) => t.name);
  const immutable = await immutableTags(services, artifact.project_id, artifact.repository_name, tags);
  const first = tags.find((t) => immutable.has(t));
  if (first !== undefined) throw cannotBeDeleted(first);
}
