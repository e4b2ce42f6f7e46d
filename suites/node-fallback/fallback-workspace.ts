// What the node pulls, set up on both sides under the same name: in Harbor three run-id projects (plain,
// cosign content trust, prevent_vul at low with scan on push) with robots, in the upstream registry the same
// repositories and images without any policy — the upstream "holds exactly the image Harbor refuses".
import { distroFixture } from '../../fixtures/distro/distro-fixtures.ts';
import { buildImage } from '../../fixtures/images/image-builder.ts';
import { pushImage } from '../../fixtures/images/push-image.ts';
import { RegistryClient } from '../../lib/oci/registry-client.ts';
import { pollUntil } from '../../lib/poll.ts';
import type { Credentials, PeerRegistry } from '../../lib/target.ts';
import type { CheckContext } from '../check.ts';
import type { ProjectWorkspace } from '../support/check-fixtures.ts';

export const TAG = 'v1';

export interface FallbackWorkspace {
  plain: ProjectWorkspace;
  cosign: ProjectWorkspace;
  /** Absent when the target has no scanner (the vulnerable rows are left out, with the reason). */
  vulnerable?: ProjectWorkspace;
  robots: { plain: Credentials; cosign: Credentials; vulnerable?: Credentials; noPull: Credentials };
  upstream: RegistryClient;
}

/** The run's projects and robots in Harbor, and a client of the upstream. */
export async function prepareWorkspace(ctx: CheckContext, upstream: PeerRegistry): Promise<FallbackWorkspace> {
  const scanning = ctx.target.capabilities.scanner;
  const [plain, cosign, vulnerable] = await Promise.all([
    ctx.project(),
    ctx.project({ enable_content_trust_cosign: 'true' }),
    scanning ? ctx.project({ prevent_vul: 'true', severity: 'low', auto_scan: 'true' }) : Promise.resolve(undefined),
  ]);
  const [plainRobot, cosignRobot, vulnerableRobot, noPull] = await Promise.all([
    ctx.robot({ project: plain, name: 'node' }),
    ctx.robot({ project: cosign, name: 'node' }),
    vulnerable ? ctx.robot({ project: vulnerable, name: 'node' }) : Promise.resolve(undefined),
    // A robot of the project that may list repositories but not pull them.
    ctx.robot({ project: plain, name: 'nopull', actions: ['list'] }),
  ]);
  if (!vulnerable)
    ctx.evidence.note(
      'vulnerable rows left out',
      'the target has no scanner, so prevent_vul cannot refuse for findings',
    );
  return {
    plain,
    cosign,
    ...(vulnerable ? { vulnerable } : {}),
    robots: {
      plain: plainRobot.credentials,
      cosign: cosignRobot.credentials,
      ...(vulnerableRobot ? { vulnerable: vulnerableRobot.credentials } : {}),
      noPull: noPull.credentials,
    },
    upstream: new RegistryClient({ baseUrl: upstream.url, recorder: ctx.evidence.exchanges }),
  };
}

/**
 * One pull's own image, under the same repository name on both sides (`<project>/<repo>` in Harbor, `<repo>`
 * upstream; Harbor left out for `harbor: false`). Its own digest, because containerd shares content between
 * namespaces: an image already in the daemon is not fetched again, and the blobs' source would not show.
 */
export async function pushRowImage(
  ctx: CheckContext,
  ws: FallbackWorkspace,
  row: { repo: string; project: ProjectWorkspace; vulnerable: boolean; inHarbor: boolean },
): Promise<string> {
  const marker = { 'etc/node-fallback.txt': `harbor-conformance node-fallback ${ctx.runId} ${row.repo}\n` };
  const image = row.vulnerable
    ? buildImage({ layers: [...distroFixture('alpine-vulnerable').layers, marker] })
    : buildImage({ layers: [marker] });
  await Promise.all([
    row.inHarbor ? pushImage(ctx.registry, row.project.repository(row.repo), TAG, image) : Promise.resolve(),
    pushImage(ws.upstream, row.repo, TAG, image),
  ]);
  ctx.cleanup(() =>
    ws.upstream.deleteManifest(row.repo, image.manifest.digest).catch((error: unknown) => {
      ctx.evidence.note(`upstream ${row.repo} not deleted`, error instanceof Error ? error.message : String(error));
    }),
  );
  if (row.vulnerable && row.inHarbor) await waitForScan(ctx, row.project, row.repo);
  return image.manifest.digest;
}

/** prevent_vul refuses the image for its findings once the scan on push has succeeded. */
async function waitForScan(ctx: CheckContext, project: ProjectWorkspace, repo: string): Promise<void> {
  const overview = await pollUntil(
    async () => {
      const artifact = await ctx.api.getArtifact(project.name, repo, TAG, { with_scan_overview: true });
      return Object.values(artifact.scan_overview ?? {})[0];
    },
    {
      timeoutMs: ctx.target.scanning.scanDeadlineMs,
      intervalMs: 500,
      describe: `the scan of ${project.repository(repo)}:${TAG} to finish`,
      accept: (o) => ['Success', 'Error', 'Stopped'].includes(o?.scan_status ?? ''),
      signal: ctx.signal,
    },
  );
  if (overview?.scan_status !== 'Success')
    throw new Error(`the scan of ${project.repository(repo)}:${TAG} ended ${overview?.scan_status}, not Success`);
  ctx.evidence.note(`scan of ${project.repository(repo)}:${TAG}`, JSON.stringify(overview));
}
