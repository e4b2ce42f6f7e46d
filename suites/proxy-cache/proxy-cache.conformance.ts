// PROXY-001…008: Harbor's proxy cache (goharbor/harbor src/server/middleware/repoproxy/proxy.go,
// src/controller/proxy/*@v2.15.2) against the plain registry peer as upstream, proven from the upstream's own
// access log and with the upstream taken down three ways.
import { randomUUID } from 'node:crypto';
import { describe } from 'vitest';
import { distroFixture } from '../../fixtures/distro/distro-fixtures.ts';
import { buildImage, buildIndex, type BuiltImage } from '../../fixtures/images/image-builder.ts';
import { pushImage } from '../../fixtures/images/push-image.ts';
import { pushScope } from '../../lib/oci/registry-client.ts';
import { pollUntil } from '../../lib/poll.ts';
import type { Artifact } from '../../lib/harbor-api-types.ts';
import type { CheckContext } from '../check.ts';
import { defineCheck } from '../check.ts';
import { catalog } from './catalog.ts';
import { contentFetches, ofRepository } from './access-log.ts';
import { describePulls, pulledImage, pullThroughHarbor, type ProxyPull } from './proxy-pulls.ts';
import { cacheFillDeadlineMs, proxyProjectFor, type ProxyProject } from './proxy-workspace.ts';
import {
  pauseUpstream,
  stopUpstream,
  upstreamPeer,
  upstreamRequestsDuring,
  type UpstreamPeer,
} from './upstream-peer.ts';

const TAG = 'v1';
/** Harbor's upstream dial timeout (src/common/http/transport.go@v2.15.2): an outage answer must come well before. */
const DIAL_TIMEOUT_MS = 30_000;
/** How long a pull may wait on a black-holed upstream before the check stops waiting. */
const BLACK_HOLE_BOUND_MS = 3_000;
const BLOB_FRAMING_SOURCE =
  'goharbor/harbor#23373: src/server/middleware/repoproxy/proxy.go handleBlob@v2.15.2 sets Content-Length and Docker-Content-Digest after io.CopyN has sent the body, so they never reach the client (fixed on main for 2.16.0 by serveBlob; not in any v2.15 release)';
const PROXIED_POLICY_SOURCE =
  "goharbor/harbor src/server/registry/route.go@v2.15.2: manifest GET/HEAD run repoproxy.ManifestMiddleware before contenttrust and vulnerable; src/server/middleware/repoproxy/proxy.go handleManifest writes the upstream's manifest itself (proxyManifestGet), so those checks only see what is served from the cache";
const BLACK_HOLE_SOURCE =
  'goharbor/harbor src/controller/proxy/controller.go UseLocalManifest@v2.15.2 HEADs the upstream for every tag before the cache; src/common/http/transport.go has a 30 s dial timeout and no response-header timeout, src/pkg/registry/client.go a 30 min request timeout (REGISTRY_HTTP_CLIENT_TIMEOUT); only the 5-min registry health checker (canProxy) stops the wait';

function needUpstream(ctx: CheckContext): UpstreamPeer {
  const upstream = upstreamPeer(ctx);
  if ('reason' in upstream) ctx.skip(upstream.reason);
  return upstream;
}

/** The upstream repository of this check: `<run id>/<check id>/<name>`. */
function upstreamRepository(ctx: CheckContext, name: string): string {
  return `${ctx.runId.toLowerCase()}/${ctx.check.id.toLowerCase()}/${name}`;
}

/**
 * A small image of its own (a marker file with a nonce), so its digest and blobs are new to every cache and
 * registry, also when the same check runs again with the same run id (the selftest's profiles).
 */
function markedImage(ctx: CheckContext, label: string, platform?: BuiltImage['platform']): BuiltImage {
  return buildImage({
    layers: [{ 'etc/proxy-cache.txt': `harbor-conformance ${ctx.runId} ${ctx.check.id} ${label} ${randomUUID()}\n` }],
    ...(platform ? { platform } : {}),
  });
}

