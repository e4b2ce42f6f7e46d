import { describe, expect, test } from 'vitest';
import { parseScopes, projectOfRepository } from './token-scope.ts';

describe('parseScopes', () => {
  test('one repository scope with two actions', () => {
    expect(parseScopes(['repository:p1/app:pull,push'])).toEqual([
      { type: 'repository', name: 'p1/app', actions: ['pull', 'push'] },
    ]);
  });
  test('several scopes in one parameter and across parameters', () => {
    expect(parseScopes(['repository:a/b:pull repository:c/d:push', 'registry:catalog:*'])).toEqual([
      { type: 'repository', name: 'a/b', actions: ['pull'] },
      { type: 'repository', name: 'c/d', actions: ['push'] },
      { type: 'registry', name: 'catalog', actions: ['*'] },
    ]);
  });
  test('a name holding a host with a port keeps its colons', () => {
    expect(parseScopes(['repository:host:5000/p/r:pull'])).toEqual([
      { type: 'repository', name: 'host:5000/p/r', actions: ['pull'] },
    ]);
  });
  test('short and empty scopes', () => {
    expect(parseScopes(['', 'repository', 'repository:p/r', 'repository:p/r:'])).toEqual([
      { type: 'repository', name: '', actions: [] },
      { type: 'repository', name: 'p/r', actions: [] },
      { type: 'repository', name: 'p/r', actions: [] },
    ]);
  });
});

describe('projectOfRepository', () => {
  test('takes the first path segment', () => {
    expect(projectOfRepository('p1/team/app')).toBe('p1');
    expect(projectOfRepository('app')).toBe('');
  });
});
