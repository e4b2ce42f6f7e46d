// PostgreSQL rows of scanning: registrations, the project's chosen scanner, reports, CVE allowlists.
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../database.ts';

export interface RegistrationRow {
  id: number;
  uuid: string;
  name: string;
  description: string;
  url: string;
  auth: string;
  access_credential: string;
  skip_cert_verify: boolean;
  use_internal_addr: boolean;
  immutable: boolean;
  disabled: boolean;
  is_default: boolean;
  create_time: Date;
  update_time: Date;
}

export type ScanStatus = 'Pending' | 'Running' | 'Stopped' | 'Error' | 'Success';

export interface ReportRow {
  uuid: string;
  digest: string;
  registration_uuid: string;
  mime_type: string;
  repository_name: string;
  status: ScanStatus;
  scanner: { name: string; vendor: string; version: string } | null;
  report: {
    vulnerabilities?: Array<{
      id?: string;
      severity?: string;
      fix_version?: string;
      package?: string;
      version?: string;
    }>;
  } | null;
  error: string;
  robot_id: number | null;
  start_time: Date;
  end_time: Date | null;
}

export interface AllowlistRow {
  project_id: number;
  items: { cve_id: string }[];
  expires_at: number | null;
  creation_time: Date;
  update_time: Date;
}

// ---------------------------------------------------------------- registrations

export async function listRegistrations(db: Queryable): Promise<RegistrationRow[]> {
  return (await db.query<RegistrationRow>('SELECT * FROM scanner_registration ORDER BY id')).rows;
}

export async function findRegistration(db: Queryable, uuid: string): Promise<RegistrationRow | undefined> {
  return (await db.query<RegistrationRow>('SELECT * FROM scanner_registration WHERE uuid = $1', [uuid])).rows[0];
}

export async function findRegistrationByName(db: Queryable, name: string): Promise<RegistrationRow | undefined> {
  return (await db.query<RegistrationRow>('SELECT * FROM scanner_registration WHERE name = $1', [name])).rows[0];
}

export async function defaultRegistration(db: Queryable): Promise<RegistrationRow | undefined> {
  return (await db.query<RegistrationRow>('SELECT * FROM scanner_registration WHERE is_default ORDER BY id LIMIT 1'))
    .rows[0];
}

