// The garbage-collection job as jobservice runs it (goharbor/harbor src/jobservice/job/impl/gc/
// garbage_collection.go@v2.15.2), online, without read-only mode:
//   mark  — with delete_untagged, delete every untagged artifact of every project (a dry run only lists them);
//           read the artifact trash; let each project go of the blobs none of its artifacts references that were
//           last touched before the time window; the candidates are the blobs no project holds, last touched
//           before the time window; mark each `delete` (a push touching it in between wins).
//   sweep — per candidate: mark `deleting`; for a trashed manifest remove its revision from the repository in the
//           storage and forget the trash row; remove the blob from the storage; drop the blob row. Then empty the
//           registry's blob-descriptor cache and refresh every project's quota.
// The log carries the lines Harbor's tests parse (tests/apitests/python/library/gc.py).
import type { DoubleServices } from '../double-services.ts';
import { refreshProjectQuota } from '../quota/project-quota.ts';
import { deleteAccessoriesOf } from '../registry/accessory-recording.ts';
import { listedArtifactCondition } from '../store/accessories.ts';
import { deleteArtifactDeeply } from '../store/artifact-deletion.ts';
import { deleteTrash, listTrash, type TrashRow } from '../store/artifact-trash.ts';
import { type ArtifactRow, listReferences } from '../store/artifacts.ts';
import {
  type BlobRow,
  blobsHeldByNoProject,
  blobsOfArtifact,
  cleanupProjectAssociations,
  deleteArtifactBlobs,
  deleteBlobRow,
  isForeignLayer,
  isManifestBlob,
  projectBlobsOlderThan,
  updateBlobStatus,
} from '../store/blobs.ts';
import { appendGcLog, type GcParameters, gcStopRequested, saveGcResults, setGcStatus } from './gc-store.ts';
import { cleanRegistryCache, RegistryVacuum } from './registry-vacuum.ts';

export interface GcJob {
  executionId: number;
  parameters: GcParameters;
}

class Stopped extends Error {}

const SOURCE = '/jobservice/job/impl/gc/garbage_collection.go';

class GcLogger {
  private buffer: string[] = [];
  private readonly services: DoubleServices;
  private readonly id: number;
  constructor(services: DoubleServices, id: number) {
    this.services = services;
    this.id = id;
  }
  private line(level: string, message: string): void {
    this.buffer.push(`${new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')} [${level}] [${SOURCE}]: ${message}\n`);
  }
  info(message: string): void {
    this.line('INFO', message);
  }
  warning(message: string): void {
    this.line('WARNING', message);
  }
  error(message: string): void {
    this.line('ERROR', message);
  }
  async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const lines = this.buffer.join('');
    this.buffer = [];
    await appendGcLog(this.services.db, this.id, lines);
  }
}

/** Untagged artifacts as artCtl.List(Tags: nil) finds them: no tag, not an accessory, not an index's child. */
async function untaggedArtifacts(services: DoubleServices): Promise<ArtifactRow[]> {
  const result = await services.db.query<ArtifactRow>(
    `SELECT a.* FROM artifact a WHERE NOT EXISTS (SELECT 1 FROM tag t WHERE t.artifact_id = a.id)
       AND ${listedArtifactCondition('a')} ORDER BY a.id`,
  );
  return result.rows;
}

/** The artifact and its children, as the dry run's simulated deletion walks them. */
async function walk(
  services: DoubleServices,
  artifact: ArtifactRow,
): Promise<Array<Pick<TrashRow, 'repository_name' | 'digest'>>> {
  const found = [{ repository_name: artifact.repository_name, digest: artifact.digest }];
  for (const child of await listReferences(services.db, artifact.id))
    found.push({ repository_name: artifact.repository_name, digest: child.child_digest });
  return found;
}

