// Project storage quotas (goharbor/harbor src/controller/quota, src/pkg/quota, src/server/middleware/quota@v2.15.2):
// one quota per project, `hard` -1 (unlimited) or bytes, `used` the size of the project's distinct blobs
// (project_blob, foreign layers excluded). Blob and manifest pushes are checked before they reach the registry;
// usage is recomputed after every push, delete and garbage collection.
import type { Queryable } from '../database.ts';
import type { DoubleServices } from '../double-services.ts';
import { HarborError } from '../harbor-error.ts';
import { projectStorageUsed } from '../store/blobs.ts';
import { isTrue, type ProjectRow } from '../store/projects.ts';
import { formatStorage } from '../../../../lib/storage-size.ts';

export interface QuotaRow {
  id: number;
  project_id: number;
  hard: number;
  used: number;
  creation_time: Date;
  update_time: Date;
}

/** 1024 TB (types.MaxLimitedValue). */
export const MAX_STORAGE_LIMIT = 1024 * 1024 ** 4;

const columns = 'id, project_id, hard::float8 AS hard, used::float8 AS used, creation_time, update_time';

/** lib.ValidateQuotaLimit: the message, or undefined when the limit is valid. */
export function quotaLimitError(limit: number): string | undefined {
  if (limit <= 0) return limit === -1 ? undefined : `invalid non-positive value for quota limit, value=${limit}`;
  if (limit > MAX_STORAGE_LIMIT) return `exceeded 1024TB, which is 1125899906842624 Bytes, value=${limit}`;
  return undefined;
}

export async function setProjectQuota(db: Queryable, projectId: number, hard: number): Promise<void> {
  await db.query(
    `INSERT INTO quota (project_id, hard) VALUES ($1, $2)
     ON CONFLICT (project_id) DO UPDATE SET hard = EXCLUDED.hard, update_time = now()`,
    [projectId, hard],
  );
}

/** The project's quota; a project made before quotas existed (library on first start) gets an unlimited one. */
export async function projectQuota(db: Queryable, projectId: number): Promise<QuotaRow> {
  await db.query('INSERT INTO quota (project_id) VALUES ($1) ON CONFLICT DO NOTHING', [projectId]);
  const result = await db.query<QuotaRow>(`SELECT ${columns} FROM quota WHERE project_id = $1`, [projectId]);
  return result.rows[0]!;
}

export async function quotaById(db: Queryable, id: number): Promise<QuotaRow | undefined> {
  return (await db.query<QuotaRow>(`SELECT ${columns} FROM quota WHERE id = $1`, [id])).rows[0];
}

export async function listQuotas(db: Queryable, projectId: number | undefined): Promise<QuotaRow[]> {
  await db.query('INSERT INTO quota (project_id) SELECT project_id FROM project ON CONFLICT DO NOTHING');
  const result =
    projectId === undefined
      ? await db.query<QuotaRow>(`SELECT ${columns} FROM quota ORDER BY id`)
      : await db.query<QuotaRow>(`SELECT ${columns} FROM quota WHERE project_id = $1 ORDER BY id`, [projectId]);
  return result.rows;
}

/**
 * Recomputes `used` from the project's blobs (quota.Ctl.Refresh). quota-usage-not-refreshed: a delete or a
 * garbage collection leaves the usage where it was, as goharbor/harbor#8699 and #8815 did.
 */
export async function refreshProjectQuota(
  services: DoubleServices,
  projectId: number,
  after: 'push' | 'delete' | 'gc',
  db: Queryable = services.db,
): Promise<void> {
  if (after !== 'push' && services.faults.has('quota-usage-not-refreshed')) return;
  const used = await projectStorageUsed(db, projectId);
  await db.query(
    `INSERT INTO quota AS q (project_id, used) VALUES ($1, $2)
     ON CONFLICT (project_id) DO UPDATE SET used = EXCLUDED.used, update_time = now() WHERE q.used <> EXCLUDED.used`,
    [projectId, used],
  );
}

/** What the refused request was, for the QUOTA_EXCEED event (src/server/middleware/quota/util.go projectResourcesEvent). */
export interface QuotaRequest {
  /** `<project>/<repo>` */
  repository: string;
  operator: string;
  /** A manifest PUT's tag (by tag) and the manifest's digest; empty for blob uploads. */
  tag?: string;
  digest?: string;
}

/**
 * The quota middleware's check before a blob or manifest PUT reaches the registry: adding `size` bytes must keep
 * usage within `hard`, else 403 DENIED with quota.ResourceOverflow's message (src/pkg/quota/errors.go), and a
 * QUOTA_EXCEED event carrying that message (src/controller/event/metadata/quota.go, level 1).
 */
export async function requireStorage(
  services: DoubleServices,
  project: ProjectRow,
  size: number,
  request: QuotaRequest,
): Promise<void> {
  if (size <= 0 || services.faults.has('quota-not-enforced')) return;
  const quota = (
    await services.db.query<QuotaRow>(`SELECT ${columns} FROM quota WHERE project_id = $1`, [project.project_id])
  ).rows[0];
  if (!quota || quota.hard < 0 || quota.used + size <= quota.hard) return;
  const message = `adding ${formatStorage(size)} of storage resource, which when updated to current usage of ${formatStorage(quota.used)} will exceed the configured upper limit of ${formatStorage(quota.hard)}.`;
  await services.events.publish({
    type: 'QUOTA_EXCEED',
    operator: request.operator,
    occurAt: new Date(),
    projectId: project.project_id,
    // webhook/quota/quota.go constructQuotaPayload: a resource only when the request named a tag or digest
    eventData: {
      ...(request.tag || request.digest
        ? {
            resources: [
              { ...(request.tag ? { tag: request.tag } : {}), ...(request.digest ? { digest: request.digest } : {}) },
            ],
          }
        : {}),
      repository: {
        name: request.repository.slice(project.name.length + 1),
        namespace: project.name,
        repo_full_name: request.repository,
        repo_type: isTrue(project.metadata['public']) ? 'public' : 'private',
      },
      custom_attributes: { Details: message },
    },
  });
  throw new HarborError('DENIED', message);
}
