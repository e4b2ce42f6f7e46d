// The cells of the matrix: one question (identity × operation × project kind, or a spelling of it) with
// the answer Harbor's tables expect, probed against the target and judged. Pure apart from `probe`.
import type { RawAnswer, RawHttpProber, RawProbe } from '../support/raw-http-probe.ts';
import { mapLimited, sendPatiently } from '../support/raw-http-probe.ts';
import { projectPermission, systemPermission } from './expected-access.ts';
import { projectNamespacePolicies, registryActions, systemNamespacePolicies } from './harbor-rbac-policies.ts';
import { isAuthenticated, type Identity, type ProjectKind } from './identities.ts';
import type { MatrixFixture } from './matrix-fixture.ts';
import { operations, type Operation } from './operations.ts';
import { spellingsOf } from './path-spellings.ts';

export type CellArea = 'api' | 'registry' | 'token' | 'permissions' | 'spelling' | 'denial';

export interface Cell {
  key: string;
  area: CellArea;
  identity: string;
  /** Column of the picture, e.g. "GET /projects/{p}" or "GET /projects/{p} [trailing slash]". */
  operation: string;
  kind: ProjectKind | 'system';
  expected: string;
  actual: string;
  ok: boolean;
  /** A known Harbor weakness seen on this cell (the cell passes). */
  warning?: string;
  /** The first answer when it was a 5xx or none and the cell was asked again. */
  retried?: string;
  request: RawProbe;
  answer?: RawAnswer;
}

interface PlannedCell {
  key: string;
  area: CellArea;
  identity: Identity;
  operation: string;
  kind: ProjectKind | 'system';
  request: RawProbe;
  judge(answer: RawAnswer): { expected: string; actual: string; ok: boolean; warning?: string };
}

const statusJudge = (allowed: number[]) => (answer: RawAnswer) => ({
  expected: allowed.join('|'),
  actual: String(answer.status),
  ok: allowed.includes(answer.status),
});

/** Statuses a cell must answer: allowed ones when the tables allow it, else Harbor's denial. */
export function expectedStatuses(operation: Operation, identity: Identity, kind: ProjectKind | 'system'): number[] {
  const denial = operation.denial === 'registry' ? [401] : isAuthenticated(identity) ? [403] : [401];
  if (operation.scope === 'authenticated') {
    if (!isAuthenticated(identity)) return [401];
    // only a local user has a current user (user.go GetCurrentUserInfo): 412 for robots
    if (
      operation.id === 'GET /users/current' &&
      (identity.kind === 'project-robot' || identity.kind === 'system-robot')
    )
      return [412];
    return operation.allowed;
  }
  if (operation.scope === 'system')
    return systemPermission(identity, operation.permission) ? operation.allowed : denial;
  const projectKind = kind as ProjectKind;
  // v2auth: a GET or HEAD of a repository without an Authorization header is always challenged (#11271, auth.go).
  if (operation.area === 'registry' && identity.kind === 'anonymous') return [401];
  if (projectKind === 'missing' && identity.kind === 'sysadmin') return operation.missingAsAdmin ?? [404];
  let allowed = projectPermission(identity, operation.permission, projectKind);
  if (operation.alsoNeedsOwn) allowed &&= projectPermission(identity, operation.alsoNeedsOwn, 'own');
  // A robot creating a robot must hold what it grants (robot.go isValidPermissionScope): 403 DENIED.
  if (
    operation.id.startsWith('POST /robots') &&
    allowed &&
    identity.kind !== 'sysadmin' &&
    identity.kind !== 'member'
  ) {
    if (!projectPermission(identity, 'repository:pull', projectKind)) return [403];
  }
  return allowed ? operation.allowed : denial;
}

function headersFor(
  fixture: MatrixFixture,
  identity: Identity,
  extra: Record<string, string> = {},
): Record<string, string> {
  const authorization = fixture.authorization.get(identity.id);
  return { ...extra, ...(authorization ? { authorization } : {}) };
}

/** The project the cell runs in; `missing` is a name that does not exist. */
const kindsOf = (fixture: MatrixFixture) => fixture.kinds;

/**
 * Members and project robots hold their role or grants in the own project only; outside it Harbor's evaluator
 * never reads them (no member row, no policy for that namespace), so every member and robot is asked in its own
 * project and one of each (guest, the push robot) in every kind of project. Callers without a project of their
 * own (anonymous, wrong credentials, non-member, system robots, sysadmin) are asked everywhere.
 */
export const representatives = new Set(['member-guest', 'robot repository:push']);
function kindsFor(identity: Identity, fixture: MatrixFixture): ProjectKind[] {
  if ((identity.kind === 'member' || identity.kind === 'project-robot') && !representatives.has(identity.id)) {
    return fixture.kinds.filter((k) => k === 'own');
  }
  return fixture.kinds;
}

