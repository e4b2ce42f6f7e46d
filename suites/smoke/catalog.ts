// Smoke suite: is this Harbor up, does it authenticate as Harbor does, and does the registry round-trip
// an image by digest. The first thing to run against any target.
import { defineCatalog } from '../check-definition.ts';

const registryAuth = 'NIST SP 800-190 4.2.3'; // registry countermeasures: authentication and authorization
const monitoring = 'NIST SP 800-53 CA-7'; // continuous monitoring of the service

export const catalog = defineCatalog('smoke', {
  ping: {
    id: 'SMOKE-001',
    title: 'the API answers /api/v2.0/ping with Pong',
    controls: [monitoring],
    mutating: false,
    evidence: ['GET /api/v2.0/ping exchange'],
  },
  systemInfo: {
    id: 'SMOKE-002',
    title: 'systeminfo hides harbor_version from anonymous callers and shows it to the admin',
    controls: [monitoring, 'NIST SP 800-53 SC-7'],
    mutating: false,
    evidence: ['anonymous and authenticated GET /api/v2.0/systeminfo exchanges'],
  },
  health: {
    id: 'SMOKE-003',
    title: 'the health endpoint reports the core components healthy',
    controls: [monitoring],
    mutating: false,
    evidence: ['GET /api/v2.0/health exchange, unhealthy components'],
  },
  adminAuth: {
    id: 'SMOKE-004',
    title: 'the admin authenticates with basic auth and is a system admin',
    controls: [registryAuth, 'NIST SP 800-53 IA-2'],
    mutating: false,
    evidence: ['GET /api/v2.0/users/current exchange (credentials redacted)'],
  },
  wrongPassword: {
    id: 'SMOKE-005',
    title: 'a wrong password is refused on an endpoint that needs authentication',
    controls: [registryAuth, 'NIST SP 800-53 IA-2'],
    mutating: false,
    evidence: ['GET /api/v2.0/configurations with a wrong password: 401 exchange'],
  },
  anonymousConfigurations: {
    id: 'SMOKE-006',
    title: 'anonymous callers cannot read the system configuration',
    controls: [registryAuth, 'NIST SP 800-53 AC-3'],
    mutating: false,
    evidence: ['anonymous GET /api/v2.0/configurations: 401 exchange'],
  },
  registryChallenge: {
    id: 'SMOKE-007',
    title: 'the registry challenges anonymous callers with Harbor token auth',
    controls: [registryAuth, 'NIST SP 800-190 4.2.1'],
    mutating: false,
    evidence: ['GET /v2/ exchange with its Www-Authenticate challenge'],
  },
  pushPull: {
    id: 'SMOKE-008',
    title: 'an image pushed with token auth pulls back by digest, byte for byte',
    controls: [registryAuth, 'NIST SP 800-190 4.1.5'],
    mutating: true,
    evidence: ['project create/delete, token, blob and manifest exchanges', 'pushed and pulled digests', 'push and pull timings'],
  },
});
