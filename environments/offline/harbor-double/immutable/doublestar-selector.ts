// Harbor's doublestar selector (goharbor/harbor src/lib/selector/selectors/doublestar/selector.go@v2.15.x) for one
// candidate: `matches`/`excludes` test the candidate's tags (a candidate without tags is selected as `untagged`
// says), `repoMatches`/`repoExcludes` its repository, `nsMatches`/`nsExcludes` its namespace; any other decoration
// selects nothing. Patterns are bmatcuk/doublestar v1 globs (`*` within a path segment, `**` across segments,
// `?`, `[...]`, `{a,b}`); an empty pattern matches everything.
import { minimatch } from 'minimatch';
import type { ImmutableSelector } from './immutable-rule.ts';

export interface Candidate {
  /** Repository name without the project (utils.ParseRepository). */
  repository: string;
  namespace: string;
  tags: readonly string[];
}

export interface MatchOptions {
  /** `**` is only `*` (Go's path.Match instead of doublestar): no pattern crosses a `/`. */
  noGlobstar?: boolean;
}

export function globMatches(pattern: string, value: string, options: MatchOptions = {}): boolean {
  if (pattern === '') return true;
  // doublestar knows neither negation, comments nor extglobs, and `*` matches leading dots.
  return minimatch(value, pattern, {
    dot: true,
    nonegate: true,
    nocomment: true,
    noext: true,
    noglobstar: options.noGlobstar === true,
  });
}

export function selects(
  selector: ImmutableSelector,
  candidate: Candidate,
  untagged: boolean,
  options: MatchOptions = {},
): boolean {
  const { decoration, pattern } = selector;
  const anyTag = (wanted: boolean) => candidate.tags.some((t) => globMatches(pattern, t, options) === wanted);
  switch (decoration) {
    case 'matches':
      return candidate.tags.length > 0 ? anyTag(true) : untagged;
    case 'excludes':
      return candidate.tags.length > 0 ? anyTag(false) : !untagged;
    case 'repoMatches':
    case 'repoExcludes':
    case 'nsMatches':
    case 'nsExcludes': {
      const value = decoration.startsWith('repo') ? candidate.repository : candidate.namespace;
      if (value === '') return false;
      const matched = globMatches(pattern, value, options);
      return decoration.endsWith('Excludes') ? !matched : matched;
    }
    default:
      return false;
  }
}
