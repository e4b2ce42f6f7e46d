// The resources a replication copies or deletes, one per source repository (a task each), and where they come
// from (goharbor/harbor src/pkg/reg/adapter/harbor/v2/{adapter,client}.go and native/adapter.go FetchArtifacts
// @v2.15.2):
// - the Local Harbor (push): every listed artifact with its tags, then its accessories (and those of an index's
//   children), recursively, each carrying its subject's tags for the tag filter and its own tags for the copy;
// - a docker-registry (pull): `GET /v2/_catalog?n=1000` following Link (skipped when the name filter is a specific
//   path), then `GET /v2/<repo>/tags/list`, one artifact per tag.
import type { Readable } from 'node:stream';
import type { DoubleServices } from '../double-services.ts';
import { accessoriesOfArtifact } from '../store/accessories.ts';
import {
  findArtifactByDigest,
  findRepository,
  listArtifacts,
  listReferences,
  tagsOf,
  type ArtifactRow,
} from '../store/artifacts.ts';
import type { ArtifactSource, PulledManifest } from './artifact-transfer.ts';
import { sha256 } from './artifact-transfer.ts';
import { MANIFEST_ACCEPT } from './remote-registry-client.ts';
import type { RemoteRegistryClient } from './remote-registry-client.ts';
import { RemoteRegistryError } from './remote-registry-client.ts';
import {
  type CandidateArtifact,
  filterArtifacts,
  repositoryMatches,
  type ReplicationFilter,
} from './replication-filters.ts';

export interface ReplicationResource {
  repository: string;
  /** `image` from a docker-registry source, `artifact` from a Harbor one (the task's resource_type). */
  type: 'image' | 'artifact';
  artifacts: CandidateArtifact[];
  deleted?: boolean;
}

/** The references a task copies: tags, or the digest of an untagged artifact (stage.go getResourceReferences). */
export function referencesOf(resource: ReplicationResource): string[] {
  return resource.artifacts.flatMap((a) => (a.tags.length > 0 ? a.tags : [a.digest]));
}

/** "<repo> [<n> item(s) in total]" */
export function resourceName(repository: string, resource: ReplicationResource): string {
  return `${repository} [${referencesOf(resource).length} item(s) in total]`;
}

async function accessoryCandidates(
  services: DoubleServices,
  subject: ArtifactRow,
  parentTags: string[],
  into: CandidateArtifact[],
): Promise<void> {
  for (const accessory of await accessoriesOfArtifact(services.db, subject.id)) {
    const row = await findArtifactByDigest(services.db, subject.repository_name, accessory.digest);
    if (!row) continue;
    into.push({
      digest: row.digest,
      tags: (await tagsOf(services.db, row.id)).map((t) => t.name),
      labels: [],
      accessoryOf: { parentTags },
    });
    await accessoryCandidates(services, row, parentTags, into);
  }
}

/** What one local repository holds for replication (artifacts, their accessories, those of index children). */
export async function localArtifacts(services: DoubleServices, repository: string): Promise<CandidateArtifact[]> {
  const repo = await findRepository(services.db, repository);
  if (!repo) return [];
  const { rows } = await listArtifacts(services.db, repo.repository_id, 1, 10_000);
  const result: CandidateArtifact[] = [];
  for (const artifact of rows.reverse()) {
    const tags = (await tagsOf(services.db, artifact.id)).map((t) => t.name);
    result.push({ digest: artifact.digest, tags, labels: [] });
    await accessoryCandidates(services, artifact, tags, result);
    for (const child of await listReferences(services.db, artifact.id)) {
      const row = await findArtifactByDigest(services.db, repository, child.child_digest);
      if (row) await accessoryCandidates(services, row, tags, result);
    }
  }
  return result;
}

export async function localResources(
  services: DoubleServices,
  filters: readonly ReplicationFilter[],
  options: { matchAccessoriesByOwnTags?: boolean } = {},
): Promise<ReplicationResource[]> {
  const names = (await services.db.query<{ name: string }>('SELECT name FROM repository ORDER BY name')).rows.map(
    (r) => r.name,
  );
  const resources: ReplicationResource[] = [];
  for (const name of names.filter((n) => repositoryMatches(filters, n))) {
    const artifacts = filterArtifacts(filters, await localArtifacts(services, name), options);
    if (artifacts.length > 0) resources.push({ repository: name, type: 'artifact', artifacts });
  }
  return resources;
}

