// What the replication checks do through Harbor's API (goharbor/harbor src/server/v2.0/handler/{registry,
// replication}.go@v2.15.2): registry endpoints and policies created for the check and removed after it (policies
// first, after their executions are stopped), executions started and polled to a final status, tasks and task logs
// read; and the images they move (two layers each, unique to the check), with clients for the peer registry.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import type { RegistryClient } from '../../lib/oci/registry-client.ts';
import { pollUntil } from '../../lib/poll.ts';
import type { PeerRegistry } from '../../lib/target.ts';
import { buildImage, buildIndex, type BuiltImage, type BuiltIndex } from '../../fixtures/images/image-builder.ts';
import { pushImage } from '../../fixtures/images/push-image.ts';
import { cosignSign } from '../../fixtures/signing/cosign-registry.ts';
import { pushSbomReferrer } from '../support/sbom-referrer.ts';
import type { CheckContext } from '../check.ts';
import { type Execution, executionsOf, tasksOf } from '../support/replication-runs.ts';

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
