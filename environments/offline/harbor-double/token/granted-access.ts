// What a token grants (goharbor/harbor src/core/service/token/token.go@v2.15.x): the requested actions are *replaced* by every action of
// pull/push/delete/scanner-pull the caller may do in the project; an unknown project gives none;
// registry:catalog:* keeps its actions for sysadmins only; any other type gives none.
import { isSysAdmin, type SecurityContext, type TokenAccess } from '../security/security-context.ts';
import type { ProjectFacts } from '../rbac/evaluator.ts';
import { projectOfRepository } from './token-scope.ts';

export const REPOSITORY_ACTIONS = ['pull', 'push', 'delete', 'scanner-pull'] as const;

export interface GrantDeps {
  project(name: string): Promise<ProjectFacts | undefined>;
  can(ctx: SecurityContext, project: ProjectFacts, action: string): Promise<boolean>;
}

export async function grantedAccess(
  ctx: SecurityContext,
  requested: TokenAccess[],
  deps: GrantDeps,
): Promise<TokenAccess[]> {
  const result: TokenAccess[] = [];
  for (const access of requested) {
    if (access.type === 'repository') {
      const project = await deps.project(projectOfRepository(access.name));
      const actions: string[] = [];
      if (project)
        for (const action of REPOSITORY_ACTIONS) if (await deps.can(ctx, project, action)) actions.push(action);
      result.push({ type: access.type, name: access.name, actions });
    } else if (access.type === 'registry' && access.name === 'catalog') {
      result.push({ type: access.type, name: access.name, actions: isSysAdmin(ctx) ? access.actions : [] });
    } else {
      result.push({ type: access.type, name: access.name, actions: [] });
    }
  }
  return result;
}
