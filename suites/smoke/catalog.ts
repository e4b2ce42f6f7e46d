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
    remediation:
      'Route /api/ to Harbor core (not the portal) in the reverse proxy or ingress, and check that core is running and answers /api/v2.0/ping.',
    caughtBy: ['api-routed-to-portal'],
  },
  systemInfo: {
    id: 'SMOKE-002',
    title: 'systeminfo hides harbor_version from anonymous callers and shows it to the admin',
    controls: [monitoring, 'NIST SP 800-53 SC-7'],
    mutating: false,
    evidence: ['anonymous and authenticated GET /api/v2.0/systeminfo exchanges'],
    remediation:
      'Upgrade to a Harbor that hides harbor_version from anonymous callers, and route /api/ to core so systeminfo answers as Harbor does.',
    caughtBy: ['api-routed-to-portal'],
  },
  health: {
    id: 'SMOKE-003',
    title: 'the health endpoint reports the core components healthy',
    controls: [monitoring],
    mutating: false,
    evidence: ['GET /api/v2.0/health exchange, unhealthy components'],
    remediation:
      'Bring the unhealthy components back (GET /api/v2.0/health names them and their error) before relying on this Harbor.',
    caughtBy: ['api-routed-to-portal'],
  },
  adminAuth: {
    id: 'SMOKE-004',
    title: 'the admin authenticates with basic auth and is a system admin',
    controls: [registryAuth, 'NIST SP 800-53 IA-2'],
    mutating: false,
    evidence: ['GET /api/v2.0/users/current exchange (credentials redacted)'],
    remediation:
      'Give the harness the credentials of a system administrator (HARBOR_USERNAME/HARBOR_PASSWORD) and make sure /api/ reaches core.',
    caughtBy: ['api-routed-to-portal'],
  },
  wrongPassword: {
    id: 'SMOKE-005',
    title: 'a wrong password is refused on an endpoint that needs authentication',
    controls: [registryAuth, 'NIST SP 800-53 IA-2'],
    mutating: false,
    evidence: ['GET /api/v2.0/configurations with a wrong password: 401 exchange'],
    remediation:
      'Make sure every API request reaches core, which refuses wrong credentials; a proxy answering for it hides authentication failures.',
    caughtBy: ['api-routed-to-portal'],
  },
  anonymousConfigurations: {
    id: 'SMOKE-006',
    title: 'anonymous callers cannot read the system configuration',
    controls: [registryAuth, 'NIST SP 800-53 AC-3'],
    mutating: false,
    evidence: ['anonymous GET /api/v2.0/configurations: 401 exchange'],
    remediation:
      'Route /api/ to Harbor core and expose the configuration through no other path; only system administrators may read it.',
    caughtBy: ['api-routed-to-portal'],
  },
  registryChallenge: {
    id: 'SMOKE-007',
    title: 'the registry challenges anonymous callers with Harbor token auth',
    controls: [registryAuth, 'NIST SP 800-190 4.2.1'],
    mutating: false,
    evidence: ['GET /v2/ exchange with its Www-Authenticate challenge'],
    remediation:
      "Send /v2/ through Harbor core (its token service); never publish the registry container's port or route /v2/ straight to distribution.",
    caughtBy: ['anonymous-catalog-leak'],
  },
  pushPull: {
    id: 'SMOKE-008',
    title: 'an image pushed with token auth pulls back by digest, byte for byte',
    controls: [registryAuth, 'NIST SP 800-190 4.1.5'],
    mutating: true,
    evidence: [
      'project create/delete, token, blob and manifest exchanges',
      'pushed and pulled digests',
      'push and pull timings',
    ],
    remediation:
      'Let the registry serve blobs itself when the object store is internal: harbor.yml storage_service.redirect.disable: true (Helm persistence.imageChartStorage.disableredirect: true).',
    caughtBy: ['storage-redirect-to-internal-endpoint'],
  },
});
