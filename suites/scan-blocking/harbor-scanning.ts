// Harbor's scanning and allowlist API as the scan-blocking checks use it (goharbor/harbor src/server/v2.0/handler/scan.go,
// src/pkg/allowlist/manager.go@v2.15.x),
// through lib/harbor-api.ts's generic request so every exchange is evidence.
import { encodeRepositoryName, VULNERABILITY_REPORT_MIME, type HarborApiClient } from '../../lib/harbor-api.ts';
import type { Artifact, NativeReportSummary } from '../../lib/harbor-api-types.ts';
import { pollUntil } from '../../lib/poll.ts';

/** Harbor's older native report type: the second key scan_overview may use. */
const NATIVE_REPORT_MIME = 'application/vnd.scanner.adapter.vuln.report.harbor+json; version=1.0';

export interface ReportItem {
  id: string;
  package?: string;
  version?: string;
  fix_version?: string;
  severity?: string;
}

const artifactPath = (project: string, repository: string, reference: string) =>
  `/projects/${encodeURIComponent(project)}/repositories/${encodeRepositoryName(repository)}/artifacts/${encodeURIComponent(reference)}`;

/** POST …/scan → 202. */
export async function triggerScan(
  api: HarborApiClient,
  project: string,
  repository: string,
  reference: string,
): Promise<void> {
  await api.request('POST', `${artifactPath(project, repository, reference)}/scan`, {
    body: { scan_type: 'vulnerability' },
    expect: [202],
  });
}

/** The artifact's scan_overview entry (1.1 report type first, as Harbor's default Accept), or undefined. */
export async function scanOverview(
  api: HarborApiClient,
  project: string,
  repository: string,
  reference: string,
): Promise<NativeReportSummary | undefined> {
  const artifact = await api.getArtifact(project, repository, reference, { with_scan_overview: true });
  return overviewOf(artifact);
}

export function overviewOf(artifact: Artifact): NativeReportSummary | undefined {
  return artifact.scan_overview?.[VULNERABILITY_REPORT_MIME] ?? artifact.scan_overview?.[NATIVE_REPORT_MIME];
}

export interface WaitOptions {
  timeoutMs: number;
  /** Wait for a report other than this one (a rescan). */
  notReportId?: string;
  signal?: AbortSignal;
}

/** Polls scan_overview until the scan is final; throws unless it ended in Success. */
export async function waitForScanSuccess(
  api: HarborApiClient,
  project: string,
  repository: string,
  reference: string,
  options: WaitOptions,
): Promise<NativeReportSummary> {
  const overview = await pollUntil(() => scanOverview(api, project, repository, reference), {
    timeoutMs: options.timeoutMs,
    intervalMs: 1000,
    describe: `the scan of ${project}/${repository}:${reference} to finish${options.notReportId ? ` (a report other than ${options.notReportId})` : ''}`,
    accept: (o) =>
      o !== undefined &&
      o.report_id !== options.notReportId &&
      ['Success', 'Error', 'Stopped'].includes(o.scan_status ?? ''),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (overview?.scan_status !== 'Success')
    throw new Error(`the scan of ${project}/${repository}:${reference} ended ${overview?.scan_status}, not Success`);
  return overview;
}

/** GET …/additions/vulnerabilities: the report's items (1.1 type first). */
export async function reportItems(
  api: HarborApiClient,
  project: string,
  repository: string,
  reference: string,
): Promise<ReportItem[]> {
  const response = await api.request<Record<string, { vulnerabilities?: ReportItem[] } | undefined>>(
    'GET',
    `${artifactPath(project, repository, reference)}/additions/vulnerabilities`,
  );
  const report = response.data?.[VULNERABILITY_REPORT_MIME] ?? response.data?.[NATIVE_REPORT_MIME];
  return report?.vulnerabilities ?? [];
}

export interface AllowlistBody {
  items: { cve_id: string }[];
  expires_at?: number | null;
}

export const allowlistOf = (ids: Iterable<string>, expiresAt?: number): AllowlistBody => ({
  items: [...new Set(ids)].map((cve_id) => ({ cve_id })),
  ...(expiresAt !== undefined ? { expires_at: expiresAt } : {}),
});

/** PUT /projects/{name} with the project's own allowlist (replaces it). */
export async function setProjectAllowlist(
  api: HarborApiClient,
  project: string,
  allowlist: AllowlistBody,
): Promise<void> {
  await api.updateProject(project, { cve_allowlist: allowlist });
}

export async function getSystemAllowlist(api: HarborApiClient): Promise<AllowlistBody> {
  const data =
    (await api.request<{ items?: { cve_id: string }[]; expires_at?: number | null }>('GET', '/system/CVEAllowlist'))
      .data ?? {};
  return {
    items: (data.items ?? []).map((i) => ({ cve_id: i.cve_id })),
    ...(data.expires_at !== undefined && data.expires_at !== null ? { expires_at: data.expires_at } : {}),
  };
}

/** PUT /system/CVEAllowlist (overwrites; admin only). */
export async function setSystemAllowlist(api: HarborApiClient, allowlist: AllowlistBody): Promise<void> {
  await api.request('PUT', '/system/CVEAllowlist', { body: allowlist, expect: [200] });
}

export interface ScannerRegistration {
  uuid: string;
  name: string;
  is_default?: boolean;
  health?: string;
  url?: string;
}

/** The default scanner registration, or undefined. */
export async function defaultScanner(api: HarborApiClient): Promise<ScannerRegistration | undefined> {
  const list = (await api.request<ScannerRegistration[]>('GET', '/scanners')).data ?? [];
  return list.find((r) => r.is_default);
}

/**
 * The health Harbor reports for the scanner a project uses. Only GET /projects/{p}/scanner pings the
 * adapter and says `health`; GET /scanners/{uuid} never carries it on real Harbor v2.15.2
 * (goharbor/harbor src/controller/scanner/base_controller.go GetRegistrationByProject vs GetRegistration@v2.15.x).
 */
export async function scannerHealth(api: HarborApiClient, project: string, uuid: string): Promise<string | undefined> {
  const registration = (
    await api.request<ScannerRegistration>('GET', `/projects/${encodeURIComponent(project)}/scanner`, {
      headers: { 'x-is-resource-name': 'true' },
    })
  ).data;
  if (registration?.uuid !== uuid)
    throw new Error(`project ${project} uses scanner ${registration?.uuid ?? '(none)'}, not ${uuid}`);
  return registration.health;
}
