// What a robot account can still do, seen the three ways Harbor lets it in (goharbor/harbor
// src/core/service/token/token.go, src/server/middleware/security/robot.go@v2.15.x):
// the docker-login probe (/service/token without scope), a pull token for a repository of its project,
// and the API. A refused robot falls through to anonymous: 401 at login, no actions, and 401 from an API
// endpoint that needs a user (a known robot without the permission gets 403 instead).
import type { Credentials } from '../../lib/target.ts';
import type { CheckContext } from '../check.ts';

export interface RobotAccess {
  /** Status of GET /service/token?service=harbor-registry (no scope): 200 logged in, 401 refused. */
  loginStatus: number;
  /** Actions the token service granted for repository:<project>/probe:pull. */
  pullActions: string[];
  /** GET /api/v2.0/projects/<project> (private) answered as to an authenticated caller (200 or 403, not 401). */
  apiAuthenticated: boolean;
}

export async function probeRobotAccess(
  ctx: Pick<CheckContext, 'http' | 'evidence'>,
  robot: Credentials,
  project: string,
): Promise<RobotAccess> {
  const auth = { basic: robot };
  const login = await ctx.http.get('/service/token?service=harbor-registry', { auth });
  const scoped = await ctx.http.get(
    `/service/token?service=harbor-registry&scope=${encodeURIComponent(`repository:${project}/probe:pull`)}`,
    { auth },
  );
  let pullActions: string[] = [];
  if (scoped.status === 200) {
    const claims = decodeJwtPayload(scoped.json<{ token?: string }>().token ?? '');
    pullActions = (claims.access ?? []).flatMap((entry) => (entry.name === `${project}/probe` ? entry.actions : []));
  }
  const read = await ctx.http.get(`/api/v2.0/projects/${encodeURIComponent(project)}`, {
    auth,
    headers: { 'x-is-resource-name': 'true' },
  });
  const access = {
    loginStatus: login.status,
    pullActions,
    apiAuthenticated: read.status === 200 || read.status === 403,
  };
  // The tokens themselves are redacted in the evidence; what they granted is recorded here.
  ctx.evidence.note(`access of ${robot.username}`, JSON.stringify({ ...access, apiStatus: read.status }));
  return access;
}

function decodeJwtPayload(token: string): { access?: Array<{ name: string; actions: string[] }> } {
  const payload = token.split('.')[1];
  if (!payload) return {};
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
    access?: Array<{ name: string; actions: string[] }>;
  };
}
