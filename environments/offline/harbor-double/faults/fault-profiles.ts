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
  // Content trust (registry/content-trust.ts, registry/accessory-detection.ts; policy-facts §5.3-§5.5).
  {
    name: 'content-trust-not-enforced',
    defect: 'enable_content_trust_cosign / enable_content_trust are ignored: unsigned artifacts are pulled (GET and HEAD, by tag and digest).',
    modelledOn:
      'The path on which Harbor itself skips the contenttrust middleware: repoproxy writes the manifest response ' +
      'itself (streamed from upstream or served from the redis index cache), so a proxy-cache project with ' +
      'enable_content_trust_cosign serves unsigned manifests (src/server/middleware/repoproxy/proxy.go, policy-facts §5; ' +
      'code-derived, UNCONFIRMED by a Harbor test).',
  },
  {
    name: 'content-trust-head-not-enforced',
    defect: 'Content trust is checked on manifest GET only: HEAD /v2/<repo>/manifests/<ref> of an unsigned artifact answers 200.',
    modelledOn:
      'Harbor before v2.3.0 ran the content-trust and vulnerability checks on GET only, so docker 20 / containerd, ' +
      'which HEAD first and reuse cached manifests, pulled unsigned images (goharbor/harbor#14307, #13825, #15035; ' +
      'fixed by #15056 "enable policy checker for head manifest request").',
  },
  {
    name: 'content-trust-admin-basic-auth-exempt',
    defect: 'A sysadmin authenticating with basic auth on /v2 pulls unsigned artifacts despite content trust.',
    modelledOn:
      'goharbor/harbor#13889 "Content trust is not effective if basic auth is provided" (2.0.x-2.1.x: the sysadmin ' +
      'carried scanner-pull, which exempts from the pull policies), fixed in 2.0.6/2.1.3/2.2.0 by #13903/#13904 ' +
      '"Remove scanner-pull from system admin\'s permission". test_project_level_policy_content_trust.py expects the admin pull to fail.',
  },
  {
    name: 'cosign-bundle-not-recognised',
    defect: 'cosign 3 bundle signatures (artifactType application/vnd.dev.sigstore.bundle.v0.3+json) are recorded as subject.accessory, so the image counts as unsigned.',
    modelledOn:
      'Harbor 2.14.x (goharbor/harbor#22643: signed with cosign 3, pulls refused with "The image is not signed by cosign."); ' +
      'recognised from v2.15.0 by #22628 "Support Cosign v3 Bundle signature format".',
  },
  // Vulnerability pull blocker (scan/pull-policy.ts; policy-facts §5.1), caught by suites/scan-blocking.
  {
    name: 'vulnerability-policy-head-not-enforced',
    defect: 'prevent_vul is checked on manifest GET only: HEAD /v2/<repo>/manifests/<ref> of a blocked image answers 200.',
    modelledOn:
      'Harbor before v2.3.0 ran its pull policy checks (vulnerability and content trust) on GET only, so clients that HEAD ' +
      'first and reuse a cached manifest pulled blocked images (goharbor/harbor#14307, #13825, #15035; fixed by #15056 ' +
      '"enable policy checker for head manifest request").',
  },
  {
    name: 'unscanned-images-pull',
    defect: 'Under prevent_vul, artifacts without a scan report are pulled instead of refused ("without vulnerability scanning").',
    modelledOn:
      'Harbor\'s fail-open path when core cannot reach the scanner adapter (wrong TRIVY_ADAPTER_URL, network policy, ' +
      'adapter down): GetVulnerable finds no report and the scannability check pings the adapter and fails, so the ' +
      'vulnerable middleware allows (src/controller/scan/base_controller.go, src/controller/scan/checker.go; policy-facts §5.1 step 4).',
  },
  {
    name: 'vulnerability-policy-not-enforced',
    defect: 'prevent_vul and severity are ignored: images over the threshold, and unscanned ones, are pulled (GET and HEAD, tag and digest).',
    modelledOn:
      'The path on which Harbor itself skips the vulnerable middleware: repoproxy writes the manifest response itself ' +
      '(streamed from upstream or served from the redis index cache), so a proxy-cache project with prevent_vul serves ' +
      'vulnerable manifests (src/server/middleware/repoproxy/proxy.go, policy-facts §5; code-derived, UNCONFIRMED by a Harbor test).',
  },  {
    name: 'referrers-ignore-artifact-type',
    defect:
      'GET /v2/<repo>/referrers/<digest>?artifactType=… answers OCI-Filters-Applied: artifactType but returns every referrer of the subject, ' +
      'of every artifact type (the OCI distribution-spec says a registry that applies the filter returns only matching descriptors).',
    modelledOn:
      'A registry that advertises the filter without applying it; Harbor applies it in src/server/registry/referrers.go ' +
      '(goharbor/harbor v2.15, the artifactType query against the accessory list).',
  },  {
    name: 'manifest-unknown-500',
    defect:
      'GET/HEAD of a manifest that does not exist (unknown tag or digest) answers 500 UNKNOWN instead of 404 MANIFEST_UNKNOWN, ' +
      'so clients cannot tell a missing image from a broken registry (the spec requires 404).',
    modelledOn:
      'A registry front that turns a lookup miss into a server error; Harbor answers 404 from src/server/middleware/repoproxy and ' +
      'src/server/registry/manifest.go (goharbor/harbor v2.15: "artifact … not found", NOT_FOUND).',
  },
  {
    name: 'oci-subject-header-missing',
    defect:
      'A manifest pushed with a `subject` is stored and recorded, but the 201 answer lacks the OCI-Subject header, so OCI 1.1 clients ' +
      '(notation, oras, cosign v3) think the registry ignores subjects and push a referrers fallback tag as well.',
    modelledOn: 'Registries before OCI distribution-spec 1.1 (Harbor < 2.8 and distribution 2.8 itself, which never sets OCI-Subject).',
  },
  {
    name: 'manifest-delete-not-applied',
    defect: 'DELETE /v2/<repo>/manifests/<digest> answers 202 Accepted but the manifest stays pullable and listed.',
    modelledOn:
      'A registry whose delete only marks the artifact (an eventually consistent store); Harbor deletes the artifact before answering ' +
      '(src/server/registry/manifest.go deleteManifest, goharbor/harbor v2.15).',
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
