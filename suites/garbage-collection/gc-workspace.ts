// A run-id project for one garbage-collection or quota check: images of its own digests (a shared base layer where
// a check needs one), pushed as the admin; artifact deletes through the API; the project's quota; blobs aged past
// GC's time window where the environment owns the database; and what the bucket holds, from its own listing.
import { CheckProject } from '../support/check-project.ts';
import { randomBytes } from 'node:crypto';
import { HarborApiError } from '../../lib/harbor-api.ts';
import { type BuiltImage, type BuiltIndex, buildImage } from '../../fixtures/images/image-builder.ts';
import { pushImage } from '../../fixtures/images/push-image.ts';
import type { CheckContext } from '../check.ts';
import { ageBlobs } from '../support/blob-clock.ts';
import { pullCompletely } from '../support/complete-pulls.ts';
import { type GcParametersSent, type GcRun, runGc } from '../support/gc-runs.ts';
import { storedBlobBytes } from '../support/registry-storage.ts';

/** Older than any GC_TIME_WINDOW_HOURS an operator sets (Harbor's default is 2). */
export const AGE_PAST_WINDOW_HOURS = 10_000;

export interface Quota {
  id: number;
  hard: number;
  used: number;
}

/** Every digest an image or index stores: manifests, configs, layers. */
export function digestsOf(image: BuiltImage | BuiltIndex): string[] {
  const images = image.kind === 'index' ? image.images : [image];
  const digests = new Set<string>(image.kind === 'index' ? [image.manifest.digest] : []);
  for (const i of images)
    for (const d of [i.manifest.digest, i.config.digest, ...i.layers.map((l) => l.digest)]) digests.add(d);
  return [...digests];
}

/** What the image's blobs and manifest weigh: Harbor's quota counts exactly these bytes. */
export const sizeOf = (image: BuiltImage, except: ReadonlySet<string> = new Set()): number =>
  [image.manifest, image.config, ...image.layers]
    .filter((b) => !except.has(b.digest))
    .reduce((sum, b) => sum + b.size, 0);

export class GcWorkspace extends CheckProject {
  /** The layer every image of this workspace starts from (the same digest each time). */
  private get base(): Record<string, string> {
    return { 'etc/os-release': `harbor-conformance base of ${this.name}\n` };
  }

  /**
   * An image of its own digest: one layer of its own (`bytes` random characters more), on the workspace's shared
   * base layer when `shared`.
   */
  image(name: string, options: { bytes?: number; shared?: boolean } = {}): BuiltImage {
    const own: Record<string, string> = { [`app/${name}`]: `${this.name} ${name}\n` };
    const bytes = options.bytes ?? 0;
    if (bytes > 0) own[`app/${name}.data`] = randomBytes(bytes).toString('base64').slice(0, bytes);
    return buildImage({ layers: options.shared ? [this.base, own] : [own] });
  }

  /** Pushes as docker does; `fresh` skips the HEAD before each blob (none of them can be there yet). */
  async push(
    repository: string,
    tag: string | undefined,
    image: BuiltImage | BuiltIndex,
    fresh = false,
  ): Promise<string> {
    const where = `${this.full(repository)}${tag === undefined ? `@${image.manifest.digest}` : `:${tag}`}`;
    await this.ctx.step(`push ${where}`, () =>
      pushImage(this.ctx.registry, this.full(repository), tag, image, { skipExisting: !fresh }),
    );
    this.ctx.evidence.digest(where, image.manifest.digest);
    return image.manifest.digest;
  }

  async deleteArtifact(repository: string, digest: string): Promise<void> {
    await this.ctx.step(`delete artifact ${this.full(repository)}@${digest}`, () =>
      this.ctx.api.request(
        'DELETE',
        `/projects/${this.name}/repositories/${encodeURIComponent(repository)}/artifacts/${digest}`,
        { expect: [200] },
      ),
    );
  }

  /** Whether the artifact is still there (GET …/artifacts/{digest}: 200 or 404). */
  async artifactExists(repository: string, digest: string): Promise<boolean> {
    try {
      await this.ctx.api.request(
        'GET',
        `/projects/${this.name}/repositories/${encodeURIComponent(repository)}/artifacts/${digest}`,
      );
      return true;
    } catch (error) {
      if (error instanceof HarborApiError && error.status === 404) return false;
      throw error;
    }
  }

  /** The pieces of `<repository>:<reference>` that do not pull whole (empty: it pulls completely). */
  brokenPieces(repository: string, reference: string): Promise<string[]> {
    return this.ctx.step(`pull ${this.full(repository)}:${reference} completely`, () =>
      pullCompletely(this.ctx.registry, this.full(repository), reference).then((pull) => pull.failures),
    );
  }

  async gc(parameters: GcParametersSent): Promise<GcRun> {
    const run = await this.ctx.step(`garbage collection ${JSON.stringify(parameters)}`, () =>
      runGc(this.ctx.api, parameters),
    );
    this.ctx.evidence.note(
      `gc ${run.id}`,
      `${run.status} in ${run.ms} ms, job_parameters ${JSON.stringify(run.parameters)}`,
    );
    this.ctx.evidence.note(`gc ${run.id} log`, run.log);
    return run;
  }

  /** Moves the blobs' update_time past any time window (needs the database container). */
  async age(digests: readonly string[]): Promise<void> {
    await this.ctx.step(`age ${digests.length} blobs past the GC time window`, () =>
      ageBlobs(this.ctx.target, digests, AGE_PAST_WINDOW_HOURS),
    );
  }

  /** Bytes the bucket holds for each digest (missing digests are absent). */
  async stored(digests: readonly string[]): Promise<Map<string, number>> {
    const storage = this.ctx.target.registryStorage;
    if (!storage) throw new Error('the target names no registry storage to list');
    this.ctx.secret(storage.s3.secretKey);
    return this.ctx.step(`list ${digests.length} blobs in bucket ${storage.bucket}`, () =>
      storedBlobBytes(storage, digests),
    );
  }

  async quota(projectId = this.project.id): Promise<Quota> {
    const { data } = await this.ctx.api.request<
      Array<{ id: number; hard: { storage: number }; used: { storage: number } }>
    >('GET', '/quotas', { query: { reference: 'project', reference_id: projectId } });
    const quota = data[0];
    if (!quota) throw new Error(`GET /quotas?reference=project&reference_id=${projectId} listed no quota`);
    return { id: quota.id, hard: quota.hard.storage, used: quota.used.storage };
  }

  async setQuota(id: number, storage: number): Promise<void> {
    await this.ctx.step(`PUT /quotas/${id} storage ${storage}`, () =>
      this.ctx.api.request('PUT', `/quotas/${id}`, { body: { hard: { storage } }, expect: [200] }),
    );
  }
}

export async function gcProject(ctx: CheckContext): Promise<GcWorkspace> {
  return new GcWorkspace(ctx, await ctx.project());
}
