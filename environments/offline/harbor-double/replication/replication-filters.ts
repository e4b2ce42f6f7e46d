// Replication filters (goharbor/harbor src/pkg/reg/filter/{repository,artifact}.go, src/pkg/reg/util/pattern.go
// @v2.15.2), ANDed, doublestar globs, an empty pattern matching everything:
// - name: the full repository name;
// - tag: keeps the matching tags of an artifact; an untagged artifact is matched against ""; an accessory is matched
//   by its subject's tags (ParentTags) and then keeps its own tags;
// - label: the artifact carries every listed label (`excludes` inverts);
// - resource: image or artifact (the double's artifacts are all images to replication).
import { globMatches } from '../immutable/doublestar-selector.ts';

export interface ReplicationFilter {
  type: 'name' | 'tag' | 'label' | 'resource';
  value: string | string[];
  decoration?: 'matches' | 'excludes';
}

export interface CandidateArtifact {
  digest: string;
  tags: string[];
  labels: string[];
  /** An accessory (signature, SBOM, OCI referrer) with its subject's tags. */
  accessoryOf?: { parentTags: string[] };
}

/** doublestar.Match; `*`/`**` also match the empty string (an untagged artifact). */
export function patternMatches(pattern: string, value: string): boolean {
  if (pattern === '') return true;
  if (value === '') return /^\**$/.test(pattern) || /^\{(?:[^}]*,)?\}$/.test(pattern);
  return globMatches(pattern, value);
}

export function repositoryMatches(filters: readonly ReplicationFilter[], repository: string): boolean {
  return filters.filter((f) => f.type === 'name').every((f) => patternMatches(String(f.value), repository));
}

export interface TagFilterOptions {
  /** accessories-skipped-by-tag-filter: accessories are matched by their own tags, not their subject's. */
  matchAccessoriesByOwnTags?: boolean;
}

function tagFilter(
  artifacts: CandidateArtifact[],
  pattern: string,
  excludes: boolean,
  options: TagFilterOptions,
): CandidateArtifact[] {
  if (pattern === '') return artifacts;
  const result: CandidateArtifact[] = [];
  for (const artifact of artifacts) {
    const forMatching =
      artifact.accessoryOf && !options.matchAccessoriesByOwnTags ? artifact.accessoryOf.parentTags : artifact.tags;
    if (forMatching.length === 0) {
      if (patternMatches(pattern, '') !== excludes) result.push(artifact);
      continue;
    }
    const kept = forMatching.filter((tag) => patternMatches(pattern, tag) !== excludes);
    if (kept.length === 0) continue;
    result.push(artifact.accessoryOf ? artifact : { ...artifact, tags: kept });
  }
  return result;
}

export function filterArtifacts(
  filters: readonly ReplicationFilter[],
  artifacts: CandidateArtifact[],
  options: TagFilterOptions = {},
): CandidateArtifact[] {
  let result = artifacts;
  for (const filter of filters) {
    const excludes = filter.decoration === 'excludes';
    if (filter.type === 'tag') result = tagFilter(result, String(filter.value), excludes, options);
    if (filter.type === 'label') {
      const wanted = Array.isArray(filter.value) ? filter.value : [];
      if (wanted.length === 0) continue;
      result = result.filter((a) => wanted.every((l) => a.labels.includes(l)) !== excludes);
    }
  }
  return result;
}