async function pushUpstream(
  ctx: CheckContext,
  upstream: UpstreamPeer,
  repository: string,
  tag: string,
  image: Parameters<typeof pushImage>[3],
): Promise<string> {
  await ctx.step(`push ${repository}:${tag} to the upstream`, () => pushImage(upstream.client, repository, tag, image));
  ctx.cleanup(() =>
    upstream.client.deleteManifest(repository, image.manifest.digest).catch((error: unknown) => {
      ctx.evidence.note(`upstream ${repository} not deleted`, (error as Error).message);
    }),
  );
  return image.manifest.digest;
}

/** Waits until the proxy project holds the artifact a pull cached under `reference` (Harbor stores it later). */
async function waitCached(
  ctx: CheckContext,
  proxy: ProxyProject,
  repository: string,
  reference: string,
  accept: (artifact: Artifact) => boolean = () => true,
): Promise<Artifact> {
  const artifact = await pollUntil(
    () => ctx.api.getArtifact(proxy.name, repository, reference).catch(() => undefined),
    {
      timeoutMs: cacheFillDeadlineMs(ctx),
      intervalMs: 100,
      describe: `${proxy.repository(repository)}:${reference} to be cached in the proxy project`,
      accept: (a) => a !== undefined && accept(a),
      signal: ctx.signal,
    },
  );
  return artifact!;
}

/** Pulls the image (manifest and blobs) through Harbor and waits until it is cached. */
async function cacheImage(ctx: CheckContext, proxy: ProxyProject, repository: string, digest: string): Promise<void> {
  await ctx.step(`pull ${proxy.repository(repository)}:${TAG} once and wait until it is cached`, async () => {
    const first = await pullThroughHarbor(ctx, proxy.repository(repository), TAG, { blobs: true });
    if (!pulledImage(first, digest))
      throw new Error(`the first pull through the proxy project failed:\n${describePulls([first])}`);
    await waitCached(ctx, proxy, repository, TAG, (a) => a.digest === digest);
  });
}

function report(ctx: CheckContext, scenario: string, pulls: readonly ProxyPull[]): void {
  for (const pull of pulls) ctx.evidence.timing(`${scenario}: ${pull.what}`, pull.ms);
  console.log(`${ctx.check.id} ${scenario} (time to answer):\n${describePulls(pulls)}`);
}

function expectWithinDialTimeout(scenario: string, pulls: readonly ProxyPull[]): void {
  const slow = pulls.filter((p) => p.timedOut || p.ms >= DIAL_TIMEOUT_MS);
  if (slow.length > 0)
    throw new Error(
      `${scenario}: not answered within Harbor's ${DIAL_TIMEOUT_MS / 1000} s dial timeout:\n${describePulls(slow)}`,
    );
}

function expectNotFound(pull: ProxyPull, what: string): void {
  if (pull.status !== 404 || !pull.error?.startsWith('NOT_FOUND'))
    throw new Error(`${what}: expected Harbor's 404 NOT_FOUND, got:\n${describePulls([pull])}`);
}

/** The outage scenarios: a cached image (by tag, HEAD, digest) and an uncached one, answered during the outage. */
async function outagePulls(
  ctx: CheckContext,
  proxy: ProxyProject,
  cached: { repository: string; digest: string },
  uncached: string,
  boundMs?: number,
): Promise<{ byTag: ProxyPull; head: ProxyPull; byDigest: ProxyPull; missing: ProxyPull }> {
  const bound = boundMs ? { boundMs } : {};
  const local = proxy.repository(cached.repository);
  const [byTag, head, byDigest, missing] = await Promise.all([
    pullThroughHarbor(ctx, local, TAG, { blobs: true, ...bound }),
    pullThroughHarbor(ctx, local, TAG, { method: 'HEAD', ...bound }),
    pullThroughHarbor(ctx, local, cached.digest, { blobs: true, ...bound }),
    pullThroughHarbor(ctx, proxy.repository(uncached), TAG, bound),
  ]);
  return { byTag, head, byDigest, missing };
}

