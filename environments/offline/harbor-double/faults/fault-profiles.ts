// Fault profiles: named defects of the double, each modelled on a real Harbor bug or misconfiguration,
// switched on by HARBOR_DOUBLE_FAULT_PROFILE at start (or on a running double through its test-only control
// endpoint, faults/fault-control.ts) so the harness can prove that a check fails when it should.
// The array is `as const`: its names are the FaultProfileName type, so `services.faults.has('misspelt')` and a
// misspelt `caughtBy` in a catalog are compile errors. Append new profiles at the end.

export interface FaultProfile {
  name: string;
  /** What goes wrong, in Harbor's terms. */
  defect: string;
  /** The real issue, advisory or misconfiguration it models. */
  modelledOn: string;
}

export const faultProfiles = [
  {
    name: 'anonymous-catalog-leak',
    defect:
      'GET /v2/_catalog answers anonymous callers and lists every repository, private projects included; GET /v2/ answers ' +
      'them 200 without a token challenge.',
    modelledOn:
      "Misconfiguration: /v2/ routed to distribution (or its port published) without core's v2auth in front, so the " +
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
    defect: "The admin account also authenticates with Harbor's shipped default password Harbor12345.",
    modelledOn:
      'Misconfiguration: harbor_admin_password left at Harbor12345 in harbor.yml (make/harbor.yml.tmpl) or ' +
      "harborAdminPassword in the Helm chart's values.yaml; Harbor applies it on the first start and never " +
      'forces a change (goharbor/harbor src/core/main.go, src/lib/config/metadata/metadatalist.go@v2.15.x).',
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
      "A regression of the robot generator's disable check (src/server/middleware/security/robot.go), the path " +
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
      "public=true only), the behaviour Harbor's maintainers restate in goharbor/harbor#20136 and #247.",
  },
  {
    name: 'vulnerability-policy-skips-digest-pulls',
    defect:
      'prevent_vul is enforced on pulls by tag only: GET/HEAD /v2/<repo>/manifests/sha256:… of a blocked image succeeds.',
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
  // Content trust (registry/content-trust.ts, registry/accessory-detection.ts; goharbor/harbor src/server/middleware/contenttrust/contentrust.go@v2.15.x).
  {
    name: 'content-trust-not-enforced',
    defect:
      'enable_content_trust_cosign / enable_content_trust are ignored: unsigned artifacts are pulled (GET and HEAD, by tag and digest).',
    modelledOn:
      'The path on which Harbor itself skips the contenttrust middleware: repoproxy writes the manifest response ' +
      'itself (streamed from upstream or served from the redis index cache), so a proxy-cache project with ' +
      'enable_content_trust_cosign serves unsigned manifests (goharbor/harbor src/server/middleware/repoproxy/proxy.go@v2.15.x; ' +
      'code-derived, UNCONFIRMED by a Harbor test).',
  },
  {
    name: 'content-trust-head-not-enforced',
    defect:
      'Content trust is checked on manifest GET only: HEAD /v2/<repo>/manifests/<ref> of an unsigned artifact answers 200.',
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
    defect:
      'cosign 3 bundle signatures (artifactType application/vnd.dev.sigstore.bundle.v0.3+json) are recorded as subject.accessory, so the image counts as unsigned.',
    modelledOn:
      'Harbor 2.14.x (goharbor/harbor#22643: signed with cosign 3, pulls refused with "The image is not signed by cosign."); ' +
      'recognised from v2.15.0 by #22628 "Support Cosign v3 Bundle signature format".',
  },
  // Vulnerability pull blocker (scan/pull-policy.ts; goharbor/harbor src/server/middleware/vulnerable/vulnerable.go@v2.15.x).
  {
    name: 'vulnerability-policy-head-not-enforced',
    defect:
      'prevent_vul is checked on manifest GET only: HEAD /v2/<repo>/manifests/<ref> of a blocked image answers 200.',
    modelledOn:
      'Harbor before v2.3.0 ran its pull policy checks (vulnerability and content trust) on GET only, so clients that HEAD ' +
      'first and reuse a cached manifest pulled blocked images (goharbor/harbor#14307, #13825, #15035; fixed by #15056 ' +
      '"enable policy checker for head manifest request").',
  },
  {
    name: 'unscanned-images-pull',
    defect:
      'Under prevent_vul, artifacts without a scan report are pulled instead of refused ("without vulnerability scanning").',
    modelledOn:
      "Harbor's fail-open path when core cannot reach the scanner adapter (wrong TRIVY_ADAPTER_URL, network policy, " +
      'adapter down): GetVulnerable finds no report and the scannability check pings the adapter and fails, so the ' +
      'vulnerable middleware allows (goharbor/harbor src/controller/scan/base_controller.go, src/controller/scan/checker.go@v2.15.x).',
  },
  {
    name: 'vulnerability-policy-not-enforced',
    defect:
      'prevent_vul and severity are ignored: images over the threshold, and unscanned ones, are pulled (GET and HEAD, tag and digest).',
    modelledOn:
      'The path on which Harbor itself skips the vulnerable middleware: repoproxy writes the manifest response itself ' +
      '(streamed from upstream or served from the redis index cache), so a proxy-cache project with prevent_vul serves ' +
      'vulnerable manifests (goharbor/harbor src/server/middleware/repoproxy/proxy.go@v2.15.x; code-derived, UNCONFIRMED by a Harbor test).',
  },
  // Profiles that let the checks without one fail (issue 8, item 11). Deployment-state profiles
  // (unhardened-defaults) put the misconfiguration in place when switched on; the others change behaviour.
  {
    name: 'api-routed-to-portal',
    defect:
      "Every /api/v2.0/* request is answered by the portal: 200 text/html (the UI's index.html), whatever the caller.",
    modelledOn:
      'Misconfiguration: a reverse proxy or ingress in front of Harbor that sends only "/" to the portal. Harbor\'s own ' +
      'proxy routes /api/, /service/, /v2/ and /c/ to core (goharbor/harbor make/photon/prepare/templates/nginx/' +
      'nginx.http.conf.jinja@v2.15.x; goharbor/harbor-helm templates/ingress/ingress.yaml lists the same paths).',
  },
  {
    name: 'storage-redirect-to-internal-endpoint',
    defect: "Blob GETs on /v2 answer 307 to the object store's in-cluster address, which clients cannot reach.",
    modelledOn:
      "Misconfiguration: S3-compatible storage (MinIO, Ceph) on an internal endpoint with the registry's redirect left " +
      'on (harbor.yml storage_service.redirect.disable: false, Helm persistence.imageChartStorage.disableredirect: false); ' +
      'distribution then redirects every blob pull to the storage URL (goharbor/harbor make/harbor.yml.tmpl@v2.15.x).',
  },
  {
    name: 'scan-summary-counts-cves-not-packages',
    defect: 'scan_overview summary.total and per-severity counts count each CVE once, not each vulnerable package.',
    modelledOn:
      'A regression of the report summary (goharbor/harbor src/pkg/scan/vuln/summary.go, src/pkg/scan/report/summary.go@v2.15.x ' +
      'count every report item, one per CVE and package). No Harbor issue with this exact defect is known: UNCONFIRMED.',
  },
  {
    name: 'project-creation-open',
    defect: 'project_creation_restriction is "everyone": any user may create projects.',
    modelledOn:
      'Harbor\'s shipped default (project_creation_restriction "everyone", goharbor/harbor ' +
      'src/lib/config/metadata/metadatalist.go@v2.15.x) left in place where the baseline asks for adminonly.',
  },
  {
    name: 'no-default-scanner',
    defect: 'No scanner registration is the default: GET /api/v2.0/scanners lists none as is_default.',
    modelledOn:
      'Misconfiguration: Harbor installed without Trivy (./install.sh without --with-trivy, Helm trivy.enabled: false) and ' +
      'no other scanner registered, so nothing scans and prevent_vul has no reports to act on ' +
      '(goharbor/harbor src/controller/scanner/base_controller.go@v2.15.x).',
  },
  {
    name: 'unhardened-defaults',
    defect:
      "The estate is as Harbor's defaults leave it: a private project without auto_scan, prevent_vul, severity or " +
      'signatures and without a retention policy, a never-expiring system robot holding robot:create and ' +
      'project:create, and no garbage-collection schedule.',
    modelledOn:
      "Harbor's defaults (project metadata all unset, goharbor/harbor src/pkg/project/models/pro_meta.go@v2.15.x; robots " +
      'created with "Never expire" and system permissions through the UI or API, src/server/v2.0/handler/robot.go; GC ' +
      'schedule None until set, src/controller/gc/controller.go) left in place.',
  },
  {
    name: 'signature-accessories-not-recorded',
    defect:
      'cosign and notation signatures are stored as ordinary artifacts: no accessory is recorded, so nothing counts as signed.',
    modelledOn:
      'Harbor before v2.5.0, which had no accessory model: a cosign `sha256-….sig` tag was listed as an artifact of its own ' +
      '(the accessory model arrived in v2.5.0; goharbor/harbor src/pkg/accessory/model/accessory.go@v2.15.x). UNCONFIRMED as a regression.',
  },
  // Pull throughput (registry/throttled-path.ts), caught by suites/pull-throughput and `bench --baseline`.
  {
    name: 'registry-path-throttled',
    defect:
      'Manifest and blob reads relayed from the registry start 6 s late and stream at no more than 512 KiB/s per response.',
    modelledOn:
      'A throttled path between core and the blobs: slow or rate-limited object storage or a proxy in front of it ' +
      '(goharbor/harbor#11796, layers stalling with MinIO behind nginx; goharbor/harbor#20357, intermittent slow layer ' +
      'downloads, 30-40 min instead of 1 min; goharbor/harbor#21609, downloads starting only after more than a minute behind a Traefik ' +
      'proxy; goharbor/harbor-helm#1130).',
  },
  // Advisories fixed in v2.15.3 (the double models v2.15.3; faults/previous-patch.ts), caught by suites/advisories.
  {
    name: 'GHSA-wrw5-gmvj-gf23',
    defect:
      'A token with push whose User-Agent contains "cosign" or "notation" skips enable_content_trust(_cosign) and prevent_vul: ' +
      'unsigned or blocked artifacts pull. The version still says v2.15.3 (a build labelled fixed without the fix).',
    modelledOn:
      'https://github.com/goharbor/harbor/security/advisories/GHSA-wrw5-gmvj-gf23 (Harbor before 2.13.6 / 2.14.5 / 2.15.3; ' +
      'fixed by goharbor/harbor 9d255ebe1, release notes v2.15.3 "Breaking change: signing unsigned images fails when content trust is enforced").',
  },
  {
    name: 'GHSA-qj39-pjf2-wmrc',
    defect:
      '/v2/ paths with "." or ".." segments are authorised against the repository as written (its first segment\'s project) and ' +
      'served after resolution, instead of being refused with 400. The version still says v2.15.3.',
    modelledOn:
      'https://github.com/goharbor/harbor/security/advisories/GHSA-qj39-pjf2-wmrc (path traversal in distribution endpoints, Harbor ' +
      'before 2.13.6 / 2.14.5 / 2.15.3; fixed by goharbor/harbor a82c5528f).',
  },
  {
    name: 'previous-patch-v2.15.2',
    defect:
      'The previous patch release: harbor_version is v2.15.2-double and every advisory fixed in v2.15.3 that the double models ' +
      '(GHSA-wrw5-gmvj-gf23, GHSA-qj39-pjf2-wmrc, GHSA-27f2-qg57-2gwg) is unfixed.',
    modelledOn:
      'goharbor/harbor v2.15.2, the patch before the 2026-10-06 security release (https://github.com/goharbor/harbor/releases/tag/v2.15.3 ' +
      '"Security Advisories": 13 advisories fixed).',
  },
  // Unpatched older releases (reported-release.ts): the version is what the advisories suite judges.
  {
    name: 'unpatched-release-v2.13.0',
    defect:
      'systeminfo reports harbor_version v2.13.0-double: a Harbor left on v2.13.0 without the security releases of its line.',
    modelledOn:
      'Harbor v2.13.0 as released (https://github.com/goharbor/harbor/releases/tag/v2.13.0); the advisories its line fixed later are ' +
      'listed with their fixed versions in suites/advisories/harbor-advisories.ts (goharbor/harbor security advisories).',
  },
  {
    name: 'unpatched-release-v2.10.0',
    defect:
      'systeminfo reports harbor_version v2.10.0-double: a Harbor left on v2.10.0 without the security releases of its line.',
    modelledOn:
      'Harbor v2.10.0 as released (https://github.com/goharbor/harbor/releases/tag/v2.10.0); the advisories its line fixed later are ' +
      'listed with their fixed versions in suites/advisories/harbor-advisories.ts (goharbor/harbor security advisories).',
  },
  {
    name: 'unpatched-release-v2.8.0',
    defect:
      'systeminfo reports harbor_version v2.8.0-double: a Harbor left on v2.8.0 without the security releases of its line.',
    modelledOn:
      'Harbor v2.8.0 as released (https://github.com/goharbor/harbor/releases/tag/v2.8.0); the advisories its line fixed later are ' +
      'listed with their fixed versions in suites/advisories/harbor-advisories.ts (goharbor/harbor security advisories).',
  },
  {
    name: 'unpatched-release-v2.5.0',
    defect:
      'systeminfo reports harbor_version v2.5.0-double: a Harbor left on v2.5.0 without the security releases of its line.',
    modelledOn:
      'Harbor v2.5.0 as released (https://github.com/goharbor/harbor/releases/tag/v2.5.0); the advisories its line fixed later are ' +
      'listed with their fixed versions in suites/advisories/harbor-advisories.ts (goharbor/harbor security advisories).',
  },
  {
    name: 'unpatched-release-v2.0.0',
    defect:
      'systeminfo reports harbor_version v2.0.0-double: a Harbor left on v2.0.0 without the security releases of its line.',
    modelledOn:
      'Harbor v2.0.0 as released (https://github.com/goharbor/harbor/releases/tag/v2.0.0); the advisories its line fixed later are ' +
      'listed with their fixed versions in suites/advisories/harbor-advisories.ts (goharbor/harbor security advisories).',
  },
  {
    name: 'unpatched-release-v1.9.0',
    defect:
      'systeminfo reports harbor_version v1.9.0-double: a Harbor left on v1.9.0 without the security releases of its line.',
    modelledOn:
      'Harbor v1.9.0 as released (https://github.com/goharbor/harbor/releases/tag/v1.9.0); the advisories its line fixed later are ' +
      'listed with their fixed versions in suites/advisories/harbor-advisories.ts (goharbor/harbor security advisories).',
  },
  {
    name: 'unpatched-release-v1.8.0',
    defect:
      'systeminfo reports harbor_version v1.8.0-double: a Harbor left on v1.8.0 without the security releases of its line.',
    modelledOn:
      'Harbor v1.8.0 as released (https://github.com/goharbor/harbor/releases/tag/v1.8.0); the advisories its line fixed later are ' +
      'listed with their fixed versions in suites/advisories/harbor-advisories.ts (goharbor/harbor security advisories).',
  },
  // Access matrix (suites/access-matrix): each flips a single cell of Harbor's permission model, in a different area.
  {
    name: 'developer-deletes-artifacts',
    defect:
      'The developer role may delete artifacts (artifact:delete), in the API and in /users/current/permissions; every other cell is unchanged.',
    modelledOn:
      'A one-entry mutation of rolePoliciesMap (goharbor/harbor src/common/rbac/project/rbac_role.go@v2.15.2: artifact delete is ' +
      'maintainer and projectAdmin only), the kind of role-table drift tests/apitests/python/test_project_permission.py walks the ' +
      'table to catch. No Harbor release with this exact entry is known: UNCONFIRMED as a real regression.',
  },
  {
    name: 'blob-mount-skips-source-pull',
    defect:
      'POST /v2/<repo>/blobs/uploads/?mount=<digest>&from=<other repo> checks push on the target only, not pull on the source: blobs of private projects can be mounted.',
    modelledOn:
      "Harbor's v2auth adds a pull check on the `from` repository of a mount (src/server/middleware/v2auth/access.go@v2.15.2); " +
      'distribution itself skips the source check when its token auth is bypassed (cross-repository mount, distribution/distribution#2285 ' +
      'discussions). Exact Harbor regression UNCONFIRMED.',
  },
  {
    name: 'token-grants-delete-with-push',
    defect: '/service/token grants `delete` to every caller holding `push` on the project (developers, push robots).',
    modelledOn:
      'A regression of the token filter that replaces requested actions with the permitted ones (src/core/service/token/creator.go@v2.15.2 ' +
      'and the v2token context, src/common/security/v2token/context.go). No Harbor issue with this exact defect is known: UNCONFIRMED.',
  },
  {
    name: 'v2-dot-dot-authorized-on-first-segment',
    defect:
      'A /v2 path with a `..` segment is authorized against its first segment (a public project) and served from the resolved path (a private one).',
    modelledOn:
      'The classic parser-differential authorization bypass (authorizer and router reading the path differently), e.g. CVE-2021-41773 ' +
      "and the Spring Security mvcRequestMatcher bypasses; Harbor's v2auth reads the repository from the path parsed by " +
      'lib.MatchManifestURLPattern (src/server/middleware/v2auth/access.go@v2.15.2). No Harbor issue known: UNCONFIRMED.',
  },
  {
    name: 'missing-project-404-to-everyone',
    defect:
      'API operations on a project that does not exist answer 404 to every caller, so outsiders tell existing private projects (401/403) from absent ones (404).',
    modelledOn:
      'The order Harbor keeps on purpose in BaseAPI.RequireProjectAccess (src/server/v2.0/handler/base.go@v2.15.2): a missing project is ' +
      'evaluated as project 0, so only sysadmins learn it does not exist. A handler looking the project up first breaks it; UNCONFIRMED as a real regression.',
  },
  {
    name: 'severity-threshold-exclusive',
    defect:
      'prevent_vul blocks only images whose highest severity is above the threshold: an image at exactly the threshold (e.g. High with severity "high") is pulled.',
    modelledOn:
      "An off-by-one of the vulnerable middleware's judgement `vulnerable.Severity.Code() >= projectSeverity.Code()` " +
      '(src/server/middleware/vulnerable/vulnerable.go@v2.15.2; the UI says "severity of X or higher"). No Harbor issue with this exact defect is known: UNCONFIRMED.',
  },
  {
    name: 'oci-subject-header-missing',
    defect:
      'A manifest pushed with a `subject` is stored and recorded, but the 201 answer lacks the OCI-Subject header, so OCI 1.1 clients ' +
      '(notation, oras, cosign v3) think the registry ignores subjects and push a referrers fallback tag as well.',
    modelledOn:
      'Registries before OCI distribution-spec 1.1 (Harbor < 2.8 and distribution 2.8 itself, which never sets OCI-Subject).',
  },
  {
    name: 'manifest-delete-not-applied',
    defect: 'DELETE /v2/<repo>/manifests/<digest> answers 202 Accepted but the manifest stays pullable and listed.',
    modelledOn:
      'A registry whose delete only marks the artifact (an eventually consistent store); Harbor deletes the artifact before answering ' +
      '(src/server/registry/manifest.go deleteManifest, goharbor/harbor v2.15).',
  },
  {
    name: 'referrers-ignore-artifact-type',
    defect:
      'GET /v2/<repo>/referrers/<digest>?artifactType=… answers OCI-Filters-Applied: artifactType but returns every referrer of the subject, ' +
      'of every artifact type (the OCI distribution-spec says a registry that applies the filter returns only matching descriptors).',
    modelledOn:
      'A registry that advertises the filter without applying it; Harbor applies it in src/server/registry/referrers.go ' +
      '(goharbor/harbor v2.15, the artifactType query against the accessory list).',
  },
  {
    name: 'manifest-unknown-500',
    defect:
      'GET/HEAD of a manifest that does not exist (unknown tag or digest) answers 500 UNKNOWN instead of 404 MANIFEST_UNKNOWN, ' +
      'so clients cannot tell a missing image from a broken registry (the spec requires 404).',
    modelledOn:
      'A registry front that turns a lookup miss into a server error; Harbor answers 404 from src/server/middleware/repoproxy and ' +
      'src/server/registry/manifest.go (goharbor/harbor v2.15: "artifact … not found", NOT_FOUND).',
  },
  {
    name: 'scan-error-allows-pull',
    defect:
      'With prevent_vul on, an artifact whose scan ended in Error (the scanner could not analyse it) is pulled: the failed ' +
      'scan is judged like a successful one without findings.',
    modelledOn:
      "A pull blocker that reads the report's findings but not its status (an Error report has none); Harbor refuses every " +
      'status but Success with 412 \'current image with "<status>" status of vulnerability scanning …\' ' +
      '(src/server/middleware/vulnerable/vulnerable.go, goharbor/harbor v2.15: !vulnerable.IsScanSuccess()).',
  },
  // Tag immutability (immutable/; goharbor/harbor src/pkg/immutable, src/server/middleware/immutable@v2.15.x).
  {
    name: 'immutable-same-digest-repush-allowed',
    defect:
      'A manifest PUT onto an existing immutable tag is refused only when it would move the tag to another digest: ' +
      're-pushing the same digest (or any push core lets through to the tag update) answers 201.',
    modelledOn:
      "Harbor's push middleware missing from the manifest PUT chain (goharbor/harbor src/server/middleware/immutable/pushmf.go, " +
      'src/server/registry/route.go@v2.15.x): what remains is the tag controller Ensure (src/controller/tag/controller.go), ' +
      'which returns before its immutable check when the tag already names the pushed artifact. pushmf.go compares no ' +
      'digests: in Harbor every push onto an existing immutable tag is refused.',
  },
  {
    name: 'immutable-tags-deletable-via-artifact-api',
    defect:
      'Only DELETE …/tags/{tag} checks immutability: deleting the artifact holding an immutable tag (API or /v2 DELETE by ' +
      'digest) or its repository removes the tag with it.',
    modelledOn:
      'A deletion path that removes tags through the tag manager instead of the tag controller, whose Delete is the only ' +
      "immutable check (goharbor/harbor src/controller/tag/controller.go Delete, reached from the artifact controller's " +
      'deleteDeeply via DeleteTags, src/controller/artifact/controller.go@v2.15.x); tests/apitests/python/test_tag_immutability.py ' +
      'expects 412 for artifact and repository delete.',
  },
  {
    name: 'immutable-nested-repositories-unprotected',
    defect:
      'Selector patterns are matched segment by segment (Go path.Match, no `**`): `**` and `*` never cross a "/", so rules ' +
      'for `**` or `team/**` do not protect nested repositories such as a/b/c.',
    modelledOn:
      'goharbor/harbor src/lib/selector/selectors/doublestar/selector.go@v2.15.x matches with bmatcuk/doublestar, whose `**` ' +
      'crosses path separators; a matcher on path.Match (the globbing Go ships) loses exactly that.',
  },
  {
    name: 'immutable-rule-project-unchecked',
    defect:
      'PUT /projects/{p}/immutabletagrules/{id} does not check that rule {id} belongs to project {p}: an administrator of ' +
      "one project can rewrite or disable another project's rules by id.",
    modelledOn:
      'GHSA-8c6p-v837-77f6 / CVE-2022-31669 (Harbor fails to validate the user permissions when updating tag immutability ' +
      'policies; fixed in 1.10.13, 2.4.3, 2.5.2 by requireRuleAccess in src/server/v2.0/handler/immutable.go).',
  },
  {
    name: 'GHSA-27f2-qg57-2gwg',
    defect:
      'An immutable tag rule is evaluated on its first repository selector and its first tag selector only: tags the ' +
      "other selectors name can be overwritten and deleted (v2.15.2's matcher under a v2.15.3 label).",
    modelledOn:
      'GHSA-27f2-qg57-2gwg, fixed in v2.15.3, v2.14.5, v2.13.6 (2026-10-06); goharbor/harbor ' +
      'src/pkg/immutable/match/rule/match.go@v2.15.2 reads repositorySelectors[0] and TagSelectors[0].',
  },
  {
    name: 'immutable-disabled-rules-enforced',
    defect:
      'A rule disabled through PUT (disabled: true) still protects its tags: the matcher reads the flag from the rule JSON ' +
      'in tag_filter, which a toggle never rewrites, instead of the disabled column.',
    modelledOn:
      "Harbor's split storage of a rule (goharbor/harbor src/pkg/immutable/dao/dao.go ToggleImmutableRule updates only the " +
      'disabled column; src/pkg/immutable/manager.go overrides the JSON flag with it when reading, @v2.15.x).',
  },
  {
    name: 'policy-refusal-answered-404',
    defect:
      'A pull refused by a project policy (prevent_vul, content trust) is answered 404 NOT_FOUND instead of 412 ' +
      'PROJECTPOLICYVIOLATION, on GET and HEAD by tag and by digest: to a node with mirrors [Harbor, upstream] the ' +
      'image "is not here", so the node takes it from the upstream.',
    modelledOn:
      'An ingress in front of Harbor that intercepts error statuses (ingress-nginx `custom-http-errors` with the default ' +
      'backend, which answers 404 to everything: kubernetes.github.io/ingress-nginx user-guide annotations ' +
      '"custom-http-errors"); Harbor itself answers 412 from src/server/middleware/vulnerable/vulnerable.go and ' +
      'src/server/middleware/contenttrust/contentrust.go (goharbor/harbor v2.15.x).',
  },
  {
    name: 'gc-deletes-referenced-blobs',
    defect:
      'Garbage collection takes every blob of a deleted artifact as a candidate, also the layers and config another ' +
      'artifact still references, and removes them from the storage: the kept artifact no longer pulls (blob unknown).',
    modelledOn:
      'goharbor/harbor#15445 and #12975 ("GC deletes used blobs": layers still in artifact_blob gone from S3), ' +
      '#19308 (v2.7.2: GC deleted blobs of tagged images) and #20131 (blob unknown after GC).',
  },
  {
    name: 'gc-ignores-time-window',
    defect:
      'Garbage collection ignores the time window (GC_TIME_WINDOW_HOURS, default 2): blobs uploaded moments ago for a ' +
      'push whose manifest has not arrived yet are swept, and the push then fails or leaves an artifact that does not pull.',
    modelledOn:
      'Harbor before the v2.1 non-blocking GC time window (goharbor/website#102: "to avoid damaging the uploading ' +
      'artifact"), goharbor/harbor#23116 (online GC race deleting blobs being associated with a new push), and ' +
      'deployments that set GC_TIME_WINDOW_HOURS=0 outside CI (goharbor/harbor#21312).',
  },
  {
    name: 'gc-dry-run-deletes',
    defect:
      'A dry run with delete_untagged deletes the untagged artifacts it should only report (the mark phase deletes, ' +
      'only the sweep honours dry_run).',
    modelledOn: 'goharbor/harbor#15332 (v2.3.0: "Dry run deletes data"), fixed by goharbor/harbor#15804 in v2.4.0.',
  },
  {
    name: 'gc-delete-untagged-ignored',
    defect:
      'delete_untagged is not passed on to the job: untagged artifacts are neither deleted nor counted, whatever the ' +
      'schedule says.',
    modelledOn:
      'A regression of the parameter path src/controller/gc/controller.go → the job parameters of ' +
      'src/jobservice/job/impl/gc/garbage_collection.go parseParams (goharbor/harbor@v2.15.2), which ' +
      'tests/apitests/python/test_garbage_collection.py (GC 2: zero artifacts left) guards.',
  },
  {
    name: 'quota-usage-not-refreshed',
    defect:
      "A project's storage usage is not recomputed after an artifact delete or a garbage collection: it stays at the " +
      'pre-delete value, and pushes are refused against space that is free.',
    modelledOn:
      'goharbor/harbor#8699 (usage not updated after GC), #8815 (usage wrong after GC) and #19295 (v2.8.0: usage not ' +
      'restored after deletion and GC).',
  },
  {
    name: 'quota-not-enforced',
    defect: 'The quota middleware lets blob and manifest pushes through past the project storage limit.',
    modelledOn:
      'A regression of src/server/middleware/quota (put_blob_upload.go, put_manifest.go@v2.15.2), the refusal ' +
      'tests/apitests/python/test_project_quota.py asserts; goharbor/harbor#12565 shows orphan blobs of a refused push.',
  },
  {
    name: 'proxy-cache-no-local-fallback',
    defect:
      'A proxy-cache project whose upstream fails (connection refused, unknown host, 401, 5xx) answers the pull with ' +
      '500 UNKNOWN instead of serving the cached copy: an outage of the upstream makes cached images unpullable.',
    modelledOn:
      'goharbor/harbor#14822 (v2.2.1: a cached image not served once the Docker Hub login failed; fixed by the local ' +
      'fallback of src/server/middleware/repoproxy/proxy.go ManifestMiddleware) and goharbor/harbor#18270.',
  },
  {
    name: 'proxy-cache-stale-tag',
    defect:
      'A tag cached in a proxy-cache project is served from the cache whenever a local copy exists, without comparing ' +
      "it with the upstream's digest: a tag moved upstream keeps answering the old image.",
    modelledOn:
      'goharbor/harbor#19429 (v2.7.0: the proxy cache serves the stale digest of a re-pushed `latest` until its Redis ' +
      'entry is removed).',
  },
  {
    name: 'proxy-local-on-not-found-ignored',
    defect:
      'proxy_cache_local_on_not_found="true" is ignored: a tag deleted upstream answers 404 although its cached copy is ' +
      'there (v2.15.0 behaviour).',
    modelledOn:
      'goharbor/harbor#22106 (cached images not served once deleted upstream); the setting came with #22153, ' +
      'back-ported to v2.15.1 by #23049, so a v2.15.0 build — or one that lost the back-port — ignores it.',
  },
  {
    name: 'proxy-project-push-accepted',
    defect:
      'Blob uploads into a proxy-cache project are accepted (202/201, stored) and only the manifest PUT is refused, ' +
      'with 415 UNSUPPORTED instead of 403 DENIED, so docker retries the push and anyone with push fills the cache.',
    modelledOn:
      'goharbor/harbor#12731 (pushes to a proxy project answered 415 and retried by docker; 403 DENIED at the first ' +
      'request since #12792) and the robot-name bypass of the push block fixed in goharbor/harbor#23695.',
  },
  {
    name: 'proxy-cache-fill-skipped',
    defect:
      'A proxy-cache project never stores what it proxied (no blob, no manifest pushed locally): every pull goes to the ' +
      'upstream again and nothing is served when the upstream is down.',
    modelledOn:
      'goharbor/harbor#16382 (dockerhub-proxy: artifacts not being added to the cache) and goharbor/harbor#21818 (an ' +
      'index never stored in the proxy project).',
  },
  {
    name: 'proxy-index-not-trimmed',
    defect:
      'An index pulled through a proxy-cache project with one of its platforms is pushed into the local registry ' +
      'untrimmed, naming every platform of the upstream: the registry refuses it (unknown child manifest), so the ' +
      'index is never cached and a pull of it during an outage fails with 404.',
    modelledOn:
      'goharbor/harbor#21818 (v2.12.2: the proxy project never makes the index manifest; its push fails when a child ' +
      'is not local) and #20920; Harbor pushes an index trimmed to the local children (src/controller/proxy/' +
      'manifestcache.go updateManifestList@v2.15.2, asserted by tests/apitests/python/test_proxy_cache.py).',
  },
  {
    name: 'proxy-manifest-always-from-upstream',
    defect:
      'A proxy-cache project fetches a cached manifest from the upstream again on every pull, by tag and by digest, ' +
      "instead of serving its copy: every pull spends the upstream's rate limit, and with the upstream black-holed even " +
      'a digest-pinned cached image waits on it.',
    modelledOn:
      'goharbor/harbor#21122 (v2.10.2: GET manifest by tag not served from the cache although the upstream digest ' +
      'matches the local one, so Docker Hub rate limits were spent; target 2.14.0) and the digest short-cut of ' +
      'src/controller/proxy/controller.go UseLocalManifest@v2.15.2 ("Pull by digest when artifact exist in local").',
  },
  {
    name: 'retention-deletes-immutable-tags',
    defect:
      'A retention run deletes artifacts whose tags are immutable: the performer never asks the immutability matcher ' +
      'and the deletion skips the tag check, so the log says DEL instead of IMMUTABLE and the release image is gone.',
    modelledOn:
      'The guarantee goharbor/harbor#10506 confirms ("immutability has higher precedence over retention", ' +
      'src/pkg/retention/policy/action/performer.go isImmutable@v2.15.2); goharbor/harbor#22543 reports retention ' +
      'deleting what the UI refuses to delete.',
  },
  {
    name: 'retention-dry-run-deletes',
    defect: 'A retention dry run deletes the artifacts it reports as DEL, as a real run does.',
    modelledOn:
      'goharbor/harbor#20996 ("Dry run deleted my images", v2.11) and the GC dry run that deleted untagged ' +
      'artifacts, goharbor/harbor#15332 (fixed in v2.4.0).',
  },
  {
    name: 'retention-rules-anded',
    defect:
      'The rules of a retention policy are ANDed: an artifact is kept only when every rule keeps it, so adding a ' +
      '"keep" rule deletes more instead of less.',
    modelledOn:
      "A processor that intersects the rules' results instead of uniting them (goharbor/harbor " +
      'src/pkg/retention/policy/alg/or/processor.go@v2.15.2 unites them: algorithm "or"); the UI and docs say ' +
      '"rules are applied with OR" (goharbor/harbor#11888 docs).',
  },
  {
    name: 'retention-untagged-extras-ignored',
    defect:
      'The tag selector\'s `extras` {"untagged": …} is ignored: untagged artifacts are always treated as selected by ' +
      '`matches` (kept) whatever the rule says.',
    modelledOn:
      'goharbor/harbor#22051 and goharbor/harbor#23020 (retention not deleting untagged artifacts in some cases) and ' +
      'goharbor/harbor#11273 (untagged children); src/lib/selector/selectors/doublestar/selector.go New@v2.15.2 ' +
      'reads extras.',
  },
  {
    name: 'retention-pull-rules-use-push-time',
    defect:
      'latestPulledN and nDaysSinceLastPull compare push times instead of pull times: images pulled yesterday but ' +
      'pushed long ago are deleted, never-pulled recent pushes are kept.',
    modelledOn:
      'goharbor/harbor src/pkg/retention/policy/rule/dayspl/evaluator.go and latestpl/evaluator.go@v2.15.2 ' +
      '(PulledTime); the pull time is only recorded for GET by non-replication clients (src/server/registry/' +
      'manifest.go), so a deployment that loses pull times behaves like this.',
  },
  {
    name: 'retention-nested-repositories-skipped',
    defect:
      'Repository selectors are matched with Go path.Match instead of doublestar: `**` stops at "/", so nested ' +
      'repositories (a/b/c) get no retention task and are never cleaned.',
    modelledOn:
      'The same matcher defect as immutable-nested-repositories-unprotected, in the retention launcher ' +
      '(goharbor/harbor src/pkg/retention/launcher.go getRepositories and src/lib/selector/selectors/doublestar' +
      '@v2.15.2 use bmatcuk/doublestar).',
  },
  {
    name: 'webhook-payload-missing-fields',
    defect:
      'SCANNING_* webhook payloads lose the artifact tag and the scan results: resources[].tag is absent, resource_url ' +
      'ends in "<repo>:" and scan_overview is missing.',
    modelledOn:
      'goharbor/harbor#14293 and #13464 (SCANNING_COMPLETED with an empty tag and a resource_url cut after ":", fixed by ' +
      '#14057) and #22212 (scan payloads without their scan results).',
  },
  {
    name: 'webhook-pull-tag-as-digest',
    defect:
      'PULL_ARTIFACT payloads of a pull by tag name the digest as `tag`, and resource_url is <repo>@<digest> instead of ' +
      '<repo>:<tag>.',
    modelledOn:
      'goharbor/harbor#16923 (incorrect webhook message for the artifact pulled event: the tag is the digest).',
  },
  {
    name: 'webhook-cloudevents-content-type-wrong',
    defect:
      'CloudEvents deliveries are sent with Content-Type application/json instead of application/cloudevents+json, ' +
      'so a CloudEvents receiver reads them as binary-mode events without ce-* headers and rejects them.',
    modelledOn:
      'goharbor/harbor src/pkg/notifier/formats/cloudevents.go@v2.15.2 sets cloudevents.ApplicationCloudEventsJSON ' +
      '(PR goharbor/harbor#18322 review); senders that hard-code application/json break structured mode ' +
      '(resmoio/kubernetes-event-exporter#138).',
  },
  {
    name: 'audit-robot-operator-unprefixed',
    defect:
      "Audit entries of a robot account's operations (push, pull, delete, …) name the robot without its robot$ " +
      'prefix, so they read as the operations of a user of that name.',
    modelledOn: 'goharbor/harbor#13980 (username in the log without the robot prefix, fixed by #13989 in v2.2.0).',
  },
  {
    name: 'webhook-target-unvalidated',
    defect:
      'Webhook target addresses are stored and called as given: any scheme (gopher://, file://) is accepted and user ' +
      'info and query strings are kept.',
    modelledOn:
      'goharbor/harbor#3755 (SSRF through notification targets), guarded since by ParseEndpoint and the reduction to ' +
      'scheme://host/path in src/server/v2.0/handler/webhook.go validateTargets@v2.15.2.',
  },
  {
    name: 'webhook-auth-header-leaked',
    defect: "The webhook job logs its request headers, so the target's auth header appears in the task log.",
    modelledOn:
      'goharbor/harbor src/jobservice/job/impl/notification/webhook_job.go@v2.15.2 logs only the body ("send request ' +
      'to remote endpoint, body: …"); a job that logs its parameters puts the header the http handler adds there.',
  },
  {
    name: 'webhook-no-retry',
    defect: 'A failed webhook delivery (non-2xx answer, connection refused) is never retried: the task ends in Error.',
    modelledOn:
      'goharbor/harbor#8691 (the webhook does not re-send when the first send failed; fixed with #8745); WebhookJob ' +
      'MaxFails 3, ShouldRetry true in webhook_job.go@v2.15.2.',
  },
  {
    name: 'GHSA-2phj-cp9f-qq6w',
    defect:
      'Webhook targets on loopback, link-local (cloud metadata), private and other non-public addresses, and local ' +
      'names (localhost, *.internal), are accepted by the policy API and called by jobservice (v2.15.2 and earlier).',
    modelledOn:
      'https://github.com/goharbor/harbor/security/advisories/GHSA-2phj-cp9f-qq6w (webhook SSRF, fixed in v2.15.3, ' +
      'v2.14.5, v2.13.6); the guard as goharbor/harbor PR #23568 writes it (src/lib/outbound_url.go).',
  },
  {
    name: 'replication-partial-copy-reported-success',
    defect:
      'A replication task takes every layer after the first of a manifest as already present on the destination ' +
      '(no HEAD, no upload), and errors are swallowed: a task whose artifacts failed to copy (the manifest PUT ' +
      'refused with MANIFEST_BLOB_UNKNOWN) is marked Succeed, and an execution whose destination could not be ' +
      'prepared (credential refused) ends Succeed "no resources need to be replicated": success is reported while ' +
      'the destination lacks the blobs and manifests.',
    modelledOn:
      'goharbor/harbor#22644 ("Replication reports success, but replicated storage has significantly fewer objects and ' +
      'causes image pull failures") and goharbor/harbor#11795 (blobs logged "already exists on the destination ' +
      'registry, skip", then BLOB_UNKNOWN); the correct behaviour is src/controller/replication/transfer/image/' +
      'transfer.go copy@v2.15.2 ("got error during the whole transfer period, mark the job failure").',
  },
  {
    name: 'replication-accessories-skipped-by-tag-filter',
    defect:
      "The tag filter of a replication policy is matched against an accessory's own tags (sha256-<digest>.sig, or none) " +
      "instead of its subject's: with a filter like `v*` the image is replicated without its cosign signature, SBOM " +
      'or OCI referrers.',
    modelledOn:
      'goharbor/harbor#17479 and #16883 (signatures not replicated with a tag or label filter, fixed in v2.5.4); the ' +
      'fixed matching uses ParentTags in src/pkg/reg/filter/artifact.go artifactTagFilter@v2.15.2.',
  },
  {
    name: 'replication-dest-namespace-replace-count-off-by-one',
    defect:
      'dest_namespace_replace_count drops one path component fewer than asked: with namespace n and count 1, ' +
      'a/b/image lands at n/a/b/image instead of n/b/image (count 0 is treated like the legacy mode is not).',
    modelledOn:
      'The flattening contract of src/controller/replication/flow/stage.go replaceNamespace@v2.15.2 (its table: ' +
      '-1 → n/image, 0 → n/a/b/c/image, 1 → n/b/c/image) introduced by goharbor/harbor#14818; an off-by-one there ' +
      'puts replicas where pulls on the DR site do not look.',
  },
  {
    name: 'replication-deletion-flag-dropped',
    defect:
      'The `deletion` flag of a replication policy ("Delete remote resources when locally deleted") is not saved: ' +
      'GET shows deletion=false and deleting an artifact locally never deletes the replica.',
    modelledOn:
      'goharbor/harbor#19098 ("Delete an accessory cannot trigger Event based replication": the deletion checkbox ' +
      'disappeared from the policy form, so policies were saved without it, v2.9.0-rc); the handler reads only ' +
      '`deletion` (src/server/v2.0/handler/replication.go@v2.15.2).',
  },
  {
    name: 'retention-webhook-counts-zero',
    defect:
      'the TAG_RETENTION webhook reports total 0 and retained 0 and the trigger (MANUAL) as operator, whatever the run deleted',
    modelledOn:
      'goharbor/harbor#18428 (TAG_RETENTION payload incorrect in v2.6.x–v2.7.x, fixed in v2.6.5 / v2.7.2 / v2.8.0)',
  },
  {
    name: 'replication-webhook-lost-pull-mode',
    defect:
      'REPLICATION webhooks look the project up by the source namespace, so a pull-based policy into a differently named project announces nothing',
    modelledOn:
      'goharbor/harbor#17298 (replication pull mode does not send webhook messages; fixed by #17312 in v2.6.0)',
  },
  {
    name: 'lossy-migration-drops-scan-reports',
    defect:
      'The upgrade step (a newer release started on the older database) deletes every scan report: artifacts come ' +
      'back "Not Scanned", and a project with prevent_vul refuses every pull of them ("current image without ' +
      'vulnerability scanning cannot be pulled") until each artifact is scanned again.',
    modelledOn:
      'goharbor/harbor make/migrations/postgresql/0050_2.2.0_schema.up.sql@v2.15.2 ("The old scan_report not work ' +
      'well with report_vulnerability_record and vulnerability_record so delete them": DELETE FROM scan_report) and ' +
      '0071_2.4.2_schema.up.sql (deletes the Trivy reports of the old mime type). Caught by the pre-upgrade gate ' +
      "(scripts/gate/), not a catalog check; takes effect at the upgraded core's start (upgrade/upgrade-step.ts).",
  },
  {
    name: 'lossy-migration-disables-replication-policies',
    defect:
      'The upgrade step sets enabled = false on the replication policies: scheduled and event-based replication ' +
      'stops silently after the upgrade, the policies still listed.',
    modelledOn:
      'goharbor/harbor make/migrations/postgresql/0110_2.8.0_schema.up.sql@v2.15.2: the chartmuseum removal ' +
      'disabled every replication rule with a chart resource filter and rewrote its description (release notes ' +
      'v2.8.0). Caught by the pre-upgrade gate (scripts/gate/), not a catalog check; takes effect at the upgraded ' +
      "core's start (upgrade/upgrade-step.ts).",
  },
] as const satisfies readonly FaultProfile[];

/** The name of a fault profile of the double: a compile-time check on every `faults.has(…)` and `caughtBy`. */
export type FaultProfileName = (typeof faultProfiles)[number]['name'];

const profileNames: ReadonlySet<string> = new Set(faultProfiles.map((p) => p.name));

export function isFaultProfileName(name: string): name is FaultProfileName {
  return profileNames.has(name);
}

export class UnknownFaultProfileError extends Error {
  override name = 'UnknownFaultProfileError';
}

/** The active profile names ("" = none; several may be given comma-separated). */
export function resolveFaultProfiles(setting: string, source = 'HARBOR_DOUBLE_FAULT_PROFILE'): Set<FaultProfileName> {
  const names = setting
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '');
  const resolved = new Set<FaultProfileName>();
  for (const name of names) {
    if (!isFaultProfileName(name)) {
      throw new UnknownFaultProfileError(
        `unknown ${source} "${name}"; known profiles: ${[...profileNames].join(', ')}`,
      );
    }
    resolved.add(name);
  }
  return resolved;
}

/** What enforcement points ask: `services.faults.has('<name>')`. */
export interface ActiveFaults {
  has(name: FaultProfileName): boolean;
}