export function planCells(fixture: MatrixFixture, options: { mutating: boolean }): PlannedCell[] {
  const cells: PlannedCell[] = [];
  let counter = 0;
  const nextKey = () => `m${(counter++).toString(36)}`;
  const ops = operations.filter((op) => options.mutating || !op.mutating);

  for (const op of ops) {
    for (const identity of fixture.identities) {
      const kinds: Array<ProjectKind | 'system'> = op.scope === 'project' ? kindsFor(identity, fixture) : ['system'];
      for (const kind of kinds) {
        const key = nextKey();
        const project = fixture.projects[kind === 'system' ? 'own' : kind];
        const base = op.request(project, fixture, key);
        const request = { ...base, headers: headersFor(fixture, identity, base.headers) };
        cells.push({
          key,
          area: op.area === 'registry' ? 'registry' : 'api',
          identity,
          operation: op.id,
          kind,
          request,
          judge: statusJudge(expectedStatuses(op, identity, kind)),
        });
      }
    }
  }

  // The token service: the actions granted for a scope asking for all four (creator.go filters to what the caller may do).
  for (const identity of fixture.identities) {
    for (const kind of kindsFor(identity, fixture)) {
      const project = fixture.projects[kind];
      const name = `${project.name}/${project.repository}`;
      // An unknown project gives empty actions, for a sysadmin too (creator.go resourceFilter).
      const expected =
        kind === 'missing'
          ? []
          : registryActions.filter((action) => projectPermission(identity, `repository:${action}`, kind)).sort();
      cells.push({
        key: nextKey(),
        area: 'token',
        identity,
        operation: 'GET /service/token scope=pull,push,delete,scanner-pull',
        kind,
        request: {
          method: 'GET',
          path: `/service/token?service=harbor-registry&scope=repository:${name}:pull,push,delete,scanner-pull`,
          headers: headersFor(fixture, identity),
        },
        judge: (answer) => {
          const granted = answer.status === 200 ? grantedActions(answer.body, name) : undefined;
          const actual = granted === undefined ? `status ${answer.status}` : granted.join(',') || '(none)';
          return {
            expected: expected.join(',') || '(none)',
            actual,
            ok: granted !== undefined && granted.join(',') === expected.join(','),
          };
        },
      });
    }
  }

  // /users/current/permissions: what Harbor says the caller may do must be what its tables say.
  for (const identity of fixture.identities) {
    const scopes: Array<{ kind: ProjectKind | 'system'; scope: string; expected: string[] }> = [
      ...kindsOf(fixture).map((kind) => ({
        kind,
        scope: `/project/${fixture.projects[kind].id}`,
        // the project itself ("" resource) is not relative to the scope and is left out by Harbor (RelativeTo)
        expected: [...projectNamespacePolicies].filter(
          (p) => !p.startsWith('project:') && projectPermission(identity, p, kind),
        ),
      })),
      {
        kind: 'system' as const,
        scope: '/system',
        expected: [...systemNamespacePolicies].filter((p) => systemPermission(identity, p)),
      },
    ];
    for (const { kind, scope, expected } of scopes) {
      const want = isAuthenticated(identity) ? [...new Set(expected)].sort() : undefined;
      cells.push({
        key: nextKey(),
        area: 'permissions',
        identity,
        operation: `GET /users/current/permissions?scope=${kind === 'system' ? '/system' : '/project/{id}'}`,
        kind,
        request: {
          method: 'GET',
          path: `/api/v2.0/users/current/permissions?scope=${encodeURIComponent(scope)}&relative=true`,
          headers: headersFor(fixture, identity),
        },
        judge: (answer) => {
          if (!want) return { expected: '401', actual: String(answer.status), ok: answer.status === 401 };
          const got = answer.status === 200 ? permissionsOf(answer.body) : undefined;
          if (!got) return { expected: `${want.length} permissions`, actual: `status ${answer.status}`, ok: false };
          const missing = want.filter((p) => !got.includes(p));
          const extra = got.filter((p) => !want.includes(p));
          return {
            expected: `${want.length} permissions`,
            actual:
              missing.length + extra.length === 0
                ? `${got.length} permissions`
                : `missing ${missing.join(',') || '-'}; extra ${extra.join(',') || '-'}`,
            ok: missing.length + extra.length === 0,
          };
        },
      });
    }
  }

  // Path spellings of denied cells: a denial stays a denial whatever the spelling.
  const deniedCallers = fixture.identities
    .filter((i) => ['anonymous', 'user', 'project-robot'].includes(i.kind))
    .filter((i, index, all) => all.findIndex((j) => j.kind === i.kind) === index);
  if (!deniedCallers.some((i) => i.kind === 'user'))
    deniedCallers.push(...fixture.identities.filter((i) => i.kind === 'wrong-credentials'));
  for (const op of ops.filter((o) => o.spellings && !o.mutating)) {
    const kind: ProjectKind | 'system' =
      op.scope === 'project' ? (fixture.kinds.includes('other') ? 'other' : 'missing') : 'system';
    for (const identity of deniedCallers) {
      if (expectedStatuses(op, identity, kind).some((s) => op.allowed.includes(s))) continue;
      const project = fixture.projects[kind === 'system' ? 'own' : kind];
      const base = op.request(project, fixture, 'x');
      for (const spelling of spellingsOf(base.path, {
        project: project.name,
        publicProject: fixture.projects.public.name,
        scoped: op.scope === 'project',
      })) {
        cells.push({
          key: nextKey(),
          area: 'spelling',
          identity,
          operation: `${op.id} [${spelling.name}]`,
          kind,
          request: { ...base, path: spelling.path, headers: headersFor(fixture, identity, base.headers) },
          // a redirect to the canonical path is no bypass: the client asks again and is judged again
          judge: (answer) => ({
            expected: 'a denial or a redirect (3xx/4xx)',
            actual: String(answer.status),
            ok: answer.status >= 300 && answer.status < 500,
          }),
        });
      }
    }
  }
  return cells;
}