export async function insertRegistration(
  db: Queryable,
  r: Pick<
    RegistrationRow,
    | 'name'
    | 'description'
    | 'url'
    | 'auth'
    | 'access_credential'
    | 'skip_cert_verify'
    | 'use_internal_addr'
    | 'immutable'
    | 'disabled'
  >,
): Promise<RegistrationRow> {
  const result = await db.query<RegistrationRow>(
    `INSERT INTO scanner_registration (uuid, name, description, url, auth, access_credential, skip_cert_verify, use_internal_addr, immutable, disabled)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
    [
      randomUUID(),
      r.name,
      r.description,
      r.url,
      r.auth,
      r.access_credential,
      r.skip_cert_verify,
      r.use_internal_addr,
      r.immutable,
      r.disabled,
    ],
  );
  return result.rows[0]!;
}

export async function updateRegistration(
  db: Queryable,
  uuid: string,
  r: Partial<Omit<RegistrationRow, 'id' | 'uuid' | 'create_time' | 'update_time'>>,
): Promise<void> {
  const entries = Object.entries(r).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return;
  const sets = entries.map(([k], i) => `${k} = $${i + 2}`).join(', ');
  await db.query(`UPDATE scanner_registration SET ${sets}, update_time = now() WHERE uuid = $1`, [
    uuid,
    ...entries.map(([, v]) => v),
  ]);
}

export async function setDefaultRegistration(db: Queryable, uuid: string): Promise<void> {
  await db.query('UPDATE scanner_registration SET is_default = (uuid = $1), update_time = now()', [uuid]);
}

export async function deleteRegistration(db: Queryable, uuid: string): Promise<void> {
  await db.query('DELETE FROM scanner_registration WHERE uuid = $1', [uuid]);
}

export async function projectScannerUuid(db: Queryable, projectId: number): Promise<string | undefined> {
  return (
    await db.query<{ registration_uuid: string }>(
      'SELECT registration_uuid FROM project_scanner WHERE project_id = $1',
      [projectId],
    )
  ).rows[0]?.registration_uuid;
}

export async function setProjectScanner(db: Queryable, projectId: number, uuid: string): Promise<void> {
  await db.query(
    'INSERT INTO project_scanner (project_id, registration_uuid) VALUES ($1, $2) ON CONFLICT (project_id) DO UPDATE SET registration_uuid = EXCLUDED.registration_uuid',
    [projectId, uuid],
  );
}

export async function clearProjectScanner(db: Queryable, projectId: number): Promise<void> {
  await db.query('DELETE FROM project_scanner WHERE project_id = $1', [projectId]);
}

// ---------------------------------------------------------------- reports

export async function findReport(
  db: Queryable,
  digest: string,
  registrationUuid: string,
  mimeType: string,
): Promise<ReportRow | undefined> {
  return (
    await db.query<ReportRow>(
      'SELECT * FROM scan_report WHERE digest = $1 AND registration_uuid = $2 AND mime_type = $3',
      [digest, registrationUuid, mimeType],
    )
  ).rows[0];
}

export async function findReportByUuid(db: Queryable, uuid: string): Promise<ReportRow | undefined> {
  return (await db.query<ReportRow>('SELECT * FROM scan_report WHERE uuid = $1', [uuid])).rows[0];
}

/** Replaces any earlier report of the same digest/registration/type with a new Pending one. */
export async function createPendingReport(
  db: Queryable,
  r: { digest: string; registrationUuid: string; mimeType: string; repositoryName: string },
): Promise<string> {
  const uuid = randomUUID();
  await db.query('DELETE FROM scan_report WHERE digest = $1 AND registration_uuid = $2 AND mime_type = $3', [
    r.digest,
    r.registrationUuid,
    r.mimeType,
  ]);
  await db.query(
    `INSERT INTO scan_report (uuid, digest, registration_uuid, mime_type, repository_name, status) VALUES ($1, $2, $3, $4, $5, 'Pending')`,
    [uuid, r.digest, r.registrationUuid, r.mimeType, r.repositoryName],
  );
  return uuid;
}

export async function updateReport(
  db: Queryable,
  uuid: string,
  changes: {
    status: ScanStatus;
    report?: unknown;
    scanner?: unknown;
    error?: string;
    robotId?: number | null;
    final?: boolean;
  },
): Promise<void> {
  await db.query(
    `UPDATE scan_report SET status = $2,
       report = COALESCE($3::jsonb, report), scanner = COALESCE($4::jsonb, scanner), error = COALESCE($5, error),
       robot_id = CASE WHEN $6::boolean THEN $7 ELSE robot_id END,
       end_time = CASE WHEN $8::boolean THEN now() ELSE end_time END
     WHERE uuid = $1`,
    [
      uuid,
      changes.status,
      changes.report === undefined ? null : JSON.stringify(changes.report),
      changes.scanner === undefined ? null : JSON.stringify(changes.scanner),
      changes.error ?? null,
      changes.robotId !== undefined,
      changes.robotId ?? null,
      changes.final === true,
    ],
  );
}

// ---------------------------------------------------------------- allowlists (project_id 0 = system)

export async function getAllowlist(db: Queryable, projectId: number): Promise<AllowlistRow | undefined> {
  return (await db.query<AllowlistRow>('SELECT * FROM cve_allowlist WHERE project_id = $1', [projectId])).rows[0];
}

export async function putAllowlist(
  db: Queryable,
  projectId: number,
  items: { cve_id: string }[],
  expiresAt: number | null,
): Promise<void> {
  await db.query(
    `INSERT INTO cve_allowlist (project_id, items, expires_at) VALUES ($1, $2::jsonb, $3)
     ON CONFLICT (project_id) DO UPDATE SET items = EXCLUDED.items, expires_at = EXCLUDED.expires_at, update_time = now()`,
    [projectId, JSON.stringify(items), expiresAt],
  );
}