/** A proxy project holding one cached image (`repository`), and an image only the upstream has (`missing`). */
async function cachedAndUncached(ctx: CheckContext, upstream: UpstreamPeer) {
  const repository = upstreamRepository(ctx, 'app');
  const missing = upstreamRepository(ctx, 'never-pulled');
  const [digest, , proxy] = await Promise.all([
    pushUpstream(ctx, upstream, repository, TAG, markedImage(ctx, 'app')),
    pushUpstream(ctx, upstream, missing, TAG, markedImage(ctx, 'never-pulled')),
    proxyProjectFor(ctx, { url: upstream.peer.internalUrl }),
  ]);
  await cacheImage(ctx, proxy, repository, digest);
  return { proxy, repository, missing, digest };
}

describe('proxy-cache', () => {
  defineCheck(catalog.missThenHit, async (ctx) => {
    const upstream = needUpstream(ctx);
    const repository = upstreamRepository(ctx, 'app');
    const image = markedImage(ctx, 'app');
    const digest = await pushUpstream(ctx, upstream, repository, TAG, image);
    const proxy = await proxyProjectFor(ctx, { url: upstream.peer.internalUrl });
    const local = proxy.repository(repository);

    const miss = await upstreamRequestsDuring(ctx, upstream, () => pullThroughHarbor(ctx, local, TAG, { blobs: true }));
    if (!pulledImage(miss.result, digest))
      throw new Error(
        `the first pull through ${local}:${TAG} did not give the upstream's image:\n${describePulls([miss.result])}`,
      );
    const missSeen = ofRepository(miss.requests, repository);
    ctx.evidence.note('upstream requests of the first pull', JSON.stringify(missSeen));
    const blobsAsked = image.layers.length + 1;
    if (missSeen.filter((l) => l.method === 'GET' && l.path.includes('/blobs/')).length < blobsAsked)
      throw new Error(
        `the first pull should have fetched the manifest and ${blobsAsked} blobs from the upstream; its access log shows: ${JSON.stringify(missSeen)}`,
      );

    await ctx.step('wait until the proxy project holds the image', () =>
      waitCached(ctx, proxy, repository, TAG, (a) => a.digest === digest),
    );
    const byTag = await upstreamRequestsDuring(ctx, upstream, () =>
      pullThroughHarbor(ctx, local, TAG, { blobs: true }),
    );
    const byDigest = await upstreamRequestsDuring(ctx, upstream, () =>
      pullThroughHarbor(ctx, local, digest, { blobs: true }),
    );
    report(ctx, 'miss then hit', [miss.result, byTag.result, byDigest.result]);
    const problems: string[] = [];
    for (const [what, pull] of [
      ['by tag', byTag],
      ['by digest', byDigest],
    ] as const) {
      if (!pulledImage(pull.result, digest))
        problems.push(`the cached pull ${what} failed: ${describePulls([pull.result])}`);
      const seen = ofRepository(pull.requests, repository);
      ctx.evidence.note(`upstream requests of the cached pull ${what}`, JSON.stringify(seen));
      // by tag Harbor HEADs the upstream to compare digests (UseLocalManifest); nothing else may reach it
      const fetched = what === 'by tag' ? contentFetches(seen) : seen;
      if (fetched.length > 0)
        problems.push(
          `the cached pull ${what} reached the upstream: ${fetched.map((l) => `${l.method} ${l.path}`).join(', ')}`,
        );
    }
    if (problems.length > 0) throw new Error(problems.join('\n'));

    const unframed = miss.result.blobs.filter(
      (b) => b.contentLength === undefined || b.dockerContentDigest === undefined,
    );
    if (unframed.length > 0)
      ctx.warn(
        `${unframed.length} of ${miss.result.blobs.length} blobs Harbor streamed from the upstream came without Content-Length or Docker-Content-Digest (chunked; clients cannot check the length before the end, and a cut-off stream looks complete to a cache in front of Harbor)`,
        BLOB_FRAMING_SOURCE,
      );
  });

  defineCheck(catalog.trimmedIndex, async (ctx) => {
    const upstream = needUpstream(ctx);
    const repository = upstreamRepository(ctx, 'multi');
    const amd64 = markedImage(ctx, 'amd64', { os: 'linux', architecture: 'amd64' });
    const arm64 = markedImage(ctx, 'arm64', { os: 'linux', architecture: 'arm64' });
    const index = buildIndex([amd64, arm64]);
    await pushUpstream(ctx, upstream, repository, TAG, index);
    const proxy = await proxyProjectFor(ctx, { url: upstream.peer.internalUrl });
    const local = proxy.repository(repository);

    // A single-platform pull: the amd64 manifest by digest with its blobs, then (once that is cached, so the
    // index's fill finds it whatever the timing of the two fills) the index by tag. The arm64 image is never pulled.
    const child = await pullThroughHarbor(ctx, local, amd64.manifest.digest, { blobs: true });
    if (!pulledImage(child, amd64.manifest.digest))
      throw new Error(`pulling the amd64 image through the proxy failed:\n${describePulls([child])}`);
    await waitCached(ctx, proxy, repository, amd64.manifest.digest);
    const pulledIndex = await pullThroughHarbor(ctx, local, TAG);
    if (pulledIndex.digest !== index.manifest.digest)
      throw new Error(`pulling the index through the proxy failed:\n${describePulls([pulledIndex])}`);
    const cached = await ctx.step('wait until the proxy project holds the index', () =>
      waitCached(ctx, proxy, repository, TAG, (a) => (a.references ?? []).length > 0),
    );
    const children = (cached.references ?? []).map((r) => r.child_digest);
    ctx.evidence.note('cached index', JSON.stringify({ digest: cached.digest, children }));
    const held = await Promise.all(
      children.map((d) =>
        ctx.api.getArtifact(proxy.name, repository, d).then(
          () => true,
          () => false,
        ),
      ),
    );
    const notHeld = children.filter((_, i) => !held[i]);
    if (notHeld.length > 0 || children.length !== 1 || children[0] !== amd64.manifest.digest)
      throw new Error(
        `the cached index should list exactly the pulled amd64 manifest ${amd64.manifest.digest}; it lists ${JSON.stringify(children)}` +
          (notHeld.length > 0 ? `, of which the proxy project does not hold ${notHeld.join(', ')}` : ''),
      );
    if (cached.digest === index.manifest.digest)
      throw new Error(`the cached index kept the upstream's digest ${cached.digest}: it was not trimmed`);
  });

  defineCheck(catalog.upstreamStopped, async (ctx) => {
    const upstream = needUpstream(ctx);
    const { proxy, repository, missing, digest } = await cachedAndUncached(ctx, upstream);

    const restart = await ctx.step('stop the upstream', () => stopUpstream(ctx, upstream));
    ctx.cleanup(() => ctx.step('start the upstream', restart));
    const pulls = await outagePulls(ctx, proxy, { repository, digest }, missing, DIAL_TIMEOUT_MS + 5_000);
    await ctx.step('start the upstream', restart);
    report(ctx, 'upstream stopped', Object.values(pulls));

    expectWithinDialTimeout('upstream stopped', Object.values(pulls));
    const failed = [pulls.byTag, pulls.byDigest].filter((p) => !pulledImage(p, digest));
    if (pulls.head.status !== 200 || pulls.head.digest !== digest) failed.push(pulls.head);
    if (failed.length > 0)
      throw new Error(`with the upstream stopped the cached image did not pull:\n${describePulls(failed)}`);
    expectNotFound(pulls.missing, 'with the upstream stopped, the uncached image');
  });

  defineCheck(catalog.upstreamBlackHoled, async (ctx) => {
    const upstream = needUpstream(ctx);
    const { proxy, repository, missing, digest } = await cachedAndUncached(ctx, upstream);

    const resume = await ctx.step('pause the upstream (black hole)', () => pauseUpstream(ctx, upstream));
    ctx.cleanup(() => ctx.step('unpause the upstream', resume));
    const pulls = await outagePulls(ctx, proxy, { repository, digest }, missing, BLACK_HOLE_BOUND_MS);
    await ctx.step('unpause the upstream', resume);
    // Harbor answers the held requests once the upstream is back and caches what they fetched: wait for that
    // before the project is deleted, or a late fill would re-create a repository in it.
    if (pulls.missing.timedOut)
      await ctx.step('wait for the held pulls to be answered and cached', () =>
        waitCached(ctx, proxy, missing, TAG).catch((error: unknown) => {
          ctx.evidence.note('held pulls not cached before cleanup', (error as Error).message);
        }),
      );
    report(ctx, `upstream black-holed (bound ${BLACK_HOLE_BOUND_MS} ms)`, Object.values(pulls));

    if (!pulledImage(pulls.byDigest, digest))
      throw new Error(
        `with the upstream black-holed the cached image pulled by digest was not served (Harbor answers a local digest without asking the upstream):\n${describePulls([pulls.byDigest])}`,
      );
    const waiting = [pulls.byTag, pulls.head, pulls.missing].filter((p) => p.timedOut);
    const wrong = [pulls.byTag, pulls.head].filter((p) => !p.timedOut && p.status !== 200);
    if (wrong.length > 0)
      throw new Error(
        `with the upstream black-holed the cached image answered an error by tag:\n${describePulls(wrong)}`,
      );
    if (!pulls.missing.timedOut && pulls.missing.status !== 404)
      throw new Error(`with the upstream black-holed the uncached image answered:\n${describePulls([pulls.missing])}`);
    if (waiting.length > 0)
      ctx.warn(
        `with the upstream black-holed, ${waiting.map((p) => p.what).join(', ')} got no answer within ${BLACK_HOLE_BOUND_MS / 1000} s: Harbor waits on the upstream's answer (a cached image by tag too) — up to its 30 s dial timeout when connections are dropped, up to 30 min when they are accepted; only pulls by digest of cached images are served`,
        BLACK_HOLE_SOURCE,
      );
  });

  defineCheck(catalog.credentialsRevoked, async (ctx) => {
    const peer =
      ctx.target.peers.harbor ??
      ctx.skip('the target names no Harbor peer (peers.harbor) to act as an upstream whose credential can be revoked');
    // the upstream: a project of the Harbor peer, read by a robot whose secret is then refreshed (revoked)
    const source = await ctx.project();
    const robot = await ctx.robot({ project: source, name: 'upstream' });
    const image = markedImage(ctx, 'app');
    const other = markedImage(ctx, 'never-pulled');
    await ctx.step('push the images to the upstream project', () =>
      Promise.all([
        pushImage(ctx.registry, source.repository('app'), TAG, image),
        pushImage(ctx.registry, source.repository('never-pulled'), TAG, other),
      ]),
    );
    const proxy = await proxyProjectFor(ctx, {
      url: peer.internalUrl,
      credential: { accessKey: robot.credentials.username, accessSecret: robot.credentials.password },
    });
    await cacheImage(ctx, proxy, source.repository('app'), image.manifest.digest);

    const fresh = await ctx.step(`revoke the endpoint's credential (refresh ${robot.name}'s secret)`, () =>
      ctx.api.refreshRobotSecret(robot.id),
    );
    ctx.secret(fresh);
    const pulls = await outagePulls(
      ctx,
      proxy,
      { repository: source.repository('app'), digest: image.manifest.digest },
      source.repository('never-pulled'),
      DIAL_TIMEOUT_MS + 5_000,
    );
    report(ctx, 'credential revoked (401)', Object.values(pulls));
    expectWithinDialTimeout('credential revoked', Object.values(pulls));
    const failed = [pulls.byTag, pulls.byDigest].filter((p) => !pulledImage(p, image.manifest.digest));
    if (pulls.head.status !== 200 || pulls.head.digest !== image.manifest.digest) failed.push(pulls.head);
    if (failed.length > 0)
      throw new Error(`with the credential revoked the cached image did not pull:\n${describePulls(failed)}`);
    expectNotFound(pulls.missing, 'with the credential revoked, the uncached image');
  });

  defineCheck(catalog.movedTag, async (ctx) => {
    const upstream = needUpstream(ctx);
    const repository = upstreamRepository(ctx, 'app');
    const before = markedImage(ctx, 'before');
    const after = markedImage(ctx, 'after');
    await pushUpstream(ctx, upstream, repository, TAG, before);
    const proxy = await proxyProjectFor(ctx, { url: upstream.peer.internalUrl });
    await cacheImage(ctx, proxy, repository, before.manifest.digest);

    await pushUpstream(ctx, upstream, repository, TAG, after);
    await pushUpstream(ctx, upstream, repository, 'upstream-only', after);
    const moved = await pullThroughHarbor(ctx, proxy.repository(repository), TAG, { blobs: true });
    report(ctx, 'tag moved upstream', [moved]);
    if (!pulledImage(moved, after.manifest.digest))
      throw new Error(
        `after ${repository}:${TAG} moved upstream to ${after.manifest.digest}, Harbor answered ${moved.digest ?? moved.status} (the cached ${before.manifest.digest} is stale):\n${describePulls([moved])}`,
      );
    // the refreshed tag is cached again (and nothing is still being written when the project goes)
    await ctx.step('wait until the moved tag is cached', () =>
      waitCached(ctx, proxy, repository, TAG, (a) => a.digest === after.manifest.digest),
    );
    const tags = await ctx.registry.listTags(proxy.repository(repository));
    ctx.evidence.note('tags list', JSON.stringify(tags));
    if (!tags.includes(TAG) || !tags.includes('upstream-only'))
      throw new Error(
        `the tags list of the proxied repository should hold the cached and the upstream tags: ${JSON.stringify(tags)}`,
      );
  });

  defineCheck(catalog.deletedTag, async (ctx) => {
    const upstream = needUpstream(ctx);
    const repository = upstreamRepository(ctx, 'app');
    const image = markedImage(ctx, 'app');
    const digest = await pushUpstream(ctx, upstream, repository, TAG, image);
    const [strict, keeping] = await Promise.all([
      proxyProjectFor(ctx, { url: upstream.peer.internalUrl }, {}, 'strict'),
      proxyProjectFor(ctx, { url: upstream.peer.internalUrl }, { proxy_cache_local_on_not_found: 'true' }, 'keep'),
    ]);
    await Promise.all([cacheImage(ctx, strict, repository, digest), cacheImage(ctx, keeping, repository, digest)]);

    await ctx.step(`delete ${repository}:${TAG} upstream`, () => upstream.client.deleteManifest(repository, digest));
    const [gone, kept] = await Promise.all([
      pullThroughHarbor(ctx, strict.repository(repository), TAG),
      pullThroughHarbor(ctx, keeping.repository(repository), TAG, { blobs: true }),
    ]);
    report(ctx, 'tag deleted upstream', [gone, kept]);
    expectNotFound(
      gone,
      `after ${repository}:${TAG} was deleted upstream, the project without proxy_cache_local_on_not_found`,
    );
    if (!gone.error?.includes(`tag ${TAG} not found`))
      throw new Error(
        `the 404 should say the upstream has no such tag ("repo …, tag ${TAG} not found"): ${gone.error}`,
      );
    if (!pulledImage(kept, digest))
      throw new Error(
        `with proxy_cache_local_on_not_found=true the cached copy of the deleted tag should be served:\n${describePulls([kept])}`,
      );
  });

  defineCheck(catalog.pushRefused, async (ctx) => {
    const upstream =
      ctx.target.peers.plainRegistry ?? ctx.skip('the target has no upstream registry for a proxy-cache project');
    const proxy = await proxyProjectFor(ctx, { url: upstream.internalUrl });
    const source = await ctx.project();
    const image = markedImage(ctx, 'pushed');
    await pushImage(ctx.registry, source.repository('app'), TAG, image);
    const repository = proxy.repository('pushed/app');
    const token = (await ctx.registry.tokenFor([pushScope(repository), `repository:${source.repository('app')}:pull`]))
      .token;
    ctx.secret(token);
    const layer = image.layers[0]!;
    const attempts = [
      { what: 'blob upload POST', method: 'POST', path: `/v2/${repository}/blobs/uploads/` },
      {
        what: 'blob mount POST',
        method: 'POST',
        path: `/v2/${repository}/blobs/uploads/?mount=${layer.digest}&from=${source.repository('app')}`,
      },
      { what: 'manifest PUT by tag', method: 'PUT', path: `/v2/${repository}/manifests/${TAG}`, manifest: true },
      {
        what: 'manifest PUT by digest',
        method: 'PUT',
        path: `/v2/${repository}/manifests/${image.manifest.digest}`,
        manifest: true,
      },
    ];
    const answers = [];
    for (const attempt of attempts) {
      const response = await ctx.http.request(attempt.method, attempt.path, {
        auth: { bearer: token },
        headers: attempt.manifest ? { 'content-type': image.manifest.mediaType } : {},
        ...(attempt.manifest ? { body: image.manifest.bytes } : {}),
      });
      const first =
        response.status >= 400
          ? response.json<{ errors?: Array<{ code: string; message: string }> }>().errors?.[0]
          : undefined;
      answers.push({ ...attempt, status: response.status, code: first?.code, message: first?.message });
    }
    ctx.evidence.note(
      'push attempts',
      JSON.stringify(answers.map(({ what, status, code, message }) => ({ what, status, code, message }))),
    );
    const expected = `can not push artifact to a proxy project: ${proxy.name}`;
    const accepted = answers.filter((a) => a.status !== 403 || a.code !== 'DENIED' || !a.message?.includes(expected));
    const repositories = await ctx.api.listRepositories(proxy.name);
    if (accepted.length > 0 || repositories.length > 0)
      throw new Error(
        `pushes into the proxy-cache project ${proxy.name} must be refused with 403 DENIED "${expected}":\n` +
          accepted.map((a) => `${a.what} → ${a.status} ${a.code ?? ''} ${a.message ?? ''}`).join('\n') +
          (repositories.length > 0 ? `\nthe project holds ${repositories.map((r) => r.name).join(', ')}` : ''),
      );
  });
  defineCheck(catalog.policyOnPulls, async (ctx) => {
    const upstream = needUpstream(ctx);
    const policies = [
      {
        name: 'unsigned (enable_content_trust_cosign)',
        metadata: { enable_content_trust_cosign: 'true' },
        image: markedImage(ctx, 'unsigned'),
        repository: upstreamRepository(ctx, 'unsigned'),
      },
      ...(ctx.target.capabilities.scanner
        ? [
            {
              name: 'vulnerable (prevent_vul, severity low)',
              metadata: { prevent_vul: 'true', severity: 'low', auto_scan: 'true' },
              image: buildImage({
                layers: [
                  ...distroFixture('alpine-vulnerable').layers,
                  { 'etc/proxy-cache.txt': `harbor-conformance ${ctx.runId} ${randomUUID()}\n` },
                ],
              }),
              repository: upstreamRepository(ctx, 'vulnerable'),
            },
          ]
        : []),
    ];
    if (policies.length === 1) ctx.evidence.note('prevent_vul left out', 'the target has no scanner');
    const results = await Promise.all(
      policies.map(async (policy, i) => {
        const [, proxy] = await Promise.all([
          pushUpstream(ctx, upstream, policy.repository, TAG, policy.image),
          proxyProjectFor(ctx, { url: upstream.peer.internalUrl }, policy.metadata, `policy${i + 1}`),
        ]);
        const local = proxy.repository(policy.repository);
        const first = await pullThroughHarbor(ctx, local, TAG);
        if (first.status === 200)
          await waitCached(ctx, proxy, policy.repository, TAG, (a) => a.digest === policy.image.manifest.digest);
        const later = await Promise.all([
          pullThroughHarbor(ctx, local, TAG),
          pullThroughHarbor(ctx, local, TAG, { method: 'HEAD' }),
          pullThroughHarbor(ctx, local, policy.image.manifest.digest),
        ]);
        return { policy, first, later };
      }),
    );
    for (const r of results) report(ctx, r.policy.name, [r.first, ...r.later]);
    const served = results.flatMap((r) =>
      r.later.filter((p) => p.status !== 412).map((p) => `${r.policy.name}: ${describePulls([p])}`),
    );
    if (served.length > 0)
      throw new Error(
        `pulls of the cached image were not refused with 412 PROJECTPOLICYVIOLATION:\n${served.join('\n')}`,
      );
    const proxiedThrough = results.filter((r) => r.first.status === 200);
    if (proxiedThrough.length > 0)
      ctx.warn(
        `the first pull through the proxy-cache project was answered from the upstream despite the project's policy (${proxiedThrough.map((r) => r.policy.name).join('; ')}); only later pulls of the cached copy were refused`,
        PROXIED_POLICY_SOURCE,
      );
  });
});
