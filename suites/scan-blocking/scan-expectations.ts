// What Harbor's pull blocker and scan_overview should show, as pure functions (goharbor/harbor
// src/server/middleware/vulnerable/vulnerable.go, src/pkg/scan/vuln/summary.go@v2.15.x):
// severity order, the threshold name in the 412 message, the message patterns, and the fixture's CVEs.
import { ADVISORIES } from '../../fixtures/advisories/advisory-set.ts';
import type { Distro } from '../../fixtures/advisories/advisory.ts';

/** Harbor's severity codes (src/pkg/scan/vuln/severity.go): None/Unknown 0 … Critical 5. */
const SEVERITY_CODES: Record<string, number> = {
  None: 0,
  Unknown: 0,
  Negligible: 1,
  Low: 2,
  Medium: 3,
  High: 4,
  Critical: 5,
};

export function severityCode(severity: string | undefined): number {
  return SEVERITY_CODES[titleCase(severity ?? '')] ?? 99;
}

function titleCase(value: string): string {
  return value.charAt(0).toUpperCase() + value.slice(1).toLowerCase();
}

/** The project `severity` metadata as the 412 message names it: title case, unset → Unknown, negligible → None. */
export function thresholdName(severity: string | undefined): string {
  if (severity === undefined || severity === '') return 'Unknown';
  const name = titleCase(severity);
  if (name === 'Negligible') return 'None';
  return name in SEVERITY_CODES ? name : 'Unknown';
}

/** The project threshold one step above a severity (what lets an image of that severity through), if any. */
export function thresholdAbove(severity: string): string | undefined {
  const code = severityCode(severity);
  const above = (['low', 'medium', 'high', 'critical'] as const).find((t) => severityCode(t) > code);
  return above;
}

/** The project threshold equal to a report severity (metadata value), for None/Unknown findings `none`. */
export function thresholdAt(severity: string): string {
  const code = severityCode(severity);
  return (['none', 'low', 'medium', 'high', 'critical'] as const).find((t) => severityCode(t) === code) ?? 'none';
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function policyClause(threshold: string): string {
  return `due to configured policy in 'Prevent images with vulnerability severity of "${threshold}" or higher from running.'`;
}

/** The 412 message for a scanned image over the threshold; group 1 is N (all non-allowlisted findings). */
export function vulnerableMessagePattern(threshold: string): RegExp {
  return new RegExp(
    `^current image with (\\d+) vulnerabilit(?:y|ies) cannot be pulled ${escapeRegExp(policyClause(threshold))} ` +
      `To continue with pull, please contact your project administrator to exempt matched vulnerabilities through configuring the CVE allowlist\\.$`,
  );
}

/** The 412 message for an image without a report. */
export function unscannedMessage(threshold: string): string {
  return `current image without vulnerability scanning cannot be pulled ${policyClause(threshold)} To continue with pull, please contact your project administrator for help.`;
}

/** Whether a client's output contains the whole 412 message (skopeo's logrus quoting escapes its `"`). */
export function showsVulnerableMessage(output: string, threshold: string): boolean {
  const unescaped = output.replace(/\\"/g, '"');
  const pattern = vulnerableMessagePattern(threshold).source.replace(/^\^/, '').replace(/\$$/, '');
  return new RegExp(pattern).test(unescaped);
}

/** Words of the message that any client shows, whatever it prefixes (docker: "unknown: …"). */
export const BLOCKED_MARKER = 'cannot be pulled due to configured policy';

export interface ExpectedFinding {
  id: string;
  packages: readonly string[];
  version: string;
  fixVersion: string;
  severity: string;
}

/** The fixture advisory set's findings for a distro's vulnerable fixture (one per CVE, every binary package). */
export function expectedFindings(distro: Distro): ExpectedFinding[] {
  return ADVISORIES.filter((a) => a.distro === distro).map((a) => ({
    id: a.id,
    packages: a.binaryPackages,
    version: a.fixtureVersion,
    fixVersion: a.fixedVersion,
    severity: a.severity,
  }));
}

/** Per-severity counts of report items as scan_overview's summary counts them. */
export function countBySeverity(items: readonly { severity?: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) {
    const severity = item.severity ?? 'Unknown';
    counts[severity] = (counts[severity] ?? 0) + 1;
  }
  return counts;
}

/** The highest severity among report items (None when there are none). */
export function highestSeverity(items: readonly { severity?: string }[]): string {
  let highest = 'None';
  for (const item of items)
    if (severityCode(item.severity) > severityCode(highest)) highest = item.severity ?? 'Unknown';
  return highest;
}
