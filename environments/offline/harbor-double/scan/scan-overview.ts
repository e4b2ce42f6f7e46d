// scan_overview of an artifact (goharbor/harbor src/pkg/scan/vuln/summary.go@v2.15.x): the report of the project's scanner for the v1.1
// report type, summarised; an index merges its children's reports.
import type { DoubleServices } from '../double-services.ts';
import type { ArtifactRow } from '../store/artifacts.ts';
import type { ProjectRow } from '../store/projects.ts';
import { VULN_REPORT_MIME } from './adapter-client.ts';
import { scanTargets } from './scan-controller.ts';
import { findReport, type ReportRow } from './scan-store.ts';
import { scannerOfProject } from './scanner-registry.ts';
import { parseSeverity, severityCode } from './severity.ts';

export const OVERVIEW_MIME_TYPES = [
  VULN_REPORT_MIME,
  'application/vnd.scanner.adapter.vuln.report.harbor+json; version=1.0',
];

/** The reports behind an artifact's overview (its own, or its children's), for the project's scanner. */
export async function reportsOf(
  services: DoubleServices,
  project: ProjectRow,
  artifact: ArtifactRow,
): Promise<ReportRow[]> {
  const registration = await scannerOfProject(services, project.project_id);
  if (!registration) return [];
  const reports: ReportRow[] = [];
  for (const target of await scanTargets(services, artifact)) {
    const report = await findReport(services.db, target.digest, registration.uuid, VULN_REPORT_MIME);
    if (report) reports.push(report);
  }
  return reports;
}

const isoTime = (d: Date | null): string | undefined => (d ? d.toISOString() : undefined);

function mergedStatus(reports: readonly ReportRow[]): string {
  const statuses = reports.map((r) => r.status);
  if (statuses.includes('Running')) return 'Running';
  if (statuses.includes('Stopped')) return 'Stopped';
  if (statuses.includes('Success')) return 'Success';
  return [...reports].sort((a, b) => b.start_time.getTime() - a.start_time.getTime())[0]?.status ?? 'Pending';
}

/** `countCvesOnce`: the scan-summary-counts-cves-not-packages fault (one count per CVE, not per package). */
export function overviewOf(
  reports: readonly ReportRow[],
  options: { countCvesOnce?: boolean } = {},
): Record<string, unknown> | undefined {
  const first = reports[0];
  if (!first) return undefined;
  const status = mergedStatus(reports);
  const start = new Date(Math.min(...reports.map((r) => r.start_time.getTime())));
  const ends = reports.map((r) => r.end_time);
  const end = ends.every((e) => e !== null) ? new Date(Math.max(...ends.map((e) => e!.getTime()))) : null;
  const overview: Record<string, unknown> = {
    report_id: first.uuid,
    scan_status: status,
    severity: '',
    duration: end ? Math.round((end.getTime() - start.getTime()) / 1000) : 0,
    start_time: isoTime(start),
    end_time: isoTime(end),
    complete_percent: status === 'Success' || status === 'Error' || status === 'Stopped' ? 100 : 0,
    scanner: first.scanner ?? undefined,
  };
  if (status === 'Success') {
    const reported = reports.filter((r) => r.status === 'Success').flatMap((r) => r.report?.vulnerabilities ?? []);
    const items = options.countCvesOnce
      ? reported.filter((item, i) => reported.findIndex((other) => other.id === item.id) === i)
      : reported;
    const counts: Record<string, number> = {};
    let highest = 'None';
    for (const item of items) {
      const severity = parseSeverity(item.severity);
      counts[severity] = (counts[severity] ?? 0) + 1;
      if (severityCode(severity) > severityCode(highest)) highest = severity;
    }
    overview['severity'] = highest;
    overview['summary'] = {
      total: items.length,
      fixable: items.filter((i) => (i.fix_version ?? '') !== '').length,
      summary: counts,
    };
  }
  return overview;
}

/** The artifact's scan_overview keyed by report MIME type (X-Accept-Vulnerabilities order), or undefined. */
export async function scanOverview(
  services: DoubleServices,
  project: ProjectRow,
  artifact: ArtifactRow,
  accept: readonly string[],
): Promise<Record<string, unknown> | undefined> {
  if (!accept.includes(VULN_REPORT_MIME)) return undefined;
  const overview = overviewOf(await reportsOf(services, project, artifact), {
    countCvesOnce: services.faults.has('scan-summary-counts-cves-not-packages'),
  });
  return overview ? { [VULN_REPORT_MIME]: overview } : undefined;
}

/** X-Accept-Vulnerabilities: only the two known report types count; default both. */
export function acceptedReportTypes(header: string | string[] | undefined): string[] {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (!value) return OVERVIEW_MIME_TYPES;
  const norm = (s: string) => s.replace(/\s+/g, '').toLowerCase();
  const wanted = value.split(',').map(norm);
  return OVERVIEW_MIME_TYPES.filter((t) => wanted.includes(norm(t)));
}
