// Replication as Harbor v2.15 does it (goharbor/harbor src/controller/replication/transfer/image/transfer.go,
// flow/{copy,stage}.go, src/pkg/reg/filter/*.go, src/controller/event/handler/replication@v2.15.2). Each check works
// in run-id projects and run-id namespaces on the peer, and proves every replica by content on the registry that
// received it (suites/support/registry-content.ts); endpoints, policies and the peer's manifests go after the check.
import { describe, expect } from 'vitest';
import { pollUntil } from '../../lib/poll.ts';
import { cosignSignatureTag } from '../../fixtures/signing/signing-media-types.ts';
import { defineCheck, type CheckContext } from '../check.ts';
import { compareManifest, compareTag, emptyComparison, type ContentComparison } from '../support/registry-content.ts';
import { catalog } from './catalog.ts';
import {
  createEndpoint,
  createPolicy,
  peerClient,
  peerEndpoint,
  removeFromPeer,
  replicate,
  taskLog,
  tasksOf,
} from '../support/replication-runs.ts';
import {
  cosignSignature,
  eventExecution,
  push,
  sbomReferrer,
  uniqueImage,
  uniqueIndex,
} from './replication-workspace.ts';
import type { RegistryClient } from '../../lib/oci/registry-client.ts';

const peerOf = (ctx: CheckContext) => ctx.target.peers.plainRegistry!;

function expectSameContent(ctx: CheckContext, what: string, comparison: ContentComparison): void {
  ctx.evidence.note(
    `${what}: compared`,
    `${comparison.manifests.length} manifests, ${comparison.blobs.length} blobs, ${comparison.tags.length} tags`,
  );
  expect(comparison.problems, `${what}: differences between the source and the copy`).toEqual([]);
}

async function absent(client: RegistryClient, repository: string, reference: string): Promise<boolean> {
  return (await client.headManifest(repository, reference).catch(() => undefined)) === undefined;
}

