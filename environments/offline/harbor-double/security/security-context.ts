// Who is calling. Harbor builds one security context per request from a chain of generators
// (goharbor/harbor src/server/middleware/security/security.go@v2.15.x); these are the kinds the double produces.

export interface LocalUser {
  userId: number;
  username: string;
  sysadmin: boolean;
}

export interface RobotAccess {
  resource: string;
  action: string;
  effect?: string;
}

export interface RobotPermission {
  kind: 'project' | 'system';
  namespace: string;
  access: RobotAccess[];
}

export interface RobotIdentity {
  id: number;
  /** Full name with prefix, e.g. robot$p1+ci */
  name: string;
  level: 'system' | 'project';
  projectId: number;
  permissions: RobotPermission[];
}

export interface TokenAccess {
  type: string;
  name: string;
  actions: string[];
}

export type SecurityContext =
  | { kind: 'anonymous' }
  | { kind: 'local'; user: LocalUser }
  | { kind: 'robot'; robot: RobotIdentity }
  /** A registry bearer token presented on /v2 (Harbor's "v2token" context). */
  | { kind: 'v2token'; subject: string; access: TokenAccess[]; issuedAt: number | undefined }
  /** Harbor-Secret of jobservice or core itself (Harbor's "secret" context, a solution user). */
  | { kind: 'secret'; name: string };

export const anonymous: SecurityContext = { kind: 'anonymous' };

export function isAuthenticated(ctx: SecurityContext): boolean {
  return ctx.kind !== 'anonymous';
}

export function isSysAdmin(ctx: SecurityContext): boolean {
  return ctx.kind === 'local' && ctx.user.sysadmin;
}

export function usernameOf(ctx: SecurityContext): string {
  switch (ctx.kind) {
    case 'anonymous':
      return 'anonymous';
    case 'local':
      return ctx.user.username;
    case 'robot':
      return ctx.robot.name;
    case 'v2token':
      return ctx.subject || 'anonymous';
    case 'secret':
      return ctx.name;
  }
}
