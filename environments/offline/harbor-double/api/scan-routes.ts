// Scanning API (goharbor/harbor src/controller/scan/base_controller.go@v2.15.x): trigger and stop a scan, the scan log, the vulnerabilities
// addition, and the system CVE allowlist (§5.2).
import type { FastifyInstance } from 'fastify';
import type { DoubleServices } from '../double-services.ts';
import { badRequest, notFound, unauthorized } from '../harbor-error.ts';
import { isAuthenticated, usernameOf } from '../security/security-context.ts';
import { findArtifact } from '../store/artifacts.ts';
import { triggerScan } from '../scan/scan-controller.ts';
import { reportsOf } from '../scan/scan-overview.ts';
import { findReportByUuid, getAllowlist, putAllowlist, updateReport } from '../scan/scan-store.ts';
import { VULN_REPORT_MIME } from '../scan/adapter-client.ts';
import { isoTime, projectForAccess, requireSystemAccess } from './api-support.ts';

interface ArtifactParams {
  project: string;
  repository: string;
  reference: string;
}

/** Validates an allowlist body; Harbor answers a bad item with a plain error (500). */
export function parseAllowlistBody(body: unknown): { items: { cve_id: string }[]; expiresAt: number | null } {
  const raw = (body ?? {}) as { items?: unknown; expires_at?: unknown };
  if (raw.items !== undefined && raw.items !== null && !Array.isArray(raw.items))
    throw badRequest('items must be a list');
  const items: { cve_id: string }[] = [];
  const seen = new Set<string>();
  for (const item of (raw.items ?? []) as { cve_id?: unknown }[]) {
    const id = typeof item?.cve_id === 'string' ? item.cve_id.trim() : '';
    if (id === '') throw new Error('empty CVE ID in allowlist');
    if (seen.has(id)) throw new Error(`duplicate CVE ID in allowlist: ${id}`);
    seen.add(id);
    items.push({ cve_id: id });
  }
  const expires = raw.expires_at;
  if (expires !== undefined && expires !== null && (typeof expires !== 'number' || !Number.isInteger(expires)))
    throw badRequest('expires_at must be an integer');
  return { items, expiresAt: (expires as number | null | undefined) ?? null };
}

export function allowlistModel(
  projectId: number,
  row: Awaited<ReturnType<typeof getAllowlist>>,
): Record<string, unknown> {
  return {
    id: row ? projectId + 1 : 0,
    project_id: projectId,
    items: row?.items ?? [],
    ...(row?.expires_at !== null && row?.expires_at !== undefined ? { expires_at: row.expires_at } : {}),
    creation_time: row ? isoTime(row.creation_time) : '0001-01-01T00:00:00.000Z',
    update_time: row ? isoTime(row.update_time) : '0001-01-01T00:00:00.000Z',
  };
}

export function registerScanRoutes(app: FastifyInstance, services: DoubleServices): void {
  const artifactPath = '/api/v2.0/projects/:project/repositories/:repository/artifacts/:reference';

  app.post(`${artifactPath}/scan`, async (request, reply) => {
    const params = request.params as ArtifactParams;
    const project = await projectForAccess(services, request.security, params.project, 'scan', 'create', true);
    const name = `${project.name}/${decodeURIComponent(params.repository)}`;
    const artifact = await findArtifact(services.db, name, params.reference);
    if (!artifact) throw notFound(`artifact ${name}:${params.reference} not found`);
    const scanType = (request.body as { scan_type?: unknown } | undefined)?.scan_type;
    if (scanType !== undefined && scanType !== 'vulnerability') {
      throw badRequest(`the configured scanner does not support scan type ${String(scanType)}`);
    }
    await triggerScan(services, project, artifact, {
      ...(/^sha256:/.test(params.reference) ? {} : { tag: params.reference }),
      operator: usernameOf(request.security),
    });
    reply.status(202).send();
  });

  app.post(`${artifactPath}/scan/stop`, async (request, reply) => {
    const params = request.params as ArtifactParams;
    const project = await projectForAccess(services, request.security, params.project, 'scan', 'stop', true);
    const name = `${project.name}/${decodeURIComponent(params.repository)}`;
    const artifact = await findArtifact(services.db, name, params.reference);
    if (!artifact) throw notFound(`artifact ${name}:${params.reference} not found`);
    for (const report of await reportsOf(services, project, artifact)) {
      if (report.status === 'Pending' || report.status === 'Running')
        await updateReport(services.db, report.uuid, { status: 'Stopped', final: true });
    }
    reply.status(202).send();
  });

  app.get(`${artifactPath}/scan/:reportId/log`, async (request, reply) => {
    const params = request.params as ArtifactParams & { reportId: string };
    await projectForAccess(services, request.security, params.project, 'scan', 'read', true);
    const report = await findReportByUuid(services.db, params.reportId);
    if (!report) throw notFound(`report with uuid ${params.reportId} does not exist`);
    const lines = [
      `${isoTime(report.start_time)} [INFO] scan of ${report.repository_name}@${report.digest}: ${report.status}`,
    ];
    if (report.error) lines.push(`[ERROR] ${report.error}`);
    reply.type('text/plain; charset=utf-8').send(`${lines.join('\n')}\n`);
  });

  app.get(`${artifactPath}/additions/vulnerabilities`, async (request) => {
    const params = request.params as ArtifactParams;
    const project = await projectForAccess(
      services,
      request.security,
      params.project,
      'artifact-addition',
      'read',
      true,
    );
    const name = `${project.name}/${decodeURIComponent(params.repository)}`;
    const artifact = await findArtifact(services.db, name, params.reference);
    if (!artifact) throw notFound(`artifact ${name}:${params.reference} not found`);
    const report = (await reportsOf(services, project, artifact)).find((r) => r.status === 'Success');
    return report ? { [VULN_REPORT_MIME]: report.report } : {};
  });

  app.get('/api/v2.0/system/CVEAllowlist', async (request) => {
    if (!isAuthenticated(request.security)) throw unauthorized();
    return allowlistModel(0, await getAllowlist(services.db, 0));
  });

  app.put('/api/v2.0/system/CVEAllowlist', async (request, reply) => {
    await requireSystemAccess(services, request.security, 'configuration', 'update');
    const { items, expiresAt } = parseAllowlistBody(request.body);
    await putAllowlist(services.db, 0, items, expiresAt);
    reply.status(200).send();
  });
}
