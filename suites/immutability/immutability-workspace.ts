// A run-id project for one immutability check: images of their own digests pushed as the admin (as docker
// pushes, with a bearer token), immutable tag rules created through the API and deleted after the check (rules
// first: an immutable tag refuses the deletion of its repository), and every refusal read as Harbor sends it.
import { HarborApiError, encodeRepositoryName } from '../../lib/harbor-api.ts';
import { RegistryError } from '../../lib/oci/registry-error.ts';
import { type BuiltImage, type ManifestFormat, buildImage } from '../../fixtures/images/image-builder.ts';
import { pushImage } from '../../fixtures/images/push-image.ts';
import type { CheckContext } from '../check.ts';
import type { ProjectWorkspace } from '../support/check-fixtures.ts';
import { ProjectCheckWorkspace } from '../support/project-check-workspace.ts';

export interface Selector {
  kind: 'doublestar';
  decoration: string;
  pattern: string;
}

export interface ImmutableRuleBody {
  id?: number;
  action: 'immutable';
  template: 'immutable_template';
  priority: number;
  disabled: boolean;
  scope_selectors: { repository: Selector[] };
  tag_selectors: Selector[];
}

/** A rule as tests/apitests/python/library/tag_immutability.py sends it; patterns are doublestar globs. */
export function ruleBody(
  repositories: readonly string[],
  tags: readonly string[],
  decorations: { repository?: string; tag?: string } = {},
): ImmutableRuleBody {
  return {
    action: 'immutable',
    template: 'immutable_template',
    priority: 0,
    disabled: false,
    scope_selectors: {
      repository: repositories.map((pattern) => ({
        kind: 'doublestar',
        decoration: decorations.repository ?? 'repoMatches',
        pattern,
      })),
    },
    tag_selectors: tags.map((pattern) => ({ kind: 'doublestar', decoration: decorations.tag ?? 'matches', pattern })),
  };
}

/** What a refused (or accepted) request answered. */
export interface Outcome {
  status: number;
  code: string;
  message: string;
}

const ACCEPTED: Outcome = { status: 200, code: '', message: '' };

/** Runs a request and returns its answer instead of throwing on a refusal (API and /v2 alike). */
export async function attempt(fn: () => Promise<unknown>): Promise<Outcome> {
  try {
    const result = await fn();
    const status = (result as { status?: unknown } | undefined)?.status;
    return typeof status === 'number' ? { ...ACCEPTED, status } : ACCEPTED;
  } catch (error) {
    if (error instanceof HarborApiError)
      return { status: error.status, code: error.code, message: error.harborMessage };
    if (error instanceof RegistryError)
      return { status: error.status, code: error.code, message: error.registryMessage };
    throw error;
  }
}

export const show = (o: Outcome): string =>
  `${o.status}${o.code ? ` ${o.code}` : ''}${o.message ? ` "${o.message}"` : ''}`;

export const accepted = (o: Outcome): boolean => o.status >= 200 && o.status < 300;

export class ImmutabilityWorkspace extends ProjectCheckWorkspace {
  /** `<project>/<repository>` */
  full(repository: string): string {
    return this.project.repository(repository);
  }

  /** An image whose digest is unique to this project, name and manifest format. */
  image(name: string, format: ManifestFormat = 'oci'): BuiltImage {
    return buildImage({ layers: [{ 'etc/harbor-conformance': `${this.name} ${name}\n` }] }, format);
  }

  /** Pushes `image` as `<repository>:<tag>` (by digest when `tag` is undefined); throws when refused. */
  async push(repository: string, tag: string | undefined, image: BuiltImage): Promise<string> {
    const where = `${this.full(repository)}${tag === undefined ? `@${image.manifest.digest}` : `:${tag}`}`;
    const pushed = await this.ctx.step(`push ${where}`, () =>
      pushImage(this.ctx.registry, this.full(repository), tag, image),
    );
    this.ctx.evidence.digest(where, pushed.digest);
    return pushed.digest;
  }

  /** The manifest PUT of a push (blobs uploaded first), as an outcome. */
  tryPush(repository: string, tag: string | undefined, image: BuiltImage): Promise<Outcome> {
    return attempt(async () => {
      await this.push(repository, tag, image);
      return { status: 201 }; // the registry client accepts only 201 (or 200) for a manifest PUT
    });
  }