describe('replication', () => {
  defineCheck(catalog.pushByContent, async (ctx) => {
    const ws = await ctx.project();
    const repo = ws.repository('app');
    const image = await push(ctx, repo, 'v1', uniqueImage(ctx, 'v1'));
    const index = await push(ctx, repo, 'v2', uniqueIndex(ctx, 'v2'));
    const imageSignature = await cosignSignature(ctx, repo, image);
    const sbom = await sbomReferrer(ctx, repo, image, 'sbom');
    const sbomSignature = await cosignSignature(ctx, repo, sbom);
    const tagged: Array<[string, string]> = [
      ['v1', image],
      ['v2', index],
      [cosignSignatureTag(image), imageSignature],
      [cosignSignatureTag(sbom), sbomSignature],
    ];

    // The distribution 2.8 peer (what Harbor embeds); the v3 peer adds time, not a different adapter path.
    const peers = [{ name: 'distribution 2.8', peer: peerOf(ctx) }];
    for (const [i, { name, peer }] of peers.entries()) {
      const namespace = ctx.resourceName(`mirror${i}`);
      const destination = `${namespace}/app`;
      const target = peerClient(ctx, peer);
      const comparison = emptyComparison();
      removeFromPeer(ctx, target, destination, () => comparison.manifests);
      const endpoint = await peerEndpoint(ctx, peer, `peer${i}`);
      const policy = await createPolicy(ctx, {
        name: ctx.resourceName(`push${i}`),
        dest_registry: { id: endpoint },
        dest_namespace: namespace,
        dest_namespace_replace_count: 1,
        filters: [
          { type: 'name', value: `${ws.name}/**` },
          { type: 'tag', value: 'v*' },
        ],
        trigger: { type: 'manual' },
        override: true,
      });
      const execution = await replicate(ctx, policy);
      expect(execution.status, `the execution to ${name}`).toBe('Succeed');
      for (const digest of [image, index, imageSignature, sbom, sbomSignature])
        await compareManifest(ctx.registry, repo, target, destination, digest, comparison);
      for (const [tag, digest] of tagged) await compareTag(target, destination, tag, digest, comparison);
      expectSameContent(ctx, `${repo} → ${name} ${destination}`, comparison);
    }
  });

  defineCheck(catalog.namespaceFlattening, async (ctx) => {
    const ws = await ctx.project();
    const repo = ws.repository('team/app');
    const image = await push(ctx, repo, 'v1', uniqueImage(ctx, 'flat'));
    const target = peerClient(ctx, peerOf(ctx));
    const endpoint = await peerEndpoint(ctx, peerOf(ctx), 'peer');
    const cases: Array<{ count: number; expected: (ns: string) => string | undefined }> = [
      { count: -1, expected: (ns) => `${ns}/app` },
      { count: 0, expected: (ns) => `${ns}/${ws.name}/team/app` },
      { count: 1, expected: (ns) => `${ns}/team/app` },
      { count: 3, expected: () => undefined },
    ];
    for (const [i, { count, expected }] of cases.entries()) {
      const namespace = ctx.resourceName(`n${i}`);
      const destination = expected(namespace);
      if (destination) removeFromPeer(ctx, target, destination, () => [image]);
      const policy = await createPolicy(ctx, {
        name: ctx.resourceName(`flat${i}`),
        dest_registry: { id: endpoint },
        dest_namespace: namespace,
        dest_namespace_replace_count: count,
        filters: [{ type: 'name', value: repo }],
        trigger: { type: 'manual' },
      });
      const shown = (
        await ctx.api.request<{ dest_namespace_replace_count: number }>('GET', `/replication/policies/${policy}`)
      ).data;
      expect(shown.dest_namespace_replace_count, `replace count ${count} as GET shows it`).toBe(count);
      const execution = await replicate(ctx, policy);
      if (!destination) {
        expect(execution.status, `replace count ${count} on a repository of 3 components`).toBe('Failed');
        expect(execution.status_text).toContain('flattening level is 3');
        continue;
      }
      expect(execution.status, `the execution with replace count ${count}`).toBe('Succeed');
      const head = await target.headManifest(destination, 'v1').catch(() => undefined);
      expect(head?.digest, `${destination}:v1 on the peer (replace count ${count})`).toBe(image);
    }
  });

  defineCheck(catalog.eventBased, async (ctx) => {
    const ws = await ctx.project();
    const repo = ws.repository('app');
    const namespace = ctx.resourceName('events');
    const destination = `${namespace}/app`;
    const target = peerClient(ctx, peerOf(ctx));
    const comparison = emptyComparison();
    removeFromPeer(ctx, target, destination, () => comparison.manifests);
    const endpoint = await peerEndpoint(ctx, peerOf(ctx), 'peer');
    const policy = await createPolicy(ctx, {
      name: ctx.resourceName('events'),
      dest_registry: { id: endpoint },
      dest_namespace: namespace,
      dest_namespace_replace_count: 1,
      filters: [{ type: 'name', value: `${ws.name}/**` }],
      trigger: { type: 'event_based' },
      deletion: true,
    });
    const shown = (
      await ctx.api.request<{ deletion: boolean; replicate_deletion: boolean }>(
        'GET',
        `/replication/policies/${policy}`,
      )
    ).data;
    expect(
      { deletion: shown.deletion, replicate_deletion: shown.replicate_deletion },
      'the policy as Harbor stored it',
    ).toEqual({
      deletion: true,
      replicate_deletion: true,
    });

    const digest = await push(ctx, repo, 'v1', uniqueImage(ctx, 'event'));
    const copied = await eventExecution(ctx, policy, 'copy');
    expect(copied.status, 'the event_based execution of the push').toBe('Succeed');
    await compareManifest(ctx.registry, repo, target, destination, digest, comparison);
    await compareTag(target, destination, 'v1', digest, comparison);
    expectSameContent(ctx, `${repo}:v1 → ${destination}`, comparison);

    await ctx.step(`delete ${repo}@${digest} in Harbor`, () => ctx.api.deleteArtifact(ws.name, 'app', digest));
    const deleted = await eventExecution(ctx, policy, 'deletion');
    expect(deleted.status, 'the event_based execution of the delete').toBe('Succeed');
    await ctx.step(`wait until ${destination}@${digest} is gone from the peer`, () =>
      pollUntil(() => absent(target, destination, digest), {
        timeoutMs: 5_000,
        intervalMs: 200,
        describe: `${destination}@${digest} to be deleted on the peer`,
        signal: ctx.signal,
      }),
    );
  });

  defineCheck(catalog.pullFromPeer, async (ctx) => {
    const peer = peerClient(ctx, peerOf(ctx));
    const sourceRepo = `${ctx.resourceName('upstream')}/app`;
    const digest = await push(ctx, sourceRepo, 'v1', uniqueImage(ctx, 'pull'), peer);
    removeFromPeer(ctx, peer, sourceRepo, () => [digest]);
    const ws = await ctx.project();
    const endpoint = await peerEndpoint(ctx, peerOf(ctx), 'peer');
    const policy = await createPolicy(ctx, {
      name: ctx.resourceName('pull'),
      src_registry: { id: endpoint },
      dest_namespace: ws.name,
      dest_namespace_replace_count: 1,
      filters: [
        { type: 'name', value: sourceRepo },
        { type: 'tag', value: 'v1' },
      ],
      trigger: { type: 'manual' },
    });
    const execution = await replicate(ctx, policy);
    expect(execution.status, 'the pull execution').toBe('Succeed');
    const tasks = await tasksOf(ctx, execution.id);
    expect(
      tasks.map((t) => t.resource_type),
      'resource type of a docker-registry source',
    ).toEqual(['image']);
    const comparison = await compareManifest(peer, sourceRepo, ctx.registry, ws.repository('app'), digest);
    await compareTag(ctx.registry, ws.repository('app'), 'v1', digest, comparison);
    expectSameContent(ctx, `${sourceRepo}:v1 → Harbor ${ws.repository('app')}`, comparison);
  });

  defineCheck(catalog.filters, async (ctx) => {
    const ws = await ctx.project();
    const [a, b] = ['a', 'b'].map((r) => ws.repository(r)) as [string, string];
    const v1 = await push(ctx, a, 'v1', uniqueImage(ctx, 'a-v1'));
    const signature = await cosignSignature(ctx, a, v1);
    const dev = await push(ctx, a, 'dev', uniqueImage(ctx, 'a-dev'));
    const untagged = await push(ctx, a, undefined, uniqueImage(ctx, 'a-untagged'));
    const bV1 = await push(ctx, b, 'v1', uniqueImage(ctx, 'b-v1'));
    const target = peerClient(ctx, peerOf(ctx));
    const endpoint = await peerEndpoint(ctx, peerOf(ctx), 'peer');
    const sigTag = cosignSignatureTag(v1);

    const cases = [
      {
        what: `name ${ws.name}/{a,b}, tag **`,
        filters: [
          { type: 'name', value: `${ws.name}/{a,b}` },
          { type: 'tag', value: '**' },
        ],
        present: { a: [v1, dev, untagged, signature], b: [bV1] } as Record<string, string[]>,
        absent: { a: [] as string[] } as Record<string, string[]>,
      },
      {
        what: `name ${ws.name}/a, tag v*`,
        filters: [
          { type: 'name', value: `${ws.name}/a` },
          { type: 'tag', value: 'v*' },
        ],
        present: { a: [v1, signature] },
        absent: { a: [dev, untagged, 'dev'], b: ['v1'] },
      },
    ];
    for (const [i, { what, filters, present, absent: missing }] of cases.entries()) {
      const namespace = ctx.resourceName(`f${i}`);
      const seen: string[] = [];
      for (const r of ['a', 'b']) removeFromPeer(ctx, target, `${namespace}/${r}`, () => seen);
      const policy = await createPolicy(ctx, {
        name: ctx.resourceName(`filter${i}`),
        dest_registry: { id: endpoint },
        dest_namespace: namespace,
        dest_namespace_replace_count: 1,
        filters,
        trigger: { type: 'manual' },
      });
      const execution = await replicate(ctx, policy);
      expect(execution.status, `the execution with ${what}`).toBe('Succeed');
      const problems: string[] = [];
      for (const [r, digests] of Object.entries(present)) {
        for (const digest of digests) {
          seen.push(digest);
          if (await absent(target, `${namespace}/${r}`, digest)) problems.push(`${r}@${digest} missing`);
        }
      }
      if (present['a']?.includes(signature) && (await absent(target, `${namespace}/a`, sigTag)))
        problems.push(`a:${sigTag} (the signature's tag) missing`);
      for (const [r, references] of Object.entries(missing))
        for (const reference of references)
          if (!(await absent(target, `${namespace}/${r}`, reference))) {
            problems.push(`${r}:${reference} replicated although the filter leaves it out`);
            if (reference.startsWith('sha256:')) seen.push(reference);
          }
      expect(problems, `what the peer holds after ${what}`).toEqual([]);
    }
  });

  defineCheck(catalog.failingTarget, async (ctx) => {
    const harborPeer = ctx.target.peers.harbor;
    ctx.skipUnless(
      harborPeer !== undefined,
      'the target has no Harbor-shaped replication peer (peers.harbor): a failing target is injected by revoking the robot credential of a harbor endpoint',
    );
    const source = await ctx.project();
    const destination = await ctx.project();
    const repo = source.repository('app');
    const digest = await push(ctx, repo, 'v1', uniqueImage(ctx, 'retry'));
    const robot = await ctx.robot({ project: destination, actions: ['pull', 'push'] });
    const url = harborPeer!.internalUrl;

    const endpoint = await createEndpoint(ctx, {
      name: ctx.resourceName('harbor'),
      type: 'harbor',
      url,
      credential: { type: 'basic', access_key: robot.credentials.username, access_secret: robot.credentials.password },
    });
    const policy = await createPolicy(ctx, {
      name: ctx.resourceName('retry'),
      dest_registry: { id: endpoint },
      dest_namespace: destination.name,
      dest_namespace_replace_count: 1,
      filters: [{ type: 'name', value: `${source.name}/**` }],
      trigger: { type: 'manual' },
    });
    const setDisabled = async (disable: boolean) => {
      const current = await ctx.api.getRobot(robot.id);
      await ctx.step(`${disable ? 'revoke' : 'restore'} the endpoint's robot credential`, () =>
        ctx.api.updateRobot(robot.id, { ...current, disable }),
      );
    };

    await setDisabled(true);
    const failed = await replicate(ctx, policy);
    expect(failed.status, 'the execution against the revoked credential').toBe('Failed');
    const [task] = await tasksOf(ctx, failed.id);
    const reason = task ? await taskLog(ctx, failed.id, task.id) : failed.status_text;
    ctx.evidence.note('reason of the failure', reason.slice(-2_000));
    expect(reason, 'the task log (or status text) names the refusal').toMatch(/401|unauthori[sz]ed/i);
    expect(await absent(ctx.registry, destination.repository('app'), 'v1'), 'nothing on the target').toBe(true);

    await setDisabled(false);
    const retried = await replicate(ctx, policy);
    expect(retried.status, 'the retried execution').toBe('Succeed');
    const comparison = await compareManifest(ctx.registry, repo, ctx.registry, destination.repository('app'), digest);
    await compareTag(ctx.registry, destination.repository('app'), 'v1', digest, comparison);
    expectSameContent(ctx, `${repo}:v1 → ${destination.repository('app')}`, comparison);
  });
});
