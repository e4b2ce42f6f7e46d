// Harbor's pull decision for GET/HEAD /v2/<repo>/manifests/<ref>, as data. The route runs, in this order
// (goharbor/harbor src/server/registry/route.go@v2.15.2): repoproxy, contenttrust, vulnerable, then the manifest.
// Each rule names its source; the expected answer of a cell is the first rule that refuses, else 200.
//
// R1 exemption (src/server/middleware/util/util.go SkipPolicyChecking): a v2 token (bearer) holding scanner-pull,
//    or the artifact is itself a cosign/notation signature (its first accessory record is one). Basic auth is
//    never exempt, sysadmins included. Up to v2.15.2 a push token whose User-Agent contained "cosign" or "notation"
//    was exempt too; that is GHSA-wrw5-gmvj-gf23, fixed in 2.13.6 / 2.14.5 / 2.15.3 (only the content-trust half
//    returns, and only with CONTENT_TRUST_LEGACY_SIGNER_PULL_ENABLED=true on core). The table expects the fixed
//    behaviour: a Harbor that still honours the User-Agent differs in those cells (SIGN-010 names the advisory).
// R2 cosign content trust (contenttrust/contentrust.go): enable_content_trust_cosign and no cosign signature →
//    412 "The image is not signed by cosign."
// R3 notation content trust: enable_content_trust and no notation signature → 412 "The image is not signed by notation."
// R4 vulnerability prevention off (vulnerable/vulnerable.go: !proj.VulPrevented()) → allowed.
// R5 no report and scannable → 412 "current image without vulnerability scanning …"; not scannable → allowed.
// R6 an image index of type IMAGE → allowed (skippingAllowlist).
// R7 scan not Success → 412 "current image with "<status>" status of vulnerability scanning …".
// R8 the highest severity left after the effective CVE allowlist (ignored when expired; the system list when
//    reuse_sys_cve_allowlist) is at or above the project's threshold (controller/scan/base_controller.go GetVulnerable,
//    Severity.Code() >= projectSeverity.Code()) → 412 "current image with <n> vulnerabilit(y|ies) …", n = findings left.

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

export interface Caller {
  name: string;
  /** bearer: a v2 token from /service/token; basic: credentials on /v2 directly. */
  auth: 'bearer' | 'basic' | 'anonymous-token';
  push: boolean;
  scannerPull: boolean;
  userAgent: string;
}

export interface PullDecision {
  status: 200 | 412;
  rule: string;
  message?: string;
}

const policyText = (threshold: Severity) =>
  `due to configured policy in 'Prevent images with vulnerability severity of "${threshold}" or higher from running.'`;
const contact = 'To continue with pull, please contact your project administrator for help.';

/** R1. The caller's User-Agent plays no part since GHSA-wrw5-gmvj-gf23 was fixed. */
export function isExempt(caller: Caller, artifact: ArtifactState): boolean {
  const token = caller.auth !== 'basic';
  return (token && caller.scannerPull) || artifact.isSignature;
}

export function decidePull(settings: PolicySettings, artifact: ArtifactState, caller: Caller): PullDecision {
  const exempt = isExempt(caller, artifact);
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
