// The proxy-cache upstream as the suite needs it: the plain registry peer (Target.peers.plainRegistry) whose
// container the environment names (Target.faults.containers.upstream), so that the suite can read the
// upstream's own access log and take it down three ways — stopped (the container is gone: connection refused
// or unknown host), paused (accepts connections and never answers: a black hole) — and bring it back.
import { randomUUID } from 'node:crypto';
import Docker from 'dockerode';
import { RegistryClient } from '../../lib/oci/registry-client.ts';
import { pollUntil } from '../../lib/poll.ts';
import type { PeerRegistry, Target } from '../../lib/target.ts';
import type { CheckContext } from '../check.ts';
import { type AccessLine, between, demuxDockerLog, markerPath, parseAccessLines } from './access-log.ts';

export interface UpstreamPeer {
  peer: PeerRegistry;
  client: RegistryClient;
  container: Docker.Container;
}

/** The upstream, or the reason the target cannot give one (the suite then skips). */
export function upstreamPeer(ctx: CheckContext): UpstreamPeer | { reason: string } {
  const peer = ctx.target.peers.plainRegistry;
  if (!peer)
    return {
      reason: 'the target has no upstream registry beside Harbor (peers.plainRegistry) for a proxy-cache project',
    };
  const id = upstreamContainer(ctx.target);
  if (!id)
    return {
      reason:
        "the target gives no access to the upstream's container (faults.containers.upstream): its access log and outages are needed",
    };
  return {
    peer,
    client: new RegistryClient({ baseUrl: peer.url, recorder: ctx.evidence.exchanges }),
    container: new Docker().getContainer(id),
  };
}

function upstreamContainer(target: Target): string | undefined {
  return target.faults?.kind === 'docker' ? target.faults.containers.upstream : undefined;
}

/**
 * Runs `fn` and returns what the upstream logged meanwhile: a marker request before and after, then the
 * container's log read until the second marker shows (docker writes the log a moment later).
 */
export async function upstreamRequestsDuring<T>(
  ctx: CheckContext,
  upstream: UpstreamPeer,
  fn: () => Promise<T>,
): Promise<{ result: T; requests: AccessLine[] }> {
  const since = Math.floor(Date.now() / 1000) - 1;
  const [begin, end] = [randomUUID(), randomUUID()];
  await mark(upstream, begin);
  const result = await fn();
  await mark(upstream, end);
  const requests = await pollUntil(
    async () => {
      const raw = (await upstream.container.logs({ stdout: true, stderr: true, since })) as unknown as Buffer;
      return between(parseAccessLines(demuxDockerLog(raw)), begin, end);
    },
    {
      timeoutMs: 10_000,
      intervalMs: 100,
      describe: "the upstream's access log to show the check's end marker",
      accept: (lines) => lines !== undefined,
      signal: ctx.signal,
    },
  );
  return { result, requests: requests ?? [] };
}

async function mark(upstream: UpstreamPeer, marker: string): Promise<void> {
  const response = await fetch(`${upstream.peer.url}${markerPath(marker)}`);
  await response.arrayBuffer();
}

/** `docker stop`; the returned function starts it again (when it is not running) and waits until it answers. */
export async function stopUpstream(ctx: CheckContext, upstream: UpstreamPeer): Promise<() => Promise<void>> {
  await upstream.container.stop({ t: 1 });
  return () => startUpstream(ctx, upstream);
}

/** `docker pause`: the kernel still accepts connections, nothing answers. The returned function unpauses (once). */
export async function pauseUpstream(ctx: CheckContext, upstream: UpstreamPeer): Promise<() => Promise<void>> {
  await upstream.container.pause();
  return () => startUpstream(ctx, upstream);
}

async function startUpstream(ctx: CheckContext, upstream: UpstreamPeer): Promise<void> {
  const state = (await upstream.container.inspect()).State;
  if (state.Paused) await upstream.container.unpause();
  else if (!state.Running) await upstream.container.start();
  await waitUntilAnswering(ctx, upstream);
}

async function waitUntilAnswering(ctx: CheckContext, upstream: UpstreamPeer): Promise<void> {
  await pollUntil(
    async () => {
      const response = await fetch(`${upstream.peer.url}/v2/`, { signal: AbortSignal.timeout(2_000) }).catch(
        () => undefined,
      );
      await response?.arrayBuffer();
      return response?.status;
    },
    {
      timeoutMs: 30_000,
      intervalMs: 100,
      describe: 'the upstream to answer GET /v2/ again',
      accept: (status) => status === 200,
      signal: ctx.signal,
    },
  );
}