export async function runGarbageCollection(services: DoubleServices, job: GcJob): Promise<void> {
  const log = new GcLogger(services, job.executionId);
  const db = services.db;
  await setGcStatus(db, job.executionId, 'Running');
  const p = job.parameters;
  // the stop flag is read at most every 250 ms (jobservice hands the stop command over asynchronously too)
  let lastStopCheck = 0;
  const stopCheck = async () => {
    if (Date.now() - lastStopCheck < 250) return;
    lastStopCheck = Date.now();
    if (await gcStopRequested(db, job.executionId)) throw new Stopped();
  };
  try {
    const s3 = services.config.registryS3;
    if (!s3) {
      log.error(
        'failed to start gc as registry controller is unreachable: the registry has no storage the registry controller can reach',
      );
      throw new Error('registry controller unreachable');
    }
    const vacuum = new RegistryVacuum(s3);
    try {
      await vacuum.health();
    } catch (error) {
      log.error(`failed to start gc as registry controller is unreachable: ${(error as Error).message}`);
      throw error;
    }
    const deleteUntagged = p.delete_untagged && !services.faults.has('gc-delete-untagged-ignored');
    const dryRun = p.dry_run;
    const window = services.faults.has('gc-ignores-time-window') ? 0 : p.time_window;
    log.info(
      `Garbage Collection parameters: [delete_untagged: ${deleteUntagged}, delete_tag: ${p.delete_tag}, dry_run: ${dryRun}, time_window: ${p.time_window}, workers: ${p.workers}]`,
    );
    log.info('start to run gc in job.');

    // mark: untagged artifacts and the trash
    const trashed = new Map<string, Array<Pick<TrashRow, 'repository_name' | 'digest'> & { id?: number }>>();
    const addTrash = (entry: Pick<TrashRow, 'repository_name' | 'digest'> & { id?: number }) =>
      trashed.set(entry.digest, [...(trashed.get(entry.digest) ?? []), entry]);
    if (deleteUntagged) {
      log.info('start to delete untagged artifact (no actually deletion for dry-run mode)');
      for (const untagged of await untaggedArtifacts(services)) {
        await stopCheck();
        if (dryRun && !services.faults.has('gc-dry-run-deletes')) {
          for (const entry of await walk(services, untagged)) addTrash(entry);
        } else {
          await deleteAccessoriesOf(services, untagged);
          await deleteArtifactDeeply(services, untagged);
        }
        log.info(
          `delete the untagged artifact: ProjectID:(${untagged.project_id})-RepositoryName(${untagged.repository_name})-MediaType:(${untagged.manifest_media_type})-Digest:(${untagged.digest})`,
        );
      }
      log.info('end to delete untagged artifact (no actually deletion for dry-run mode)');
    }
    if (!dryRun) for (const row of await listTrash(db)) addTrash(row);
    if (trashed.size === 0) log.warning('no removed artifacts.');
    else {
      log.info('artifact trash candidates.');
      for (const entries of trashed.values())
        for (const e of entries) log.info(`RepositoryName-${e.repository_name} Digest-${e.digest}`);
    }

    // blobs the projects no longer need (outside the time window), then the blobs no project holds
    const orphans: BlobRow[] = [];
    const projects = await db.query<{ project_id: number }>('SELECT project_id FROM project ORDER BY project_id');
    for (const { project_id } of projects.rows) {
      await stopCheck();
      const blobs = await projectBlobsOlderThan(db, project_id, window);
      const leaving = await cleanupProjectAssociations(db, project_id, blobs, { dryRun });
      if (dryRun) orphans.push(...leaving);
    }
    const candidates = new Map<number, BlobRow>();
    for (const blob of await blobsHeldByNoProject(db, window)) candidates.set(blob.id, blob);
    for (const blob of orphans) candidates.set(blob.id, blob);
    // gc-deletes-referenced-blobs: every blob of a trashed artifact is taken, also those other artifacts reference
    if (dryRun || services.faults.has('gc-deletes-referenced-blobs')) {
      for (const digest of trashed.keys())
        for (const blob of await blobsOfArtifact(db, digest)) candidates.set(blob.id, blob);
    }
    await log.flush();

    const deleteSet: BlobRow[] = [];
    let blobCount = 0;
    let manifestCount = 0;
    let size = 0;
    for (const candidate of candidates.values()) {
      let blob: BlobRow | undefined = candidate;
      if (!dryRun) {
        await stopCheck();
        blob = await updateBlobStatus(db, candidate, 'delete');
        if (!blob) {
          log.warning(`no blob found to mark gc candidate, skip it. ID:${candidate.id}, digest:${candidate.digest}`);
          continue;
        }
      }
      log.info(`blob eligible for deletion: ${blob.digest}`);
      deleteSet.push(blob);
      if (isManifestBlob(blob)) manifestCount++;
      else blobCount++;
      if (!isForeignLayer(blob)) size += blob.size;
    }
    if (deleteSet.length === 0) {
      await saveGcResults(db, job.executionId, { freed_space: 0, purged_blobs: 0, purged_manifests: 0 });
      log.info('no need to execute GC as there is no non referenced artifacts.');
    } else {
      log.info(`${blobCount} blobs and ${manifestCount} manifests eligible for deletion`);
      log.info(`The GC could free up ${Math.floor(size / 1024 / 1024)} MB space, the size is a rough estimation.`);
    }
    if (dryRun) {
      if (deleteSet.length > 0)
        await saveGcResults(db, job.executionId, {
          freed_space: size,
          purged_blobs: blobCount,
          purged_manifests: manifestCount,
        });
    } else if (deleteSet.length > 0) {
      await sweep(services, job, log, vacuum, deleteSet, trashed, stopCheck);
    }
    if (!dryRun) {
      if (services.config.registryRedisUrl) await cleanRegistryCache(services.config.registryRedisUrl);
      log.info('cache clean up completed');
      for (const { project_id } of projects.rows) await refreshProjectQuota(services, project_id, 'gc');
    }
    log.info('success to run gc in job.');
    await log.flush();
    await setGcStatus(db, job.executionId, 'Success');
  } catch (error) {
    if (error instanceof Stopped) {
      log.info('received the stop signal, quit GC job.');
      await log.flush();
      await setGcStatus(db, job.executionId, 'Stopped');
      return;
    }
    log.error(`failed to execute GC job: ${(error as Error).message}`);
    await log.flush();
    await setGcStatus(db, job.executionId, 'Error');
  }
}

