// Parsing of the `scope` query parameters of /service/token, as Harbor does it: each parameter may hold
// several space-separated scopes; a scope is `type[:name[:actions]]`, the name may itself contain
// colons (a registry host with a port), the actions are comma-separated.
import type { TokenAccess } from '../security/security-context.ts';

export function parseScopes(scopeParams: readonly string[]): TokenAccess[] {
  const result: TokenAccess[] = [];
  for (const param of scopeParams) {
    for (const scope of param.split(' ')) {
      if (scope === '') continue;
      const items = scope.split(':');
      const type = items[0] ?? '';
      if (items.length === 1) {
        result.push({ type, name: '', actions: [] });
      } else if (items.length === 2) {
        result.push({ type, name: items[1] ?? '', actions: [] });
      } else {
        const last = items[items.length - 1] ?? '';
        result.push({ type, name: items.slice(1, -1).join(':'), actions: last === '' ? [] : last.split(',') });
      }
    }
  }
  return result;
}

/** Project of a repository name: the part before the first slash ("" when there is no slash). */
export function projectOfRepository(repository: string): string {
  const slash = repository.indexOf('/');
  return slash < 0 ? '' : repository.slice(0, slash);
}
