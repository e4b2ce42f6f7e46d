// Scan blocking: scan on push, scan_overview, and Harbor's vulnerability pull blocker (prevent_vul +
// severity), CVE allowlists and rescans, with the known weaknesses reported as `warn`.
// Facts: goharbor/harbor src/controller/scan/, src/server/middleware/vulnerable/vulnerable.go, src/pkg/allowlist/@v2.15.x.
import { defineCatalog } from '../check-definition.ts';

/** A push, a scan and several pulls, with real Trivy possibly fetching its database first. */
const CHECK_TIMEOUT_MS = 420_000;

const imageVulnerabilities = 'NIST SP 800-190 4.1.1'; // image vulnerabilities: scan, and gate on the result
const staleImages = 'NIST SP 800-190 4.2.2'; // stale images in registries: keep evaluating what is stored
const vulnerabilityScanning = 'NIST SP 800-53 RA-5';
const flawRemediation = 'NIST SP 800-53 SI-2';
const riskResponse = 'NIST SP 800-53 RA-7';
const cisScanned = 'CIS Docker Benchmark 4.4'; // images are scanned and rebuilt to include security patches

export const catalog = defineCatalog('scan-blocking', {
  scanOnPush: {
    id: 'SCAN-001',
    title: 'a push into an auto_scan project is scanned and the scan completes',
    controls: [imageVulnerabilities, vulnerabilityScanning, cisScanned],
    mutating: true,
    requires: ['scanner'],
    evidence: ['project (auto_scan) and push exchanges', 'scan_overview polls until Success', 'push-to-report timing'],
    remediation:
      'Turn on "Automatically scan images on push" (auto_scan) and check that jobservice runs scan jobs and the default scanner is healthy.',
    caughtBy: ['scan-on-push-skipped'],
    timeoutMs: CHECK_TIMEOUT_MS,
  },
  overviewBySeverity: {
    id: 'SCAN-002',
    title:
      "scan_overview reports the fixture's CVEs by severity (the fixture set as a lower bound beyond the offline stack)",
    controls: [imageVulnerabilities, vulnerabilityScanning],
    mutating: true,
    requires: ['scanner'],
    evidence: ['scan trigger, scan_overview and additions/vulnerabilities exchanges', 'expected vs reported CVEs'],
    remediation:
      "Upgrade the scanner adapter or Harbor when scan_overview disagrees with the report: the pull blocker and dashboards read scan_overview's counts.",
    caughtBy: ['scan-summary-counts-cves-not-packages'],
    timeoutMs: CHECK_TIMEOUT_MS,
  },
  blockedAtOrAboveThreshold: {
    id: 'SCAN-003',
    title:
      "with prevent_vul, pulls of an image at or above the severity threshold are refused (GET and HEAD, tag and digest) with 412 and Harbor's message",
    controls: [imageVulnerabilities, flawRemediation, cisScanned],
    mutating: true,
    requires: ['scanner'],
    evidence: [
      'manifest GET/HEAD exchanges by tag and digest (412 PROJECTPOLICYVIOLATION)',
      'the image digest and its scan_overview',
    ],
    remediation:
      'Upgrade to Harbor >= v2.3.0 (policy checks on HEAD) and never serve manifests around core (no proxy-cache project without prevent_vul, no direct registry route).',
    caughtBy: [
      'vulnerability-policy-head-not-enforced',
      'vulnerability-policy-skips-digest-pulls',
      'vulnerability-policy-not-enforced',
    ],
    timeoutMs: CHECK_TIMEOUT_MS,
  },
  allowedBelowThreshold: {
    id: 'SCAN-004',
    title:
      'with prevent_vul, an image whose highest severity is below the threshold pulls, and is refused once the threshold reaches it',
    controls: [imageVulnerabilities, flawRemediation],
    mutating: true,
    requires: ['scanner'],
    evidence: ['manifest GET/HEAD exchanges by tag and digest (200, then 412)', 'scan_overview of the image'],
    remediation:
      "Set each project's severity threshold deliberately: images below it pull, images at or above it are refused; report a Harbor that compares them wrongly.",
    caughtBy: ['vulnerability-policy-not-enforced'],
    timeoutMs: CHECK_TIMEOUT_MS,
  },
  unscannedRefused: {
    id: 'SCAN-005',
    title: 'an unscanned image under prevent_vul is refused as Harbor does ("without vulnerability scanning")',
    controls: [imageVulnerabilities, flawRemediation],
    mutating: true,
    requires: ['scanner'],
    evidence: ['manifest GET/HEAD exchanges by tag and digest (412)', 'scan_overview absent'],
    remediation:
      'Keep the scanner reachable from core (TRIVY_ADAPTER_URL, network policies): Harbor lets unscanned images through when it cannot reach the scanner.',
    caughtBy: ['unscanned-images-pull'],
    timeoutMs: CHECK_TIMEOUT_MS,
  },
  projectAllowlist: {
    id: 'SCAN-006',
    title:
      'a project CVE allowlist lets the pull through only while every finding is listed, and stops once it expires',
    controls: [imageVulnerabilities, riskResponse],
    mutating: true,
    requires: ['scanner'],
    evidence: [
      'PUT /projects/{id} cve_allowlist exchanges',
      'pulls before and after expiry',
      'time from expiry to refusal',
    ],
    remediation:
      'Give project CVE allowlists an expiry and review them; upgrade a Harbor that keeps honouring expired allowlists.',
    caughtBy: ['cve-allowlist-expiry-ignored'],
    timeoutMs: CHECK_TIMEOUT_MS,
  },
  systemAllowlist: {
    id: 'SCAN-007',
    title:
      'the system CVE allowlist applies when reuse_sys_cve_allowlist is true, not when it is false, and not once expired',
    controls: [imageVulnerabilities, riskResponse],
    mutating: true,
    requires: ['scanner'],
    evidence: ['PUT /system/CVEAllowlist exchanges (restored afterwards)', 'pulls under each setting'],
    remediation:
      'Review the system CVE allowlist (Configuration > System Settings) and its expiry: projects with reuse_sys_cve_allowlist=true inherit it.',
    caughtBy: ['cve-allowlist-expiry-ignored'],
    timeoutMs: CHECK_TIMEOUT_MS,
  },
  rescanAfterAdvisoryChange: {
    id: 'SCAN-008',
    title: 'a rescan after the advisory data changes changes the pull verdict (and only the rescan does)',
    controls: [staleImages, imageVulnerabilities, vulnerabilityScanning],
    mutating: true,
    requires: ['scanner'],
    evidence: ['advisory change on the fixture scanner', 'scan_overview before and after each rescan', 'pull verdicts'],
    remediation:
      'Schedule scans of stored images (Interrogation Services > Vulnerability > "Scan all" schedule) so new advisories change pull verdicts.',
    caughtBy: ['vulnerability-policy-not-enforced'],
    timeoutMs: CHECK_TIMEOUT_MS,
  },
  clientsShowMessage: {
    id: 'SCAN-009',
    title: "skopeo and the docker CLI, pulling a blocked image through the stack, show Harbor's policy message",
    controls: [imageVulnerabilities],
    mutating: true,
    requires: ['scanner'],
    evidence: ['skopeo inspect and docker pull exit codes and error output, by tag and digest'],
    remediation:
      "Upgrade clients or Harbor when pulls fail without Harbor's policy message: developers need it to know why a pull was refused.",
    caughtBy: ['vulnerability-policy-not-enforced'],
    timeoutMs: CHECK_TIMEOUT_MS,
  },
  scannerUnreachableWeakness: {
    id: 'SCAN-010',
    title: 'known weakness: an unscanned image pulls under prevent_vul while the scanner is unreachable',
    controls: [imageVulnerabilities, 'NIST SP 800-53 SC-24'],
    mutating: true,
    requires: ['scanner', 'faultInjection'],
    evidence: ['pull refused with the scanner up, allowed with it stopped', 'scanner stop/start and health'],
    remediation:
      "Monitor the default scanner's health (GET /api/v2.0/scanners/{uuid}) and alert on it: while it is unreachable, prevent_vul lets unscanned images through.",
    caughtBy: ['unscanned-images-pull'],
    expectWarn: true,
    timeoutMs: CHECK_TIMEOUT_MS,
  },
  noSeverityWeakness: {
    id: 'SCAN-011',
    title: 'known weakness: prevent_vul without a severity blocks on any finding, whatever its severity',
    controls: [imageVulnerabilities, 'NIST SP 800-53 CM-6'],
    mutating: true,
    requires: ['scanner'],
    evidence: [
      'pull of an image with only its lowest-severity finding left (412, threshold "Unknown")',
      'the same pull under severity critical',
    ],
    remediation:
      'Set a severity on every project with prevent_vul="true": without one every finding blocks, which teams then work around by turning prevention off.',
    caughtBy: ['vulnerability-policy-not-enforced'],
    expectWarn: true,
    timeoutMs: CHECK_TIMEOUT_MS,
  },
});
