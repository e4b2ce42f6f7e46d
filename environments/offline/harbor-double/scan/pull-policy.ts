// Gathers what Harbor's `vulnerable` middleware looks at on GET/HEAD /v2/<repo>/manifests/<ref>
// (goharbor/harbor src/server/middleware/vulnerable/vulnerable.go@v2.15.x) and enforces vulnerabilityViolation with a 412 PROJECTPOLICYVIOLATION.
import type { FastifyRequest } from 'fastify';
import type { DoubleServices } from '../double-services.ts';
import { HarborError } from '../harbor-error.ts';
import { skipPolicyChecking } from '../registry/content-trust.ts';
import { isDigest, listReferences, type ArtifactRow } from '../store/artifacts.ts';
import { isTrue, type ProjectRow } from '../store/projects.ts';
import { isScannable, scanTargets } from './scan-controller.ts';
import { reportsOf } from './scan-overview.ts';
import { getAllowlist } from './scan-store.ts';
import { registrationMetadata, scannerOfProject } from './scanner-registry.ts';
import { type Allowlist, type ReportFacts, vulnerabilityViolation } from './vulnerability-policy.ts';

/** The project's own list when reuse_sys_cve_allowlist is present and not true; else the system list. */
export async function effectiveAllowlist(services: DoubleServices, project: ProjectRow): Promise<Allowlist> {
  const reuse = project.metadata['reuse_sys_cve_allowlist'];
  const row = await getAllowlist(services.db, reuse !== undefined && !isTrue(reuse) ? project.project_id : 0);
  return { items: (row?.items ?? []).map((i) => i.cve_id), expiresAt: row?.expires_at ?? null };
}

async function reportFacts(services: DoubleServices, project: ProjectRow, artifact: ArtifactRow): Promise<ReportFacts> {
  const reports = await reportsOf(services, project, artifact);
  const isIndex = (await listReferences(services.db, artifact.id)).length > 0;
  // An index's report is its children's, and it has none while one child has none (GetReport,
  // goharbor/harbor src/controller/scan/base_controller.go@v2.15.2): then it is judged as unscanned.
  if (isIndex && reports.length > 0 && reports.length === (await scanTargets(services, artifact)).length)
    return { kind: 'index-with-report' };
  const report = reports[0];
  if (report && !isIndex)
    return { kind: 'report', status: report.status, vulnerabilities: report.report?.vulnerabilities ?? [] };
  const registration = await scannerOfProject(services, project.project_id);
  if (!registration) return { kind: 'none', scannerRegistered: false, scannableAndReachable: false };
  try {
    const metadata = await registrationMetadata(registration);
    const consumes = metadata.capabilities.flatMap((c) => c.consumes_mime_types);
    // An index without reports is blocked when its children are scannable.
    const scannable = isIndex ? artifact.type === 'IMAGE' : isScannable(artifact, consumes);
    return { kind: 'none', scannerRegistered: true, scannableAndReachable: scannable };
  } catch {
    return { kind: 'none', scannerRegistered: true, scannableAndReachable: false };
  }
}

export async function enforceVulnerabilityPolicy(
  services: DoubleServices,
  request: FastifyRequest,
  project: ProjectRow,
  artifact: ArtifactRow,
  reference: string,
): Promise<void> {
  if (!isTrue(project.metadata['prevent_vul'])) return;
  if (services.faults.has('vulnerability-policy-not-enforced')) return;
  if (request.method === 'HEAD' && services.faults.has('vulnerability-policy-head-not-enforced')) return;
  if (isDigest(reference) && services.faults.has('vulnerability-policy-skips-digest-pulls')) return;
  let report = await reportFacts(services, project, artifact);
  // Fault unscanned-images-pull: no report is treated as "scanner unreachable", which Harbor lets through.
  if (report.kind === 'none' && services.faults.has('unscanned-images-pull'))
    report = { kind: 'none', scannerRegistered: true, scannableAndReachable: false };
  if (report.kind === 'report' && report.status === 'Error' && services.faults.has('scan-error-allows-pull'))
    report = { kind: 'report', status: 'Success', vulnerabilities: [] };
  const message = vulnerabilityViolation({
    preventVul: true,
    severity: project.metadata['severity'],
    // util.go SkipPolicyChecking: scanner-pull tokens and artifacts whose first accessory record is a
    // cosign/notation signature (signing-tool tokens only before v2.15.3, GHSA-wrw5-gmvj-gf23).
    exempt: await skipPolicyChecking(services, request, project, artifact, 'vulnerability'),
    report,
    allowlist: await effectiveAllowlist(services, project),
    nowSeconds: Math.floor(Date.now() / 1000),
    ignoreAllowlistExpiry: services.faults.has('cve-allowlist-expiry-ignored'),
    exclusiveThreshold: services.faults.has('severity-threshold-exclusive'),
  });
  if (message) throw new HarborError('PROJECTPOLICYVIOLATION', message);
}
