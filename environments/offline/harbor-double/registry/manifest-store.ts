// Storing a manifest as core does after its middlewares let a PUT through: the registry receives it by
// digest, the artifact, its references and the tag go into the database (goharbor/harbor
// src/server/registry/manifest.go putManifest, src/controller/artifact/controller.go Ensure@v2.15.x).
// Used by manifest PUT and by the proxy cache's local push.
import { inTransaction } from '../database.ts';
import type { DoubleServices } from '../double-services.ts';
import { cannotBeUpdated, isTagImmutable } from '../immutable/immutable-status.ts';
import {
  addReferences,
  ensureRepository,
  findArtifact,
  findArtifactByDigest,
  isDigest,
  setTag,
  upsertArtifact,
} from '../store/artifacts.ts';
import type { ProjectRow } from '../store/projects.ts';
import { recordManifestBlobs } from './blob-recording.ts';
import type { ManifestInfo } from './manifest-info.ts';

export type StoreResult =
  | { ok: true; artifactId: number; created: boolean }
  | { ok: false; status: number; contentType: string; text: string };

export async function storeManifest(
  services: DoubleServices,
  project: ProjectRow,
  repository: string,
  reference: string,
  body: Buffer,
  contentType: string,
  info: ManifestInfo,
): Promise<StoreResult> {
  // Tags live in core's database; the registry receives every manifest by digest.
  const upstream = await services.registry.send(
    'PUT',
    `/v2/${repository}/manifests/${info.digest}`,
    { 'content-type': contentType },
    body,
  );
  if (upstream.statusCode !== 201) {
    const text = await upstream.body.text();
    const type = upstream.headers['content-type'];
    return {
      ok: false,
      status: upstream.statusCode,
      contentType: (Array.isArray(type) ? type[0] : type) ?? 'application/json',
      text,
    };
  }
  await upstream.body.dump();
  const extraAttrs =
    info.config && info.type === 'IMAGE' ? await imageConfigAttrs(services, repository, info.config.digest) : {};
  return inTransaction(services.db, async (client) => {
    const repositoryId = await ensureRepository(client, project.project_id, repository);
    let size = info.ownSize;
    for (const child of info.children) {
      const known = await findArtifactByDigest(client, repository, child.digest);
      size += known ? known.size : child.size;
    }
    const { id, created } = await upsertArtifact(client, {
      project_id: project.project_id,
      repository_id: repositoryId,
      repository_name: repository,
      digest: info.digest,
      type: info.type,
      media_type: info.mediaType,
      manifest_media_type: info.manifestMediaType,
      artifact_type: info.artifactType,
      size,
      extra_attrs: extraAttrs,
      annotations: info.annotations,
    });
    await addReferences(
      client,
      id,
      info.children.map((c) => ({ digest: c.digest, platform: c.platform })),
    );
    if (!isDigest(reference)) {
      // tag controller Ensure: a tag already on this artifact is left alone; moving an immutable one is refused.
      const current = await findArtifact(client, repository, reference);
      if (current && current.id !== id && (await isTagImmutable(services, project.project_id, repository, reference)))
        throw cannotBeUpdated(reference);
      await setTag(client, repositoryId, id, reference);
    }
    // the blob records garbage collection and quotas count (registry/blob-recording.ts)
    await recordManifestBlobs(
      services,
      project,
      repository,
      { digest: info.digest, mediaType: info.manifestMediaType, body },
      client,
    );
    return { ok: true as const, artifactId: id, created };
  });
}

/** architecture/os/author/created/config of an image, read from its config blob (best effort). */
async function imageConfigAttrs(
  services: DoubleServices,
  repository: string,
  configDigest: string,
): Promise<Record<string, unknown>> {
  try {
    const response = await services.registry.send('GET', `/v2/${repository}/blobs/${configDigest}`);
    if (response.statusCode !== 200) {
      await response.body.dump();
      return {};
    }
    const config = (await response.body.json()) as Record<string, unknown>;
    const attrs: Record<string, unknown> = {};
    for (const key of ['architecture', 'os', 'author', 'created', 'config', 'variant', 'os.version']) {
      if (config[key] !== undefined) attrs[key] = config[key];
    }
    return attrs;
  } catch {
    return {};
  }
}
