// Harbor's security generator chain (goharbor/harbor src/server/middleware/security/security.go@v2.15.x), in order: secret, v2 token (/v2 only), robot,
// basic auth; none matching → anonymous. Wrong credentials never fail the request here: they fall
// through to anonymous (after Harbor's 1.5 s login lock, login-lock.ts) and endpoints that need a user
// answer 401 themselves.
import type { DoubleServices } from '../double-services.ts';
import { secretMatches } from '../passwords.ts';
import { findRobotByStoredName } from '../store/robots.ts';
import { authenticateUser } from '../store/users.ts';
import { verifyRegistryToken } from '../token/registry-token.ts';
import { anonymous, type SecurityContext } from './security-context.ts';
import { LoginLock } from './login-lock.ts';

const processLoginLock = new LoginLock();

export interface RequestCredentials {
  path: string;
  authorization: string | undefined;
}

export function parseBasicAuth(header: string | undefined): { username: string; password: string } | undefined {
  if (!header || !/^basic /i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export async function resolveSecurityContext(
  services: DoubleServices,
  request: RequestCredentials,
): Promise<SecurityContext> {
  const header = request.authorization;
  if (!header) return anonymous;

  // secret: Harbor components talk to core with "Harbor-Secret <secret>".
  if (/^harbor-secret /i.test(header)) {
    const secret = header.slice('harbor-secret '.length).trim();
    const { coreSecret, jobserviceSecret } = services.config;
    if (secret !== '' && secret === jobserviceSecret) return { kind: 'secret', name: 'harbor-jobservice' };
    if (secret !== '' && secret === coreSecret) return { kind: 'secret', name: 'harbor-core' };
    return anonymous;
  }

  // v2token: bearer tokens are only understood on /v2.
  if (/^bearer /i.test(header)) {
    if (!request.path.startsWith('/v2')) return anonymous;
    const verified = await verifyRegistryToken(services.tokenKeys, header.slice(7).trim());
    if (!verified) return anonymous;
    return { kind: 'v2token', subject: verified.subject, access: verified.access, issuedAt: verified.issuedAt };
  }

  const basic = parseBasicAuth(header);
  if (!basic) return anonymous;

  const prefix = await services.systemConfig.get<string>('robot_name_prefix');
  if (basic.username.startsWith(prefix)) {
    const robot = await findRobotByStoredName(services.db, basic.username.slice(prefix.length));
    const disabled = robot?.disabled === true && !services.faults.has('disabled-robot-accepted');
    if (robot && secretMatches(basic.password, robot.salt, robot.secret_hash) && !disabled) {
      const expired = robot.expires_at !== -1 && robot.expires_at <= Math.floor(Date.now() / 1000);
      if (!expired || services.faults.has('expired-robot-accepted')) {
        return {
          kind: 'robot',
          robot: {
            id: robot.id,
            name: basic.username,
            level: robot.level,
            projectId: robot.project_id,
            permissions: robot.permissions,
          },
        };
      }
    }
    // A failed robot falls through to the basic-auth generator, which fails for robot$ names too.
  }

  // Harbor's auth.Login: a principal locked by a recent failure fails at once, even with the right password
  const lock = services.loginLock ?? processLoginLock;
  if (lock.isLocked(basic.username)) return anonymous;
  const user = await authenticateUser(services.db, basic.username, basic.password);
  if (user) return { kind: 'local', user };
  // default-admin-password: the deployment left the admin at Harbor's shipped password as well.
  if (services.faults.has('default-admin-password') && basic.username === 'admin' && basic.password === 'Harbor12345') {
    return { kind: 'local', user: { userId: 1, username: 'admin', sysadmin: true } };
  }
  await lock.failed(basic.username);
  return anonymous;
}
