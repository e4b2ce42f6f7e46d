// Who asks: every kind of caller Harbor's security chain can produce (src/server/middleware/security@v2.15.2),
// with what the matrix gives it. Project kinds are where it asks: its own private project (where members
// hold their role and project robots their grants), another team's public project, another team's
// private project, and a project that does not exist.
import type { ProjectRole } from './harbor-rbac-policies.ts';

export type ProjectKind = 'own' | 'public' | 'other' | 'missing';
export const projectKinds: readonly ProjectKind[] = ['own', 'public', 'other', 'missing'];

export type Identity =
  | { id: 'anonymous'; kind: 'anonymous' }
  /** Basic auth with a wrong password: Harbor's chain falls through to anonymous (security.go). */
  | { id: 'wrong-credentials'; kind: 'wrong-credentials' }
  | { id: 'non-member'; kind: 'user' }
  | { id: string; kind: 'member'; role: ProjectRole }
  /** A project robot of the own project holding exactly these project grants. */
  | { id: string; kind: 'project-robot'; grants: string[] }
  /** A system robot: project grants on the own project (or on every project with '*'), plus system grants. */
  | { id: string; kind: 'system-robot'; namespace: 'own' | '*'; grants: string[]; systemGrants: string[] }
  | { id: 'sysadmin'; kind: 'sysadmin' };

export const memberIdentities: Identity[] = (
  ['projectAdmin', 'maintainer', 'developer', 'guest', 'limitedGuest'] as const
).map((role) => ({
  id: `member-${role}`,
  kind: 'member',
  role,
}));

/** Whether the caller sends credentials Harbor accepts (401 versus 403 on a denial). */
export function isAuthenticated(identity: Identity): boolean {
  return identity.kind !== 'anonymous' && identity.kind !== 'wrong-credentials';
}

/** Identities the harness cannot create on a read-only target: they need nothing but the admin's credentials. */
export function needsNoSetup(identity: Identity): boolean {
  return identity.kind === 'anonymous' || identity.kind === 'wrong-credentials' || identity.kind === 'sysadmin';
}
