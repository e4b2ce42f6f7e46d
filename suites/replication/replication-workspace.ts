// What the replication checks do through Harbor's API (goharbor/harbor src/server/v2.0/handler/{registry,
// replication}.go@v2.15.2): registry endpoints and policies created for the check and removed after it (policies
// first, after their executions are stopped), executions started and polled to a final status, tasks and task logs
// read; and the images they move (two layers each, unique to the check), with clients for the peer registry.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { RegistryClient } from '../../lib/oci/registry-client.ts';
import { pollUntil } from '../../lib/poll.ts';
import type { PeerRegistry } from '../../lib/target.ts';
import { buildImage, buildIndex, type BuiltImage, type BuiltIndex } from '../../fixtures/images/image-builder.ts';
import { pushImage } from '../../fixtures/images/push-image.ts';
import { cosignSign } from '../../fixtures/signing/cosign-registry.ts';
import { pushSbomReferrer } from '../support/sbom-referrer.ts';
import type { CheckContext } from '../check.ts';

export interface Execution {
  id: number;
  policy_id: number;
  status: string;
  status_text: string;
  trigger: string;
  total: number;
  failed: number;
  succeed: number;
  in_progress: number;
}

export interface Task {
  id: number;
  status: string;
  operation: string;
  resource_type: string;
  src_resource: string;
  dst_resource: string;
}

const idFrom = (location: string | undefined) => Number((location ?? '').split('/').pop());

/** POST /registries; the endpoint is deleted after the check. */
export async function createEndpoint(ctx: CheckContext, body: Record<string, unknown>): Promise<number> {
  const response = await ctx.step(`create registry endpoint ${String(body['name'])} → ${String(body['url'])}`, () =>
    ctx.api.request('POST', '/registries', { body, expect: [201] }),
  );
  const id = idFrom(response.headers['location']);
  ctx.cleanup(() =>
    ctx.step(`delete registry endpoint ${id}`, async () => {
      await ctx.api.request('DELETE', `/registries/${id}`, { expect: [200, 404] });
    }),
  );
  return id;
}

/** A docker-registry endpoint for the peer, as Harbor reaches it. */
export function peerEndpoint(ctx: CheckContext, peer: PeerRegistry, suffix: string): Promise<number> {
  return createEndpoint(ctx, {
    name: ctx.resourceName(suffix),
    type: 'docker-registry',
    url: peer.internalUrl,
    insecure: true,
  });
}

/** POST /replication/policies (enabled unless the body says otherwise); stopped and deleted after the check. */
export async function createPolicy(ctx: CheckContext, body: Record<string, unknown>): Promise<number> {
  const response = await ctx.step(`create replication policy ${String(body['name'])}`, () =>
    ctx.api.request('POST', '/replication/policies', { body: { enabled: true, ...body }, expect: [201] }),
  );
  const id = idFrom(response.headers['location']);
  ctx.cleanup(() =>
    ctx.step(`delete replication policy ${id}`, async () => {
      for (const execution of await executionsOf(ctx, id))
        if (execution.status === 'InProgress')
          await ctx.api.request('PUT', `/replication/executions/${execution.id}`, { expect: [200] });
      await ctx.api.request('DELETE', `/replication/policies/${id}`, { expect: [200, 404] });
    }),
  );
  return id;
}

export async function executionsOf(ctx: CheckContext, policyId: number): Promise<Execution[]> {
  return (
    await ctx.api.request<Execution[]>('GET', '/replication/executions', {
      query: { policy_id: policyId, page_size: 100 },
    })
  ).data;
}

/** POST /replication/executions → its id (the flow runs in the background). */
export async function startExecution(ctx: CheckContext, policyId: number): Promise<number> {
  const response = await ctx.api.request('POST', '/replication/executions', {
    body: { policy_id: policyId },
    expect: [201],
  });
  return idFrom(response.headers['location']);
}

/** Polls the execution until it is no longer InProgress (Harbor refreshes it asynchronously). */
export function finalExecution(ctx: CheckContext, executionId: number, timeoutMs = 15_000): Promise<Execution> {
  return ctx.step(`wait for execution ${executionId} to finish`, () =>
    pollUntil(async () => (await ctx.api.request<Execution>('GET', `/replication/executions/${executionId}`)).data, {
      timeoutMs,
      intervalMs: 150,
      accept: (e) => e.status !== 'InProgress',
      describe: `replication execution ${executionId} to leave InProgress`,
      signal: ctx.signal,
    }),
  );
}

/** Starts an execution of the policy and waits for its final status. */
export async function replicate(ctx: CheckContext, policyId: number): Promise<Execution> {
  const execution = await finalExecution(ctx, await startExecution(ctx, policyId));
  ctx.evidence.note(`execution ${execution.id} of policy ${policyId}`, JSON.stringify(execution));
  return execution;
}

export async function tasksOf(ctx: CheckContext, executionId: number): Promise<Task[]> {
  return (await ctx.api.request<Task[]>('GET', `/replication/executions/${executionId}/tasks`)).data;
}

