// Scan blocking: scan on push, scan_overview, and Harbor's vulnerability pull blocker (prevent_vul +
// severity), CVE allowlists and rescans, with the known weaknesses reported as `warn`.
// Facts: shared/harbor/policy-facts.md §4.2-§4.4, §5.1-§5.2, §5.4.
import { defineCatalog } from '../check-definition.ts';

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
  },
  overviewBySeverity: {
    id: 'SCAN-002',
    title: "scan_overview reports the fixture's CVEs by severity (the fixture set as a lower bound beyond the offline stack)",
    controls: [imageVulnerabilities, vulnerabilityScanning],
    mutating: true,
    requires: ['scanner'],
    evidence: ['scan trigger, scan_overview and additions/vulnerabilities exchanges', 'expected vs reported CVEs'],
  },
  blockedAtOrAboveThreshold: {
    id: 'SCAN-003',
    title: 'with prevent_vul, pulls of an image at or above the severity threshold are refused (GET and HEAD, tag and digest) with 412 and Harbor\'s message',
    controls: [imageVulnerabilities, flawRemediation, cisScanned],
    mutating: true,
    requires: ['scanner'],
    evidence: ['manifest GET/HEAD exchanges by tag and digest (412 PROJECTPOLICYVIOLATION)', 'the image digest and its scan_overview'],
  },
  allowedBelowThreshold: {
    id: 'SCAN-004',
    title: 'with prevent_vul, an image whose highest severity is below the threshold pulls, and is refused once the threshold reaches it',
    controls: [imageVulnerabilities, flawRemediation],
    mutating: true,
    requires: ['scanner'],
    evidence: ['manifest GET/HEAD exchanges by tag and digest (200, then 412)', 'scan_overview of the image'],
  },
  unscannedRefused: {
    id: 'SCAN-005',
    title: 'an unscanned image under prevent_vul is refused as Harbor does ("without vulnerability scanning")',
    controls: [imageVulnerabilities, flawRemediation],
    mutating: true,
    requires: ['scanner'],
    evidence: ['manifest GET/HEAD exchanges by tag and digest (412)', 'scan_overview absent'],
  },
  projectAllowlist: {
    id: 'SCAN-006',
    title: 'a project CVE allowlist lets the pull through only while every finding is listed, and stops once it expires',
    controls: [imageVulnerabilities, riskResponse],
    mutating: true,
    requires: ['scanner'],
    evidence: ['PUT /projects/{id} cve_allowlist exchanges', 'pulls before and after expiry', 'time from expiry to refusal'],
  },
  systemAllowlist: {
    id: 'SCAN-007',
    title: 'the system CVE allowlist applies when reuse_sys_cve_allowlist is true, not when it is false, and not once expired',
    controls: [imageVulnerabilities, riskResponse],
    mutating: true,
    requires: ['scanner'],
    evidence: ['PUT /system/CVEAllowlist exchanges (restored afterwards)', 'pulls under each setting'],
  },
  rescanAfterAdvisoryChange: {
    id: 'SCAN-008',
    title: 'a rescan after the advisory data changes changes the pull verdict (and only the rescan does)',
    controls: [staleImages, imageVulnerabilities, vulnerabilityScanning],
    mutating: true,
    requires: ['scanner'],
    evidence: ['advisory change on the fixture scanner', 'scan_overview before and after each rescan', 'pull verdicts'],
  },
  clientsShowMessage: {
    id: 'SCAN-009',
    title: "skopeo and the docker CLI, pulling a blocked image through the stack, show Harbor's policy message",
    controls: [imageVulnerabilities],
    mutating: true,
    requires: ['scanner'],
    evidence: ['skopeo inspect and docker pull exit codes and error output, by tag and digest'],
  },
  scannerUnreachableWeakness: {
    id: 'SCAN-010',
    title: 'known weakness: an unscanned image pulls under prevent_vul while the scanner is unreachable',
    controls: [imageVulnerabilities, 'NIST SP 800-53 SC-24'],
    mutating: true,
    requires: ['scanner', 'faultInjection'],
    evidence: ['pull refused with the scanner up, allowed with it stopped', 'scanner stop/start and health'],
  },
  noSeverityWeakness: {
    id: 'SCAN-011',
    title: 'known weakness: prevent_vul without a severity blocks on any finding, whatever its severity',
    controls: [imageVulnerabilities, 'NIST SP 800-53 CM-6'],
    mutating: true,
    requires: ['scanner'],
    evidence: ['pull of an image with only its lowest-severity finding left (412, threshold "Unknown")', 'the same pull under severity critical'],
  },
});
