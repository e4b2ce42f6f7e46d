import { describe, expect, it } from 'vitest';
import { type CandidateArtifact, filterArtifacts, patternMatches, repositoryMatches } from './replication-filters.ts';

const image = (digest: string, tags: string[]): CandidateArtifact => ({ digest, tags, labels: [] });

describe('replication filters', () => {
  it('matches names with doublestar globs over the full repository name', () => {
    const filters = [{ type: 'name' as const, value: 'proj/**' }];
    expect(repositoryMatches(filters, 'proj/a/b')).toBe(true);
    expect(repositoryMatches(filters, 'other/a')).toBe(false);
    expect(repositoryMatches([{ type: 'name', value: 'proj/*' }], 'proj/a/b')).toBe(false);
  });

  it('tag ** keeps untagged artifacts; v* does not', () => {
    const artifacts = [image('a', ['v1', 'dev']), image('b', [])];
    expect(filterArtifacts([{ type: 'tag', value: '**' }], artifacts).map((a) => a.digest)).toEqual(['a', 'b']);
    const v = filterArtifacts([{ type: 'tag', value: 'v*' }], artifacts);
    expect(v).toEqual([{ digest: 'a', tags: ['v1'], labels: [] }]);
    expect(patternMatches('*', '')).toBe(true);
  });

  it('excludes inverts per tag', () => {
    const out = filterArtifacts([{ type: 'tag', value: 'dev', decoration: 'excludes' }], [image('a', ['v1', 'dev'])]);
    expect(out[0]!.tags).toEqual(['v1']);
  });

  it('accessories follow their subject tags and keep their own', () => {
    const signature: CandidateArtifact = {
      digest: 's',
      tags: ['sha256-abc.sig'],
      labels: [],
      accessoryOf: { parentTags: ['v1'] },
    };
    const out = filterArtifacts([{ type: 'tag', value: 'v*' }], [signature]);
    expect(out).toEqual([signature]);
    expect(filterArtifacts([{ type: 'tag', value: 'v*' }], [signature], { matchAccessoriesByOwnTags: true })).toEqual(
      [],
    );
  });

  it('labels: every listed label, excludes inverts', () => {
    const labelled = { digest: 'a', tags: ['v1'], labels: ['prod', 'eu'] };
    expect(filterArtifacts([{ type: 'label', value: ['prod'] }], [labelled])).toHaveLength(1);
    expect(filterArtifacts([{ type: 'label', value: ['prod', 'us'] }], [labelled])).toHaveLength(0);
    expect(filterArtifacts([{ type: 'label', value: ['prod'], decoration: 'excludes' }], [labelled])).toHaveLength(0);
  });
});