/** util.IsSpecificPath: a name without glob characters, or a {a,b} list of such names. */
export function specificPaths(pattern: string): string[] | undefined {
  if (pattern === '') return undefined;
  const brace = /^([^*?[\]{}]*)\{([^{}]*)\}([^*?[\]{}]*)$/.exec(pattern);
  if (brace) return brace[2]!.split(',').map((part) => `${brace[1]}${part}${brace[3]}`);
  return /[*?[\]{}]/.test(pattern) ? undefined : [pattern];
}

export async function remoteResources(
  client: RemoteRegistryClient,
  filters: readonly ReplicationFilter[],
): Promise<ReplicationResource[]> {
  const nameFilter = filters.find((f) => f.type === 'name');
  let repositories = nameFilter ? specificPaths(String(nameFilter.value)) : undefined;
  if (!repositories) {
    repositories = [];
    let next: string | undefined = '/v2/_catalog?n=1000';
    while (next) {
      const response = await client.expectOk('GET', next);
      const body = (await response.body.json()) as { repositories?: string[] };
      repositories.push(...(body.repositories ?? []));
      const link = String(response.headers['link'] ?? '');
      next = /<([^>]+)>;\s*rel="next"/.exec(link)?.[1];
    }
  }
  const resources: ReplicationResource[] = [];
  for (const repository of repositories.filter((r) => repositoryMatches(filters, r))) {
    const response = await client.send('GET', `/v2/${repository}/tags/list`);
    if (response.statusCode === 404) {
      await response.body.dump();
      continue;
    }
    if (response.statusCode !== 200)
      throw new RemoteRegistryError(
        `http status code: ${response.statusCode}, body: ${await response.body.text()}`,
        response.statusCode,
      );
    const tags = ((await response.body.json()) as { tags?: string[] | null }).tags ?? [];
    const artifacts = filterArtifacts(
      filters,
      tags.map((tag) => ({ digest: '', tags: [tag], labels: [] })),
    );
    if (artifacts.length > 0) resources.push({ repository, type: 'image', artifacts });
  }
  return resources;
}

/** Reads the Local Harbor's content from the backend registry (by digest: tags live in Harbor's database). */
export function localSource(services: DoubleServices): ArtifactSource {
  return {
    async getManifest(repository, reference): Promise<PulledManifest> {
      let digest = reference;
      if (!reference.startsWith('sha256:')) {
        const tagged = await services.db.query<{ digest: string }>(
          'SELECT a.digest FROM tag t JOIN artifact a ON a.id = t.artifact_id JOIN repository r ON r.repository_id = t.repository_id WHERE r.name = $1 AND t.name = $2',
          [repository, reference],
        );
        if (!tagged.rows[0])
          throw new Error(`the artifact ${repository}:${reference} not found on the source registry`);
        digest = tagged.rows[0].digest;
      }
      const response = await services.registry.send('GET', `/v2/${repository}/manifests/${digest}`, {
        accept: MANIFEST_ACCEPT,
      });
      const bytes = Buffer.from(await response.body.arrayBuffer());
      if (response.statusCode !== 200)
        throw new RemoteRegistryError(`http status code: ${response.statusCode}, body: ${bytes}`, response.statusCode);
      return { bytes, mediaType: String(response.headers['content-type'] ?? ''), digest: sha256(bytes) };
    },
    async openBlob(repository, digest): Promise<{ body: Readable; size: number }> {
      const response = await services.registry.send('GET', `/v2/${repository}/blobs/${digest}`);
      if (response.statusCode !== 200) {
        const text = await response.body.text();
        throw new RemoteRegistryError(`http status code: ${response.statusCode}, body: ${text}`, response.statusCode);
      }
      return { body: response.body, size: Number(response.headers['content-length'] ?? -1) };
    },
  };
}

/** Reads a remote registry's content through Harbor's client. */
export function remoteSource(client: RemoteRegistryClient): ArtifactSource {
  return {
    async getManifest(repository, reference): Promise<PulledManifest> {
      const response = await client.expectOk('GET', `/v2/${repository}/manifests/${reference}`, {
        accept: MANIFEST_ACCEPT,
      });
      const bytes = Buffer.from(await response.body.arrayBuffer());
      return { bytes, mediaType: String(response.headers['content-type'] ?? ''), digest: sha256(bytes) };
    },
    async openBlob(repository, digest): Promise<{ body: Readable; size: number }> {
      const response = await client.expectOk('GET', `/v2/${repository}/blobs/${digest}`);
      return { body: response.body, size: Number(response.headers['content-length'] ?? -1) };
    },
  };
}