export async function taskLog(ctx: CheckContext, executionId: number, taskId: number): Promise<string> {
  const response = await ctx.http.get(`/api/v2.0/replication/executions/${executionId}/tasks/${taskId}/log`, {
    auth: 'admin',
  });
  return response.text();
}

/** The first execution of the policy with `trigger` (event_based), once it is final. */
export async function eventExecution(
  ctx: CheckContext,
  policyId: number,
  operation: 'copy' | 'deletion',
): Promise<Execution> {
  const found = await ctx.step(`wait for the event-based ${operation} execution of policy ${policyId}`, () =>
    pollUntil(
      async () => {
        for (const execution of await executionsOf(ctx, policyId)) {
          if (execution.trigger !== 'event_based' || execution.status === 'InProgress') continue;
          const tasks = await tasksOf(ctx, execution.id);
          if (tasks.some((t) => t.operation === operation)) return execution;
        }
        return undefined;
      },
      {
        timeoutMs: 15_000,
        intervalMs: 200,
        describe: `an event_based ${operation} execution of policy ${policyId}`,
        signal: ctx.signal,
      },
    ),
  );
  return found!;
}

/** The peer as the harness reaches it (no credentials: the offline peers have no auth). */
export function peerClient(ctx: CheckContext, peer: PeerRegistry): RegistryClient {
  return new RegistryClient({ baseUrl: peer.url, recorder: ctx.evidence.exchanges });
}

/** Manifests a check left on the peer are deleted after it (blobs stay until the peer's own GC). */
export function removeFromPeer(
  ctx: CheckContext,
  peer: RegistryClient,
  repository: string,
  digests: () => string[],
): void {
  ctx.cleanup(async () => {
    for (const digest of digests().reverse()) {
      await peer.deleteManifest(repository, digest).catch((error: unknown) => {
        if (!(error instanceof Error && /404|MANIFEST_UNKNOWN|not found/i.test(error.message))) throw error;
      });
    }
  });
}

/**
 * An image of two layers whose content no registry has seen (`label` tells the images of one check apart): a blob
 * already on the target from an earlier run would hide a layer the replication failed to copy.
 */
export function uniqueImage(ctx: CheckContext, label: string): BuiltImage {
  const nonce = randomUUID();
  return buildImage({
    layers: [
      { 'etc/check': `${ctx.runId} ${ctx.check.id} ${label} ${nonce}\n` },
      { 'app/data': `${label} ${nonce}\n` },
    ],
  });
}

/** An index of two single-layer images (linux/amd64, linux/arm64), unique like `uniqueImage`. */
export function uniqueIndex(ctx: CheckContext, label: string): BuiltIndex {
  const nonce = randomUUID();
  const amd64 = buildImage({
    layers: [{ 'etc/check': `${ctx.runId} ${ctx.check.id} ${label} amd64 ${nonce}\n` }],
    platform: { architecture: 'amd64', os: 'linux' },
  });
  const arm64 = buildImage({
    layers: [{ 'etc/check': `${ctx.runId} ${ctx.check.id} ${label} arm64 ${nonce}\n` }],
    platform: { architecture: 'arm64', os: 'linux' },
  });
  return buildIndex([amd64, arm64]);
}

export async function push(
  ctx: CheckContext,
  repository: string,
  tag: string | undefined,
  image: BuiltImage | BuiltIndex,
  client: RegistryClient = ctx.registry,
): Promise<string> {
  const pushed = await ctx.step(`push ${repository}${tag ? `:${tag}` : `@${image.manifest.digest}`}`, () =>
    pushImage(client, repository, tag, image),
  );
  ctx.evidence.digest(`${repository}:${tag ?? '(untagged)'}`, pushed.digest);
  return pushed.digest;
}

const signingKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;

/** A cosign signature (tag form `sha256-<hex>.sig`) of `digest`; returns the signature manifest's digest. */
export async function cosignSignature(ctx: CheckContext, repository: string, digest: string): Promise<string> {
  const pushed = await ctx.step(`cosign sign ${repository}@${digest}`, () =>
    cosignSign(ctx.registry, repository, {
      subject: digest,
      dockerReference: `${ctx.target.registryHost}/${repository}`,
      privateKey: signingKey,
    }),
  );
  ctx.evidence.digest(`cosign signature of ${digest}`, pushed.digest);
  return pushed.digest;
}

/** An OCI 1.1 referrer (an SBOM-like artifact with `subject`) of `digest`; returns its digest. */
export async function sbomReferrer(
  ctx: CheckContext,
  repository: string,
  subject: string,
  label: string,
): Promise<string> {
  const digest = await ctx.step(`push SBOM referrer of ${repository}@${subject}`, () =>
    pushSbomReferrer(ctx.registry, repository, subject, `${ctx.runId} ${label}`),
  );
  ctx.evidence.digest(`SBOM referrer of ${subject}`, digest);
  return digest;
}