  /** POST a rule; returns its id (from Location). Deleted after the check, before the project. */
  async createRule(
    body: ImmutableRuleBody,
    project: ProjectWorkspace = this.project,
  ): Promise<{ id: number; location: string }> {
    const path = `/projects/${encodeURIComponent(project.name)}/immutabletagrules`;
    const response = await this.ctx.step(`create immutable rule in ${project.name} ${JSON.stringify(body)}`, () =>
      this.ctx.api.request('POST', path, { body, expect: [201] }),
    );
    const location = response.headers['location'] ?? '';
    const id = Number(/\/immutabletagrules\/(\d+)$/.exec(location)?.[1]);
    if (!Number.isInteger(id))
      throw new Error(`POST ${path} answered 201 with Location "${location}": no rule id in it`);
    this.ctx.cleanup(() =>
      this.ctx.step(`delete immutable rule ${id}`, async () => {
        const gone = await attempt(() => this.ctx.api.request('DELETE', `${path}/${id}`));
        if (!accepted(gone) && gone.status !== 404) throw new Error(`deleting immutable rule ${id}: ${show(gone)}`);
      }),
    );
    return { id, location };
  }

  /** The project's rules as GET lists them. */
  async rules(project: ProjectWorkspace = this.project): Promise<Array<Record<string, unknown>>> {
    const response = await this.ctx.api.request<Array<Record<string, unknown>>>(
      'GET',
      `/projects/${encodeURIComponent(project.name)}/immutabletagrules`,
    );
    return response.data ?? [];
  }

  updateRule(id: number, body: ImmutableRuleBody, project: ProjectWorkspace = this.project): Promise<Outcome> {
    return attempt(() =>
      this.ctx.api.request('PUT', `/projects/${encodeURIComponent(project.name)}/immutabletagrules/${id}`, { body }),
    );
  }

  deleteRule(id: number, project: ProjectWorkspace = this.project): Promise<Outcome> {
    return attempt(() =>
      this.ctx.api.request('DELETE', `/projects/${encodeURIComponent(project.name)}/immutabletagrules/${id}`),
    );
  }

  /**
   * tag → immutable, as with_immutable_status=true reports the artifact's tags. Every listing that takes the
   * parameter is read (artifact GET, artifact list, tag list) and must agree: a defect in one of them fails here.
   */
  async immutableStatus(repository: string, reference: string): Promise<Record<string, boolean>> {
    const query = { with_tag: true, with_immutable_status: true };
    const artifact = await this.ctx.api.getArtifact(this.name, repository, reference, query);
    const status = (tags: ReadonlyArray<{ name: string; immutable?: boolean }> | null | undefined) =>
      Object.fromEntries(
        [...(tags ?? [])].sort((a, b) => a.name.localeCompare(b.name)).map((t) => [t.name, t.immutable === true]),
      );
    const byGet = status(artifact.tags);
    const listed = (await this.ctx.api.listArtifacts(this.name, repository, { ...query, page_size: 100 })).find(
      (a) => a.digest === artifact.digest,
    );
    const byList = status(listed?.tags);
    const byTags = status(
      await this.ctx.api.listArtifactTags(this.name, repository, artifact.digest, {
        with_immutable_status: true,
        page_size: 100,
      }),
    );
    const shown = [byGet, byList, byTags].map((v) => JSON.stringify(v));
    if (shown[0] !== shown[1] || shown[0] !== shown[2])
      throw new Error(
        `with_immutable_status of ${this.full(repository)}@${artifact.digest} differs between listings: ` +
          `artifact GET ${shown[0]}, artifact list ${shown[1]}, tag list ${shown[2]}`,
      );
    return byGet;
  }

  /** The digest the tag names now (API), or undefined when it names nothing. */
  async digestOf(repository: string, tag: string): Promise<string | undefined> {
    try {
      return (await this.ctx.api.getArtifact(this.name, repository, tag)).digest;
    } catch (error) {
      if (error instanceof HarborApiError && error.status === 404) return undefined;
      throw error;
    }
  }

  /** POST …/artifacts?from=<source>: copy an artifact into `repository` of this project. */
  copy(repository: string, from: string): Promise<Outcome> {
    return attempt(() =>
      this.ctx.api.request(
        'POST',
        `/projects/${encodeURIComponent(this.name)}/repositories/${encodeRepositoryName(repository)}/artifacts`,
        { query: { from }, expect: [201] },
      ),
    );
  }
}

/** Fails with both sides spelt out (tag → immutable per repository), not vitest's folded diff. */
export function expectImmutableStatus(
  actual: Record<string, Record<string, boolean>>,
  expected: Record<string, Record<string, boolean>>,
  what: string,
): void {
  // Key order is not part of the answer (Harbor lists tags in its own order).
  const shown = (v: Record<string, Record<string, boolean>>) =>
    JSON.stringify(
      Object.fromEntries(
        Object.keys(v)
          .sort()
          .map((repo) => [repo, Object.fromEntries(Object.entries(v[repo]!).sort(([a], [b]) => a.localeCompare(b)))]),
      ),
    );
  if (shown(actual) !== shown(expected))
    throw new Error(`${what}: with_immutable_status says ${shown(actual)}, Harbor's rules give ${shown(expected)}`);
}

/** A private run-id project for an immutability check. */
export async function immutabilityProject(ctx: CheckContext): Promise<ImmutabilityWorkspace> {
  return new ImmutabilityWorkspace(ctx, await ctx.project());
}
