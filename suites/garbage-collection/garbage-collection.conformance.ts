// Garbage collection and project quotas as Harbor v2.15 runs them. A collection is global (every project), so each
// check judges only its own run-id project's artifacts and blobs; blobs are aged past the time window in the
// database where the environment owns it (a real Harbor would otherwise keep them for GC_TIME_WINDOW_HOURS), and
// what was freed is read from the object store's own bucket listing. A real collection with delete_untagged, which
// deletes the untagged artifacts of every project, runs only on a target the environment owns.
import { describe, expect } from 'vitest';
import { RegistryError } from '../../lib/oci/registry-error.ts';
import { buildIndex } from '../../fixtures/images/image-builder.ts';
import { pushImage } from '../../fixtures/images/push-image.ts';
import { defineCheck } from '../check.ts';
import type { CheckContext } from '../check.ts';
import { deleteProjectWithRepositories } from '../support/harbor-projects.ts';
import { storedManifestRevision } from '../support/registry-storage.ts';
import { catalog } from './catalog.ts';
import { digestsOf, gcProject, GcWorkspace, sizeOf } from './gc-workspace.ts';
import { formatStorage } from '../../lib/storage-size.ts';

const needsAgeing = (ctx: CheckContext) =>
  ctx.skipUnless(
    ctx.target.faults?.containers.database !== undefined,
    'blobs must be aged past GC_TIME_WINDOW_HOURS in the database, and the environment owns no database container',
  );
const needsStorage = (ctx: CheckContext) =>
  ctx.skipUnless(
    ctx.target.registryStorage !== undefined,
    "what a collection frees is measured in the registry's bucket, and the environment names none",
  );