async function sweep(
  services: DoubleServices,
  job: GcJob,
  log: GcLogger,
  vacuum: RegistryVacuum,
  deleteSet: BlobRow[],
  trashed: Map<string, Array<Pick<TrashRow, 'repository_name' | 'digest'> & { id?: number }>>,
  stopCheck: () => Promise<void>,
): Promise<void> {
  const db = services.db;
  const total = deleteSet.length;
  const workers = Math.max(1, job.parameters.workers);
  const chunkSize = Math.ceil(total / workers);
  let index = 0;
  let sweepSize = 0;
  let blobCount = 0;
  let manifestCount = 0;
  const chunks: BlobRow[][] = [];
  for (let start = 0; start < total; start += chunkSize) chunks.push(deleteSet.slice(start, start + chunkSize));
  await Promise.all(
    chunks.map(async (chunk, worker) => {
      for (const marked of chunk) {
        await stopCheck();
        const at = `[${worker}][${++index}/${total}]`;
        const blob = await updateBlobStatus(db, marked, 'deleting');
        if (!blob) {
          log.warning(`${at} no blob found to mark gc candidate deleting, ID:${marked.id}, digest:${marked.digest}`);
          continue;
        }
        if (isManifestBlob(blob)) {
          for (const art of trashed.get(blob.digest) ?? []) {
            if (job.parameters.delete_tag) {
              log.info(
                `${at} delete the manifest with registry v2 API: ${art.repository_name}, ${blob.content_type}, ${blob.digest}`,
              );
              await services.registry.deleteManifest(art.repository_name, blob.digest);
            }
            log.info(`${at} delete manifest from storage: ${blob.digest}`);
            await vacuum.removeManifest(art.repository_name, blob.digest);
            log.info(`${at} delete artifact blob record from database: ${art.repository_name}, ${art.digest}`);
            await deleteArtifactBlobs(db, art.digest);
            if (art.id !== undefined) {
              log.info(
                `${at} delete artifact trash record from database: ${art.id}, ${art.repository_name}, ${art.digest}`,
              );
              await deleteTrash(db, art.id);
            }
          }
        }
        if (!isForeignLayer(blob)) {
          log.info(`${at} delete blob from storage: ${blob.digest}`);
          await vacuum.removeBlob(blob.digest);
          sweepSize += blob.size;
        }
        log.info(`${at} delete blob record from database: ${blob.id}, ${blob.digest}`);
        await deleteBlobRow(db, blob.id);
        if (isManifestBlob(blob)) manifestCount++;
        else blobCount++;
      }
    }),
  );
  log.info(`${blobCount} blobs and ${manifestCount} manifests are actually deleted`);
  log.info(`The GC job actual frees up ${Math.floor(sweepSize / 1024 / 1024)} MB space.`);
  await saveGcResults(db, job.executionId, {
    freed_space: sweepSize,
    purged_blobs: blobCount,
    purged_manifests: manifestCount,
  });
  await log.flush();
}
