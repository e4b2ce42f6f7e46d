// Scanning as Harbor's scan controller does it (goharbor/harbor src/controller/scan/base_controller.go@v2.15.x): pick the project's scanner,
// walk an index into its children, refuse what is not scannable or still being scanned, create a
// hidden robot with repository:pull + scanner-pull, a Pending report per artifact, and a job in the
// Redis queue. The job (runScanJob) asks the adapter, polls the report, stores it, deletes the robot.
import { randomUUID } from 'node:crypto';
import type { DoubleServices } from '../double-services.ts';
import { badRequest, conflict, HarborError } from '../harbor-error.ts';
import { generateRobotSecret, hashSecret, newSalt } from '../passwords.ts';
import { findArtifactByDigest, listReferences, type ArtifactRow } from '../store/artifacts.ts';
import type { ProjectRow } from '../store/projects.ts';
import { VULN_REPORT_MIME } from './adapter-client.ts';
import { enqueueScan, type ScanJob } from './scan-jobs.ts';
import { adapterFor, registrationMetadata, scannerOfProject } from './scanner-registry.ts';
import {
  createPendingReport,
  findRegistration,
  findReport,
  findReportByUuid,
  updateReport,
  type RegistrationRow,
} from './scan-store.ts';
import { overviewOf } from './scan-overview.ts';
import { parseSeverity } from './severity.ts';

const FIRST_POLL_MS = 2_000;
const REPORT_DEADLINE_MS = 30 * 60 * 1000;
const SCANNER_ROBOT_PREFIX = 'scanner';

/** The artifacts a scan of `artifact` covers: itself, or the children of an index (same repository). */
export async function scanTargets(services: DoubleServices, artifact: ArtifactRow): Promise<ArtifactRow[]> {
  const references = await listReferences(services.db, artifact.id);
  if (references.length === 0) return [artifact];
  const children: ArtifactRow[] = [];
  for (const ref of references) {
    const child = await findArtifactByDigest(services.db, artifact.repository_name, ref.child_digest);
    if (child) children.push(...(await scanTargets(services, child)));
  }
  return children;
}

/** Whether the registration's adapter consumes this artifact (type IMAGE and a consumed manifest type). */
export function isScannable(artifact: ArtifactRow, consumes: readonly string[]): boolean {
  return artifact.type === 'IMAGE' && consumes.includes(artifact.manifest_media_type);
}

export interface TriggerOptions {
  tag?: string;
  /** Who started the scan (the pusher for scan on push): the operator of its SCANNING_* events. */
  operator?: string;
}

/** POST …/artifacts/{ref}/scan. Throws Harbor's errors (412, 400, 409); returns the report uuids. */
export async function triggerScan(
  services: DoubleServices,
  project: ProjectRow,
  artifact: ArtifactRow,
  options: TriggerOptions = {},
): Promise<string[]> {
  const registration = await scannerOfProject(services, project.project_id);
  if (!registration) throw new HarborError('PRECONDITION', `no available scanner for project: ${project.project_id}`);
  if (registration.disabled) throw new HarborError('PRECONDITION', `scanner ${registration.name} is deactivated`);
  let consumes: string[];
  try {
    const metadata = await registrationMetadata(registration);
    consumes = metadata.capabilities
      .filter((c) => (c.type ?? 'vulnerability') === 'vulnerability')
      .flatMap((c) => c.consumes_mime_types);
  } catch (error) {
    throw new HarborError('UNKNOWN', `scanner ${registration.name} unreachable: ${(error as Error).message}`);
  }
  const targets = (await scanTargets(services, artifact)).filter((a) => isScannable(a, consumes));
  if (targets.length === 0) {
    throw badRequest(
      `the configured scanner ${registration.name} does not support scanning artifact with mime type ${artifact.manifest_media_type}`,
    );
  }
  for (const target of targets) {
    const previous = await findReport(services.db, target.digest, registration.uuid, VULN_REPORT_MIME);
    if (previous && (previous.status === 'Pending' || previous.status === 'Running'))
      throw conflict(`a previous scan process is ${previous.status}`);
  }
  const uuids: string[] = [];
  for (const target of targets) uuids.push(await scheduleScan(services, project, registration, target, options));
  return uuids;
}

