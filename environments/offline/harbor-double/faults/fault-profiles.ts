// Fault profiles: named defects of the double, each modelled on a real Harbor bug or misconfiguration,
// switched on by HARBOR_DOUBLE_FAULT_PROFILE so the harness can prove that a check fails when it should.

export interface FaultProfile {
  name: string;
  /** What goes wrong, in Harbor's terms. */
  defect: string;
  /** The real issue, advisory or misconfiguration it models. */
  modelledOn: string;
}

export const faultProfiles: readonly FaultProfile[] = [
  {
    name: 'anonymous-catalog-leak',
    defect: 'GET /v2/_catalog answers anonymous callers and lists every repository, private projects included.',
    modelledOn:
      'Misconfiguration: /v2/ routed to distribution (or its port published) without core\'s v2auth in front, so the ' +
      'catalog is served unauthenticated. Harbor itself keeps _catalog sysadmin-only (catalog:read), as its maintainers ' +
      'restate in goharbor/harbor#6784, #13573 and #18414.',
  },
  {
    name: 'expired-robot-accepted',
    defect: 'Robot accounts whose expires_at has passed still authenticate (basic auth and /service/token).',
    modelledOn:
      'goharbor/harbor#15110 (an expired robot token still logs in to the registry, v2.2.0 with v1 robots) and ' +
      'goharbor/harbor#13946 (an edited robot expiration not taking effect, fixed in #13944).',
  },
  {
    name: 'default-admin-password',
    defect: 'The admin account also authenticates with Harbor\'s shipped default password Harbor12345.',
    modelledOn:
      'Misconfiguration: harbor_admin_password left at Harbor12345 in harbor.yml (make/harbor.yml.tmpl) or ' +
      'harborAdminPassword in the Helm chart\'s values.yaml; Harbor applies it on the first start and never ' +
      'forces a change (policy-facts.md §1.1).',
  },
  {
    name: 'self-registration-open',
    defect: 'self_registration is on: systeminfo and /configurations report it true.',
    modelledOn:
      'Misconfiguration: self-registration enabled under db_auth. It is the precondition of CVE-2019-16097 ' +
      '(Harbor 1.7.0-1.8.2: anyone could register an account with the admin role via POST /api/users).',
  },
  {
    name: 'disabled-robot-accepted',
    defect: 'Robot accounts with disable=true still authenticate (basic auth on /api and /v2, /service/token).',
    modelledOn:
      'A regression of the robot generator\'s disable check (src/server/middleware/security/robot.go), the path ' +
      'tests/apitests/python/test_robot_account.py asserts; the same generator let expired robots in (goharbor/harbor#15110).',
  },
  {
    name: 'robot-permission-unvalidated',
    defect: 'POST/PUT /robots accept any resource:action, e.g. system configuration:read or repository:scanner-pull.',
    modelledOn:
      'Harbor before v2.10 did not check robot permissions against its predefined scope (fixed by goharbor/harbor#19598); ' +
      'related: GHSA-xx9w-464f-7h6f / CVE-2022-31667 (robot update without permission validation) and goharbor/harbor#21026.',
  },
  {
    name: 'private-project-listed-to-anonymous',
    defect: 'GET /api/v2.0/projects lists private projects to anonymous callers.',
    modelledOn:
      'A regression of the anonymous project-list filter (src/server/v2.0/handler/project.go: anonymous callers get ' +
      'public=true only), the behaviour Harbor\'s maintainers restate in goharbor/harbor#20136 and #247.',
  },
  {
    name: 'vulnerability-policy-skips-digest-pulls',
    defect: 'prevent_vul is enforced on pulls by tag only: GET/HEAD /v2/<repo>/manifests/sha256:… of a blocked image succeeds.',
    modelledOn:
      'A policy check keyed on the tag instead of the resolved artifact (Harbor resolves both in ' +
      'src/server/middleware/vulnerable/vulnerable.go). No Harbor issue with this exact defect is known: UNCONFIRMED as a real regression.',
  },
  {
    name: 'cve-allowlist-expiry-ignored',
    defect: 'An expired CVE allowlist (project or system) still exempts its CVEs from the pull blocker.',
    modelledOn:
      'A regression of CVEAllowlist.IsExpired (src/pkg/allowlist/models/cve_allowlist.go), the expiry the Robot UI ' +
      'tests assert (tests/resources/TestCaseBody.robot: set expired → blocked). No Harbor issue known: UNCONFIRMED as a real regression.',
  },
  {
    name: 'scan-on-push-skipped',
    defect: 'auto_scan="true" projects never scan pushed artifacts (no scan_overview appears until a manual scan).',
    modelledOn:
      'Scan on push silently not happening, e.g. jobservice not consuming the queue or the push event handler ' +
      '(src/controller/event/handler/internal/artifact.go) not firing; the precise Harbor issue is UNCONFIRMED.',
  },
];

export class UnknownFaultProfileError extends Error {
  override name = 'UnknownFaultProfileError';
}

/** The active profile names ("" = none; several may be given comma-separated). */
export function resolveFaultProfiles(setting: string): Set<string> {
  const names = setting
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '');
  const known = new Set(faultProfiles.map((p) => p.name));
  for (const name of names) {
    if (!known.has(name)) {
      throw new UnknownFaultProfileError(
        `unknown HARBOR_DOUBLE_FAULT_PROFILE "${name}"; known profiles: ${[...known].join(', ')}`,
      );
    }
  }
  return new Set(names);
}

export type ActiveFaults = ReadonlySet<string>;