function grantedActions(body: string, name: string): string[] | undefined {
  try {
    const token = (JSON.parse(body) as { token?: string }).token ?? '';
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      access?: Array<{ type: string; name: string; actions: string[] }>;
    };
    return [
      ...new Set(
        (payload.access ?? []).filter((a) => a.type === 'repository' && a.name === name).flatMap((a) => a.actions),
      ),
    ].sort();
  } catch {
    return undefined;
  }
}

function permissionsOf(body: string): string[] | undefined {
  try {
    const list = JSON.parse(body) as Array<{ resource: string; action: string }> | null;
    return [...new Set((list ?? []).map((p) => `${p.resource}:${p.action}`))].sort();
  } catch {
    return undefined;
  }
}

/**
 * Probes every planned cell (bounded concurrency) and judges it. No cell of the matrix expects a 5xx or no answer:
 * such an answer is asked again (twice at most, after a pause) and the first one kept on the cell as `retried`,
 * so an overloaded stack does not paint a permission cell red while a persistent 5xx still does.
 */
export async function runCells(prober: RawHttpProber, planned: PlannedCell[], concurrency = 12): Promise<Cell[]> {
  return mapLimited(planned, concurrency, async (cell) => {
    const { answer, error, retried } = await sendPatiently(prober, cell.request);
    const outcome: Cell = answer
      ? { ...pick(cell), ...cell.judge(answer), answer }
      : { ...pick(cell), expected: '-', actual: `no answer: ${error ?? 'unknown'}`, ok: false };
    return retried ? { ...outcome, retried } : outcome;
  });
}

const pick = (cell: PlannedCell) => ({
  key: cell.key,
  area: cell.area,
  identity: cell.identity.id,
  operation: cell.operation,
  kind: cell.kind,
  request: cell.request,
});

/**
 * Denials must not tell more than a nonexistent project would: for every caller who is denied both in another
 * team's private project and in a project that does not exist, the two answers have the same status and body shape.
 * On /v2 Harbor itself answers a missing project with its own message (v2auth auth.go returns the lookup error):
 * a known weakness, recorded as a warning.
 */
export function denialCells(cells: readonly Cell[], fixture: MatrixFixture): Cell[] {
  if (!fixture.kinds.includes('other')) return [];
  const byKey = new Map(
    cells
      .filter((c) => c.area === 'api' || c.area === 'registry')
      .map((c) => [`${c.identity}|${c.operation}|${c.kind}`, c]),
  );
  const result: Cell[] = [];
  const normalise = (cell: Cell) =>
    (cell.answer?.body ?? '')
      .replaceAll(fixture.projects.other.name, '<project>')
      .replaceAll(fixture.projects.missing.name, '<project>')
      .replaceAll(String(fixture.projects.other.id), '<id>')
      .replaceAll(String(fixture.projects.missing.id), '<id>');
  for (const identity of fixture.identities.filter((i) => i.kind !== 'sysadmin')) {
    for (const op of operations) {
      const other = byKey.get(`${identity.id}|${op.id}|other`);
      const missing = byKey.get(`${identity.id}|${op.id}|missing`);
      if (!other?.answer || !missing?.answer || op.alsoNeedsOwn) continue;
      if (op.allowed.includes(other.answer.status)) continue; // not a denial (the matrix cell judges that)
      const sameStatus = other.answer.status === missing.answer.status;
      const sameBody = normalise(other) === normalise(missing);
      const warning =
        sameStatus && !sameBody && op.area === 'registry'
          ? 'Harbor answers /v2 for a project that does not exist with the lookup error instead of the denial (goharbor/harbor src/server/middleware/v2auth/auth.go@v2.15.2, projectID): same status, another message'
          : undefined;
      result.push({
        key: `${other.key}-${missing.key}`,
        area: 'denial',
        identity: identity.id,
        operation: op.id,
        kind: 'other',
        expected: `as for a missing project: ${missing.answer.status} ${normalise(missing).slice(0, 120)}`,
        actual: `${other.answer.status} ${normalise(other).slice(0, 120)}`,
        ok: sameStatus && (sameBody || warning !== undefined),
        ...(warning ? { warning } : {}),
        request: other.request,
        answer: other.answer,
      });
    }
  }
  return result;
}
