// Harbor's pull decision for GET/HEAD /v2/<repo>/manifests/<ref>, as data. The route runs, in this order
// (goharbor/harbor src/server/registry/route.go@v2.15.2): repoproxy, contenttrust, vulnerable, then the manifest.
// Each rule names its source; the expected answer of a cell is the first rule that refuses, else 200.
//
// R1 exemption (src/server/middleware/util/util.go@v2.15.2 SkipPolicyChecking): a v2 token (bearer) holding
//    scanner-pull, or push with a User-Agent containing "cosign" or "notation"; or the artifact is itself a
//    cosign/notation signature (its first accessory record is one). Basic auth is never exempt, sysadmins included.
//    The signer User-Agent branch is gone from the releases that fix GHSA-wrw5-gmvj-gf23 (2.13.6, 2.14.5, 2.15.3;
//    https://github.com/goharbor/harbor/security/advisories/GHSA-wrw5-gmvj-gf23): there it exempts from neither
//    policy (content trust only with CONTENT_TRUST_LEGACY_SIGNER_PULL_ENABLED=true on core, not the default).
// R2 cosign content trust (contenttrust/contentrust.go): enable_content_trust_cosign and no cosign signature →
//    412 "The image is not signed by cosign."
// R3 notation content trust: enable_content_trust and no notation signature → 412 "The image is not signed by notation."
// R4 vulnerability prevention off (vulnerable/vulnerable.go: !proj.VulPrevented()) → allowed.
// R5 no report and scannable → 412 "current image without vulnerability scanning …"; not scannable → allowed.
// R6 an image index of type IMAGE → allowed (skippingAllowlist), once it has a report at all: an index's report is
//    its children's (controller/scan/base_controller.go GetReport), none as long as one child has none (→ R5).
// R7 scan not Success → 412 "current image with "<status>" status of vulnerability scanning …".
// R8 the highest severity left after the effective CVE allowlist (ignored when expired; the system list when
//    reuse_sys_cve_allowlist) is at or above the project's threshold (controller/scan/base_controller.go GetVulnerable,
//    Severity.Code() >= projectSeverity.Code()) → 412 "current image with <n> vulnerabilit(y|ies) …", n = findings left.

import semver from 'semver';

export const severities = ['None', 'Unknown', 'Low', 'Medium', 'High', 'Critical'] as const;
export type Severity = (typeof severities)[number];
/** Severity.Code() (src/pkg/scan/vuln/severity.go@v2.15.2): None and Unknown 0, Low 2 … Critical 5. */
const severityCode: Record<Severity, number> = { None: 0, Unknown: 0, Low: 2, Medium: 3, High: 4, Critical: 5 };

/** ParseSeverityVersion3 of the project's severity metadata ("" → Unknown, negligible → None). */
export function thresholdOf(setting: string | undefined): Severity {
  const lower = (setting ?? '').toLowerCase();
  if (lower === 'negligible') return 'None';
  const match = severities.find((s) => s.toLowerCase() === lower);
  return match ?? 'Unknown';
}

export interface PolicySettings {
  name: string;
  preventVul: boolean;
  severity?: string;
  cosign: boolean;
  notation: boolean;
  /** The effective allowlist's CVE ids and whether it is expired. */
  allowlist: { items: string[]; expired: boolean };
}

export interface ArtifactState {
  name: string;
  /** undefined: never scanned. */
  scan?: { status: string; findings: Array<{ id: string; severity: Severity }> };
  scannable: boolean;
  signedBy: Array<'cosign' | 'notation'>;
  /** The artifact is itself a cosign or notation signature. */
  isSignature: boolean;
  isImageIndex: boolean;
}

/**
 * The scan state of an image index: its children's reports (GetReport walks the index into the children the
 * scanner supports), none when any child has none ("its children artifacts may scanned so return empty report"),
 * else their statuses merged as vuln.MergeScanStatus does (src/pkg/scan/vuln/util.go@v2.15.2: Running, then
 * Stopped, then Success wins; otherwise the later job status). The index's own findings are never judged (R6).
 */
export function indexScanOf(children: ReadonlyArray<ArtifactState['scan']>): ArtifactState['scan'] {
  if (children.length === 0 || children.some((c) => c === undefined)) return undefined;
  const code = (s: string) => ({ Pending: 0, Scheduled: 1, Running: 2, Stopped: 3, Error: 3, Success: 3 })[s] ?? -1;
  const merge = (a: string, b: string) => {
    if (a === 'Running' || b === 'Running') return 'Running';
    if (a === 'Stopped' || b === 'Stopped') return 'Stopped';
    if (a === 'Success' || b === 'Success') return 'Success';
    return code(a) > code(b) ? a : b;
  };
  const statuses = children.map((c) => c!.status);
  return { status: statuses.reduce(merge, statuses[0]!), findings: children.flatMap((c) => c!.findings) };
}