describe('garbage-collection', () => {
  defineCheck(catalog.dryRun, async (ctx) => {
    needsAgeing(ctx);
    needsStorage(ctx);
    const ws = await gcProject(ctx);
    const tagged = ws.image('tagged');
    const untagged = ws.image('untagged');
    const deleted = ws.image('deleted');
    await ws.push('app', 'tagged', tagged, true);
    await ws.push('app', undefined, untagged, true);
    await ws.push('app', 'deleted', deleted, true);
    await ws.deleteArtifact('app', deleted.manifest.digest);
    const all = [...digestsOf(tagged), ...digestsOf(untagged), ...digestsOf(deleted)];
    await ws.age(all);
    const before = await ws.stored(all);
    expect([...before.keys()].sort(), 'blobs in the bucket before the dry run').toEqual([...new Set(all)].sort());

    const run = await ws.gc({ delete_untagged: true, dry_run: true });
    expect(run.status, 'dry run job_status').toBe('Success');
    expect(run.log, 'the dry run names the untagged artifact').toContain(`Digest:(${untagged.manifest.digest})`);
    expect(Number(run.parameters['freed_space'] ?? 0), 'dry run freed_space (an estimate)').toBeGreaterThan(0);

    expect(await ws.artifactExists('app', untagged.manifest.digest), 'untagged artifact after the dry run').toBe(true);
    expect(await ws.artifactExists('app', tagged.manifest.digest), 'tagged artifact after the dry run').toBe(true);
    expect(await ws.brokenPieces('app', 'tagged'), 'tagged image pulls whole after the dry run').toEqual([]);
    expect(
      await ws.brokenPieces('app', untagged.manifest.digest),
      'untagged image pulls whole after the dry run',
    ).toEqual([]);
    const after = await ws.stored(all);
    expect([...after.keys()].sort(), 'blobs in the bucket after the dry run (nothing removed)').toEqual(
      [...before.keys()].sort(),
    );
  });

  defineCheck(catalog.freesStorage, async (ctx) => {
    needsAgeing(ctx);
    needsStorage(ctx);
    const storage = ctx.target.registryStorage!;
    const ws = await gcProject(ctx);
    const kept = ws.image('kept', { shared: true });
    const gone = ws.image('gone', { shared: true, bytes: 4096 });
    await ws.push('app', 'kept', kept, true);
    await ws.push('app', 'gone', gone);
    await ws.deleteArtifact('app', gone.manifest.digest);
    const keptDigests = digestsOf(kept);
    const goneOnly = digestsOf(gone).filter((d) => !keptDigests.includes(d));
    expect(goneOnly, 'the deleted image shares its base layer with the kept one').toHaveLength(3);
    // every blob of the project is aged: only references may keep the kept image's blobs, not the time window
    await ws.age([...keptDigests, ...goneOnly]);

    const run = await ws.gc({ delete_untagged: false, dry_run: false });
    expect(run.status, 'job_status').toBe('Success');
    const after = await ws.stored([...keptDigests, ...goneOnly]);
    expect(
      goneOnly.filter((d) => after.has(d)),
      "the deleted image's own blobs and manifest still in the bucket after the collection",
    ).toEqual([]);
    expect(
      await storedManifestRevision(storage, ws.full('app'), gone.manifest.digest),
      "the deleted image's manifest revision in the repository's storage",
    ).toBe(false);
    expect(
      keptDigests.filter((d) => !after.has(d)),
      "the kept image's blobs (shared base layer included) missing from the bucket",
    ).toEqual([]);
    const goneBytes = sizeOf(gone, new Set(keptDigests));
    expect(Number(run.parameters['purged_manifests'] ?? 0), 'purged_manifests').toBeGreaterThanOrEqual(1);
    expect(Number(run.parameters['purged_blobs'] ?? 0), 'purged_blobs').toBeGreaterThanOrEqual(2);
    expect(Number(run.parameters['freed_space'] ?? 0), 'freed_space').toBeGreaterThanOrEqual(goneBytes);
    expect(await ws.brokenPieces('app', 'kept'), 'the kept image pulls whole after the collection').toEqual([]);
  });

  defineCheck(catalog.deleteUntagged, async (ctx) => {
    const ws = await gcProject(ctx);
    const tagged = ws.image('tagged');
    const untagged = ws.image('untagged');
    const index = buildIndex([ws.image('child')]);
    await ws.push('app', 'tagged', tagged, true);
    await ws.push('app', undefined, untagged, true);
    await ws.push('multi', 'multi', index, true);
    const untaggedLine = `Digest:(${untagged.manifest.digest})`;
    const notUntagged = [tagged.manifest.digest, index.manifest.digest, ...index.images.map((i) => i.manifest.digest)];

    const without = await ws.gc({ delete_untagged: false, dry_run: false });
    expect(without.status, 'job_status without delete_untagged').toBe('Success');
    expect(without.log, 'the log without delete_untagged').not.toContain(untaggedLine);
    expect(await ws.artifactExists('app', untagged.manifest.digest), 'untagged artifact without delete_untagged').toBe(
      true,
    );

    // A real run deletes the untagged artifacts of every project: only where the environment owns the target.
    const disposable = ctx.target.capabilities.faultInjection;
    const withIt = await ws.gc({ delete_untagged: true, dry_run: !disposable });
    expect(withIt.status, 'job_status with delete_untagged').toBe('Success');
    expect(withIt.log, 'the log with delete_untagged names the untagged artifact').toContain(untaggedLine);
    expect(
      notUntagged.filter((d) => withIt.log.includes(`Digest:(${d})`)),
      'tagged artifacts and index children named as untagged',
    ).toEqual([]);
    if (disposable) {
      expect(await ws.artifactExists('app', untagged.manifest.digest), 'untagged artifact after delete_untagged').toBe(
        false,
      );
      expect(await ws.brokenPieces('app', 'tagged'), 'the tagged image pulls whole').toEqual([]);
      expect(await ws.brokenPieces('multi', 'multi'), 'the index and its untagged children pull whole').toEqual([]);
    }
  });

  defineCheck(catalog.pushInFlight, async (ctx) => {
    const ws = await gcProject(ctx);
    const image = ws.image('in-flight', { shared: true, bytes: 2048 });
    const repository = ws.full('app');
    const [first, second] = image.layers;
    if (!first || !second) throw new Error('the fixture image has two layers');
    await ctx.step('upload the config and the first layer', async () => {
      await ctx.registry.uploadBlob(repository, image.config);
      await ctx.registry.uploadBlob(repository, first);
    });
    const bytes = second.bytes!;
    const half = Math.floor(bytes.byteLength / 2);
    const session = await ctx.step('open an upload of the second layer and send half of it', async () =>
      ctx.registry.uploadChunk(await ctx.registry.startBlobUpload(repository), bytes.subarray(0, half)),
    );

    const run = await ws.gc({ delete_untagged: false, dry_run: false });
    expect(run.status, 'job_status').toBe('Success');
    ctx.evidence.note('time_window', String(run.parameters['time_window']));

    // as docker does once its layers are up: the manifest follows without asking for the layers again
    await ctx.step('finish the second layer and push the manifest', async () => {
      const rest = await ctx.registry.uploadChunk(session, bytes.subarray(half));
      await ctx.registry.completeBlobUpload(rest, second.digest);
      await ctx.registry.putManifest(repository, 'in-flight', image.manifest);
    });
    expect(await ws.brokenPieces('app', 'in-flight'), 'the image pushed across the collection pulls whole').toEqual([]);
  });

  defineCheck(catalog.usage, async (ctx) => {
    const ws = await gcProject(ctx);
    const quota = await ws.quota();
    await ws.setQuota(quota.id, 64 * 1024 * 1024);
    const a = ws.image('a', { shared: true });
    const b = ws.image('b', { shared: true, bytes: 1024 });
    const readings: Array<{ after: string; used: number; want: number }> = [];
    const read = async (after: string, want: number) => {
      const used = (await ws.quota()).used;
      readings.push({ after, used, want });
      ctx.evidence.note(`usage after ${after}`, `${used} (expected ${want})`);
    };
    const sizeA = sizeOf(a);
    const sizeB = sizeOf(b, new Set(digestsOf(a)));

    await ws.push('app', 'a', a);
    await read('push of a', sizeA);
    await ws.push('app', 'a2', a);
    await ws.push('other', 'a', a);
    await read('a again under another tag and another repository', sizeA);
    await ws.push('app', 'b', b);
    await read('push of b (shares its base layer with a)', sizeA + sizeB);
    const summary = await ctx.api.request<{ quota?: { used?: { storage?: number } } }>(
      'GET',
      `/projects/${ws.name}/summary`,
    );
    readings.push({
      after: 'push of b, in the project summary',
      used: summary.data.quota?.used?.storage ?? -1,
      want: sizeA + sizeB,
    });
    await ws.deleteArtifact('app', b.manifest.digest);
    await read('delete of b', sizeA);
    await ws.deleteArtifact('app', a.manifest.digest);
    await read('delete of a in app (still in other)', sizeA);
    await ws.deleteArtifact('other', a.manifest.digest);
    await read('delete of a in other', 0);
    const run = await ws.gc({ delete_untagged: false, dry_run: false });
    expect(run.status, 'job_status').toBe('Success');
    await read('a garbage collection', 0);
    expect(
      readings.filter((r) => r.used !== r.want).map((r) => `after ${r.after}: used ${r.used}, expected ${r.want}`),
      'storage usage readings that differ from the distinct blobs held',
    ).toEqual([]);
  });

  defineCheck(catalog.refusal, async (ctx) => {
    const base = await gcProject(ctx);
    const small = base.image('small');
    const big = base.image('big', { bytes: 48 * 1024 });
    const bigLayer = big.layers[0]!;
    const limit = sizeOf(small) + 1024;
    // a second project made with storage_limit, as a system admin may (project.go CreateProject)
    const name = ctx.resourceName('limited');
    const id = await ctx.step(`create project ${name} with storage_limit ${limit}`, () =>
      ctx.api.createProject({ project_name: name, metadata: { public: 'false' }, storage_limit: limit }),
    );
    ctx.cleanup(() => ctx.step(`delete project ${name}`, () => deleteProjectWithRepositories(ctx.api, name)));
    const ws = new GcWorkspace(ctx, { ...base.project, name, id, repository: (r) => `${name}/${r}` });
    const quota = await ws.quota();
    expect(quota.hard, 'hard storage of the project created with storage_limit').toBe(limit);

    await ws.push('app', 'small', small, true);
    const used = (await ws.quota()).used;
    expect(used, 'usage after the first push').toBe(sizeOf(small));
    let refusal: RegistryError | undefined;
    try {
      await pushImage(ctx.registry, ws.full('app'), 'big', big);
    } catch (error) {
      if (!(error instanceof RegistryError)) throw error;
      refusal = error;
    }
    ctx.evidence.note(
      'push beyond the limit',
      refusal ? `${refusal.status} ${refusal.code} ${refusal.registryMessage}` : 'accepted',
    );
    expect(
      refusal && { status: refusal.status, code: refusal.code, message: refusal.registryMessage },
      'the push beyond the storage limit',
    ).toEqual({
      status: 403,
      code: 'DENIED',
      message: `adding ${formatStorage(bigLayer.size)} of storage resource, which when updated to current usage of ${formatStorage(used)} will exceed the configured upper limit of ${formatStorage(limit)}.`,
    });
    expect((await ws.quota()).used, 'usage after the refused push').toBe(used);
    if (ctx.target.registryStorage) {
      const stored = await ws.stored([bigLayer.digest]);
      expect(stored.has(bigLayer.digest), 'the refused layer in the bucket').toBe(false);
    }

    const invalid = await ctx.api
      .request('PUT', `/quotas/${quota.id}`, { body: { hard: { storage: -2 } } })
      .then(() => undefined)
      .catch((error: unknown) => error as { status?: number; harborMessage?: string });
    expect(
      invalid && { status: invalid.status, message: invalid.harborMessage },
      'PUT /quotas with storage -2',
    ).toEqual({
      status: 400,
      message: 'invalid non-positive value for quota limit, value=-2',
    });
    await ws.setQuota(quota.id, 16 * 1024 * 1024);
    await ws.push('app', 'big', big);
    expect(await ws.brokenPieces('app', 'big'), 'the push after raising the limit pulls whole').toEqual([]);
  });
});