async function scheduleScan(
  services: DoubleServices,
  project: ProjectRow,
  registration: RegistrationRow,
  artifact: ArtifactRow,
  { tag, operator }: TriggerOptions,
): Promise<string> {
  const reportUuid = await createPendingReport(services.db, {
    digest: artifact.digest,
    registrationUuid: registration.uuid,
    mimeType: VULN_REPORT_MIME,
    repositoryName: artifact.repository_name,
  });
  const prefix = await services.systemConfig.get<string>('robot_name_prefix');
  const storedName = `${project.name}+${SCANNER_ROBOT_PREFIX}-${registration.name}-${randomUUID()}`;
  const secret = generateRobotSecret();
  const salt = newSalt();
  const permissions = [
    {
      kind: 'project',
      namespace: project.name,
      access: [
        { resource: 'repository', action: 'pull' },
        { resource: 'repository', action: 'scanner-pull' },
      ],
    },
  ];
  const robot = await services.db.query<{ id: number }>(
    `INSERT INTO robot (name, description, project_id, level, secret_hash, salt, duration, expires_at, disabled, visible, creator_type, creator_ref, permissions)
     VALUES ($1, 'for scan', $2, 'project', $3, $4, -1, -1, false, false, 'local', 0, $5::jsonb) RETURNING id`,
    [storedName, project.project_id, hashSecret(secret, salt), salt, JSON.stringify(permissions)],
  );
  const robotId = robot.rows[0]!.id;
  await updateReport(services.db, reportUuid, { status: 'Pending', robotId });
  const job: ScanJob = {
    reportUuid,
    registrationUuid: registration.uuid,
    repository: artifact.repository_name,
    digest: artifact.digest,
    ...(tag ? { tag } : {}),
    manifestMediaType: artifact.manifest_media_type,
    size: artifact.size,
    registryUrl: registration.use_internal_addr ? services.config.coreUrl : services.config.extEndpoint,
    authorization: `Basic ${Buffer.from(`${prefix}${storedName}:${secret}`).toString('base64')}`,
    robotId,
    projectId: project.project_id,
    ...(operator ? { operator } : {}),
  };
  await enqueueScan(services.redis, job);
  return reportUuid;
}

/** The jobservice side: one scan job from the queue, to a final report status. */
export async function runScanJob(services: DoubleServices, job: ScanJob): Promise<void> {
  try {
    const registration = await findRegistration(services.db, job.registrationUuid);
    if (!registration) throw new Error(`scanner registration ${job.registrationUuid} no longer exists`);
    await updateReport(services.db, job.reportUuid, { status: 'Running' });
    const adapter = adapterFor(registration);
    const metadata = await registrationMetadata(registration);
    const scanId = await adapter.submitScan({
      registry: { url: job.registryUrl, authorization: job.authorization },
      artifact: {
        repository: job.repository,
        ...(job.tag ? { tag: job.tag } : {}),
        digest: job.digest,
        mime_type: job.manifestMediaType,
        size: job.size,
      },
      enabled_capabilities: [{ type: 'vulnerability', produces_mime_types: [VULN_REPORT_MIME], parameters: null }],
    });
    const deadline = Date.now() + REPORT_DEADLINE_MS;
    let wait = FIRST_POLL_MS;
    for (;;) {
      await new Promise((r) => setTimeout(r, wait));
      const poll = await adapter.report(scanId, VULN_REPORT_MIME);
      if (poll.kind === 'ready') {
        await updateReport(services.db, job.reportUuid, {
          status: 'Success',
          report: normaliseReport(poll.report),
          scanner: metadata.scanner,
          final: true,
        });
        break;
      }
      if (Date.now() > deadline) throw new Error(`report of scan ${scanId} not ready after 30 min`);
      wait = poll.refreshAfterSeconds * 1000;
    }
    await publishScanEvent(services, job, 'SCANNING_COMPLETED');
  } catch (error) {
    await updateReport(services.db, job.reportUuid, { status: 'Error', error: (error as Error).message, final: true });
    await publishScanEvent(services, job, 'SCANNING_FAILED');
  } finally {
    // The temporary scanner robot goes when the task is final (callback.go).
    await services.db.query('DELETE FROM robot WHERE id = $1 AND visible = false', [job.robotId]);
  }
}

/** SCANNING_COMPLETED / SCANNING_FAILED for the scanned artifact, with its report's overview (scan.go). */
async function publishScanEvent(
  services: DoubleServices,
  job: ScanJob,
  type: 'SCANNING_COMPLETED' | 'SCANNING_FAILED',
): Promise<void> {
  const report = await findReportByUuid(services.db, job.reportUuid);
  const overview = report ? overviewOf([report]) : undefined;
  await services.events.publish({
    type,
    operator: job.operator ?? 'harbor-jobservice',
    occurAt: new Date(),
    projectId: job.projectId ?? 0,
    repository: job.repository,
    digest: job.digest,
    tag: job.tag ?? '',
    scanOverview: overview ? { [VULN_REPORT_MIME]: overview } : {},
  });
}

type Item = { id?: string; package?: string; version?: string; severity?: string; fix_version?: string };

/** Severities normalised, items de-duplicated by id-package-version (vuln/report.go). */
export function normaliseReport(report: unknown): { vulnerabilities: Item[]; [key: string]: unknown } {
  if (typeof report !== 'object' || report === null) throw new Error('scanner report is not an object');
  const raw = report as { vulnerabilities?: unknown; severity?: string };
  if (raw.vulnerabilities !== undefined && raw.vulnerabilities !== null && !Array.isArray(raw.vulnerabilities))
    throw new Error('scanner report vulnerabilities is not a list');
  const seen = new Set<string>();
  const vulnerabilities: Item[] = [];
  for (const item of (raw.vulnerabilities ?? []) as Item[]) {
    const key = `${item.id}-${item.package}-${item.version}`;
    if (seen.has(key)) continue;
    seen.add(key);
    vulnerabilities.push({ ...item, severity: parseSeverity(item.severity) });
  }
  return { ...(report as Record<string, unknown>), severity: parseSeverity(raw.severity), vulnerabilities };
}