export interface Caller {
  name: string;
  /** bearer: a v2 token from /service/token; basic: credentials on /v2 directly. */
  auth: 'bearer' | 'basic' | 'anonymous-token';
  push: boolean;
  scannerPull: boolean;
  userAgent: string;
}

/** What differs between the Harbor releases the table is asked of. */
export interface HarborRelease {
  /** SkipPolicyChecking still exempts a push token whose User-Agent says cosign or notation (GHSA-wrw5-gmvj-gf23 unfixed). */
  signerUserAgentExempt: boolean;
}

const SIGNER_EXEMPTION_AFFECTED = '<2.13.6 || >=2.14.0 <2.14.5 || >=2.15.0 <2.15.3';

/** The release's rules from its reported version ("v2.15.3-6b5d1e2f"); an unreadable version is taken as fixed. */
export function harborReleaseOf(harborVersion: string): HarborRelease {
  const match = harborVersion.trim().match(/^v?(\d+\.\d+\.\d+)/);
  return {
    signerUserAgentExempt: match ? semver.satisfies(match[1]!, SIGNER_EXEMPTION_AFFECTED) : false,
  };
}

export interface PullDecision {
  status: 200 | 412;
  rule: string;
  message?: string;
}

const policyText = (threshold: Severity) =>
  `due to configured policy in 'Prevent images with vulnerability severity of "${threshold}" or higher from running.'`;
const contact = 'To continue with pull, please contact your project administrator for help.';

export function isExempt(caller: Caller, artifact: ArtifactState, release: HarborRelease): boolean {
  const token = caller.auth !== 'basic';
  const signer = release.signerUserAgentExempt && /cosign|notation/.test(caller.userAgent);
  return (token && (caller.scannerPull || (caller.push && signer))) || artifact.isSignature;
}

export function decidePull(
  settings: PolicySettings,
  artifact: ArtifactState,
  caller: Caller,
  release: HarborRelease,
): PullDecision {
  const exempt = isExempt(caller, artifact, release);
  if (settings.cosign && !exempt && !artifact.signedBy.includes('cosign'))
    return { status: 412, rule: 'R2 cosign content trust', message: 'The image is not signed by cosign.' };
  if (settings.notation && !exempt && !artifact.signedBy.includes('notation'))
    return { status: 412, rule: 'R3 notation content trust', message: 'The image is not signed by notation.' };
  if (!settings.preventVul) return { status: 200, rule: 'R4 prevention off' };
  if (exempt) return { status: 200, rule: 'R1 exempt' };
  const threshold = thresholdOf(settings.severity);
  if (!artifact.scan) {
    if (!artifact.scannable) return { status: 200, rule: 'R5 not scannable' };
    return {
      status: 412,
      rule: 'R5 unscanned',
      message: `current image without vulnerability scanning cannot be pulled ${policyText(threshold)} ${contact}`,
    };
  }
  if (artifact.isImageIndex) return { status: 200, rule: 'R6 image index' };
  if (artifact.scan.status !== 'Success') {
    return {
      status: 412,
      rule: 'R7 scan not successful',
      message: `current image with "${artifact.scan.status}" status of vulnerability scanning cannot be pulled ${policyText(threshold)} ${contact}`,
    };
  }
  const allowed = new Set(settings.allowlist.expired ? [] : settings.allowlist.items);
  const left = artifact.scan.findings.filter((f) => !allowed.has(f.id));
  if (left.length === 0) return { status: 200, rule: 'R8 nothing left' };
  const highest = left.reduce(
    (max, f) => (severityCode[f.severity] > severityCode[max] ? f.severity : max),
    left[0]!.severity,
  );
  if (severityCode[highest] < severityCode[threshold]) return { status: 200, rule: 'R8 below threshold' };
  const thing = left.length > 1 ? 'vulnerabilities' : 'vulnerability';
  return {
    status: 412,
    rule: 'R8 at or above threshold',
    message: `current image with ${left.length} ${thing} cannot be pulled ${policyText(threshold)} To continue with pull, please contact your project administrator to exempt matched vulnerabilities through configuring the CVE allowlist.`,
  };
}
