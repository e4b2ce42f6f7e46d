// Security defaults: is this Harbor configured the way the team's baseline (policies/default-policy.json,
// or --policy FILE) says, and does it refuse the accounts it should? Read-only checks are safe against
// production; mutating ones work inside run-id projects and clean up.
import { defineCatalog } from '../check-definition.ts';

const registryAccess = 'NIST SP 800-190 4.2.3'; // registry: insufficient authentication and authorization
const staleImages = 'NIST SP 800-190 4.2.2'; // registry: stale images
const imageVulns = 'NIST SP 800-190 4.1.1'; // image vulnerabilities
const untrustedImages = 'NIST SP 800-190 4.1.5'; // use of untrusted images

export const catalog = defineCatalog('security-defaults', {
  defaultAdminPassword: {
    id: 'SEC-001',
    title: "the admin account refuses Harbor's shipped default password Harbor12345",
    controls: [registryAccess, 'NIST SP 800-53 IA-5(1)', 'CIS Controls v8 4.7'],
    mutating: false,
    evidence: ['GET /api/v2.0/users/current as admin with the default password: 401 exchange (password redacted)'],
    remediation:
      "Change the admin password (harbor_admin_password only applies on the first start): the admin's Change Password in the UI, or PUT /api/v2.0/users/1/password.",
    caughtBy: ['default-admin-password'],
  },
  selfRegistration: {
    id: 'SEC-002',
    title: 'self-registration is off (or as the policy says), in systeminfo and in the configuration',
    controls: [registryAccess, 'NIST SP 800-53 AC-2'],
    mutating: false,
    evidence: ['anonymous GET /api/v2.0/systeminfo', 'admin GET /api/v2.0/configurations (self_registration)'],
    remediation:
      'Turn self-registration off: Configuration > Authentication > Allow Self-Registration, or PUT /api/v2.0/configurations {"self_registration": false}.',
    caughtBy: ['self-registration-open'],
  },
  anonymousProjects: {
    id: 'SEC-003',
    title: 'anonymous callers see only public projects',
    controls: [registryAccess, 'NIST SP 800-53 AC-3', 'NIST SP 800-53 AC-14'],
    mutating: false,
    evidence: [
      'anonymous and admin GET /api/v2.0/projects (all pages)',
      'anonymous GET /api/v2.0/projects?public=false',
    ],
    remediation:
      'Keep projects private unless they are meant for everyone, and upgrade a Harbor that lists private projects to anonymous callers.',
    caughtBy: ['private-project-listed-to-anonymous'],
  },
  anonymousCatalog: {
    id: 'SEC-004',
    title: 'anonymous callers cannot list the registry catalog',
    controls: [registryAccess, 'NIST SP 800-53 AC-3'],
    mutating: false,
    evidence: ['anonymous GET /v2/_catalog: 401 exchange with its challenge'],
    remediation:
      "Route /v2/ through Harbor core and never publish the registry container's port: only system administrators may list the catalog.",
    caughtBy: ['anonymous-catalog-leak'],
  },
  projectCreation: {
    id: 'SEC-005',
    title: 'project creation is restricted as the policy says (project_creation_restriction)',
    controls: [registryAccess, 'NIST SP 800-53 AC-6', 'NIST SP 800-53 CM-6'],
    mutating: false,
    evidence: ['admin GET /api/v2.0/configurations (project_creation_restriction)'],
    remediation:
      'Restrict project creation to administrators: Configuration > System Settings > Project Creation, or PUT /api/v2.0/configurations {"project_creation_restriction": "adminonly"}.',
    caughtBy: ['project-creation-open'],
  },
  robotExpiry: {
    id: 'SEC-006',
    title: 'robot accounts expire: none never-expiring or longer-lived than the policy allows',
    controls: [registryAccess, 'NIST SP 800-53 AC-2(3)', 'NIST SP 800-53 IA-5'],
    mutating: false,
    evidence: ['admin GET /api/v2.0/robots (system and per project)', 'the robots out of policy, by name'],
    remediation:
      'Give every robot account an expiry within the policy (refresh its secret instead of extending it) and delete never-expiring ones.',
    caughtBy: ['unhardened-defaults'],
  },
  robotLeastPrivilege: {
    id: 'SEC-007',
    title:
      'robot accounts carry least privilege: no system-level, all-project or administrative robots beyond the policy',
    controls: [registryAccess, 'NIST SP 800-53 AC-6', 'NIST SP 800-53 AC-6(5)'],
    mutating: false,
    evidence: [
      'admin GET /api/v2.0/robots (system and per project)',
      'the robots out of policy, with the permission at fault',
    ],
    remediation:
      'Replace system-level and all-project robots with project robots holding only the actions they need, and remove administrative system permissions.',
    caughtBy: ['unhardened-defaults'],
  },
  projectBaseline: {
    id: 'SEC-008',
    title:
      'every project carries the security metadata of the baseline (auto_scan, prevent_vul, severity, content trust)',
    controls: [imageVulns, untrustedImages, 'NIST SP 800-53 CM-2', 'NIST SP 800-53 RA-5'],
    mutating: false,
    evidence: ['admin GET /api/v2.0/projects (all pages)', 'each project out of baseline with the keys at fault'],
    remediation:
      'Set the baseline metadata on every project (auto_scan, prevent_vul with a severity, content trust), or list the project as exempt in the policy.',
    caughtBy: ['unhardened-defaults'],
  },
  defaultScanner: {
    id: 'SEC-009',
    title: 'a default vulnerability scanner is registered, enabled and healthy',
    controls: [imageVulns, 'NIST SP 800-53 RA-5'],
    mutating: false,
    evidence: ['admin GET /api/v2.0/scanners', 'GET /api/v2.0/scanners/{uuid}/metadata of the default'],
    remediation:
      'Register a vulnerability scanner and make it the default (install with Trivy, or Interrogation Services > Scanners > Set as default), and keep it healthy.',
    caughtBy: ['no-default-scanner'],
  },
  gcSchedule: {
    id: 'SEC-010',
    title: 'garbage collection is scheduled where the policy asks',
    controls: [staleImages, 'NIST SP 800-53 CM-6'],
    mutating: false,
    evidence: ['admin GET /api/v2.0/system/gc/schedule'],
    remediation:
      'Schedule garbage collection (Administration > Clean Up > Schedule, or PUT /api/v2.0/system/gc/schedule) so deleted artifacts free their storage.',
    caughtBy: ['unhardened-defaults'],
  },
  retentionSchedule: {
    id: 'SEC-011',
    title: 'every project has a scheduled tag retention policy where the policy asks',
    controls: [staleImages, 'NIST SP 800-53 SI-12'],
    mutating: false,
    evidence: ['admin GET /api/v2.0/projects', 'GET /api/v2.0/retentions/{id} of each project'],
    remediation:
      'Add a scheduled tag retention policy to every project (Project > Policy > Tag Retention), or exempt the project in the policy.',
    caughtBy: ['unhardened-defaults'],
  },
  privateProjectHidden: {
    id: 'SEC-012',
    title: 'a private project is invisible to anonymous callers (list, read, repositories)',
    controls: [registryAccess, 'NIST SP 800-53 AC-3'],
    mutating: true,
    evidence: [
      'run-id project create/delete',
      'anonymous GET /api/v2.0/projects, /projects/{name}, /projects/{name}/repositories',
    ],
    remediation:
      'Upgrade a Harbor that shows private projects to anonymous callers; meanwhile keep sensitive projects out of it.',
    caughtBy: ['private-project-listed-to-anonymous'],
  },
  disabledRobot: {
    id: 'SEC-013',
    title: 'a disabled robot account is refused by the registry login, the token service and the API',
    controls: [registryAccess, 'NIST SP 800-53 AC-2(3)'],
    mutating: true,
    evidence: [
      'run-id project and robot create/disable/delete',
      '/service/token and /api/v2.0/projects exchanges before and after (secret redacted)',
    ],
    remediation:
      'Delete robot accounts that must stop working (rather than only disabling them) until the Harbor in use refuses disabled robots.',
    caughtBy: ['disabled-robot-accepted'],
  },
  expiredRobot: {
    id: 'SEC-014',
    title: 'an expired robot account is refused by the registry login, the token service and the API',
    controls: [registryAccess, 'NIST SP 800-53 AC-2(3)', 'NIST SP 800-53 IA-5'],
    mutating: true,
    requires: ['faultInjection'],
    evidence: [
      'run-id project and robot create/delete',
      'the robot aged past expires_at in the database',
      '/service/token and /api/v2.0/projects exchanges before and after',
    ],
    remediation:
      'Upgrade past https://github.com/goharbor/harbor/issues/15110; meanwhile delete robot accounts when they expire and detect long-lived ones (SEC-006).',
    caughtBy: ['expired-robot-accepted'],
  },
  robotLifetimeUnenforced: {
    id: 'SEC-015',
    title:
      'known weakness: Harbor enforces no robot lifetime (duration -1 and beyond robot_token_duration are accepted)',
    controls: [registryAccess, 'NIST SP 800-53 AC-2(3)'],
    mutating: true,
    evidence: [
      'admin GET /api/v2.0/configurations (robot_token_duration)',
      'robot create/delete exchanges with the durations Harbor accepted',
    ],
    remediation:
      'Enforce robot lifetimes yourself: run SEC-006 on a schedule and refuse never-expiring robots in the automation that creates them.',
    caughtBy: ['api-routed-to-portal'],
    expectWarn: true,
  },
  robotPermissionScope: {
    id: 'SEC-016',
    title: "robots cannot be granted permissions outside Harbor's grantable set (system configuration, scanner-pull)",
    controls: [registryAccess, 'NIST SP 800-53 AC-6', 'NIST SP 800-53 AC-6(10)'],
    mutating: true,
    evidence: [
      'run-id project create/delete',
      'POST /api/v2.0/robots with configuration:read and repository:scanner-pull: 400 exchanges',
    ],
    remediation:
      "Upgrade to Harbor >= v2.10 (robot permissions validated against the grantable set, https://github.com/goharbor/harbor/pull/19598) and review robots' permissions.",
    caughtBy: ['robot-permission-unvalidated'],
  },
});
