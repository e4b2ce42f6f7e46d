import { describe, expect, it } from 'vitest';
import { destinationRepository } from './destination-name.ts';

describe('destination repository (stage.go replaceNamespace)', () => {
  it.each([
    [-1, 'n/image'],
    [0, 'n/a/b/c/image'],
    [1, 'n/b/c/image'],
    [2, 'n/c/image'],
    [3, 'n/image'],
  ])('replace count %i → %s', (count, expected) => {
    expect(destinationRepository('a/b/c/image', 'n', count, 'any')).toBe(expected);
  });

  it('refuses a count beyond the path and keeps the name without a namespace', () => {
    expect(() => destinationRepository('a/b/c/image', 'n', 4, 'any')).toThrow(/flattening level is 4/);
    expect(destinationRepository('a/b/c/image', '', 2, 'any')).toBe('a/b/c/image');
  });

  it('models the off-by-one defect only when asked', () => {
    expect(destinationRepository('a/b/c/image', 'n', 1, 'any', { flattenOneLevelLess: true })).toBe('n/a/b/c/image');
  });
});
