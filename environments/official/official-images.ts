// Makes sure every image of the official environment is on this Docker engine before anything starts:
// an image already there (under the configured registry's name, or the goharbor/ name that `docker load`
// of Harbor's offline installer bundle gives) is used as is; a missing one is pulled. When a pull fails
// the run stops at once with one line saying which image, why, and what to do instead.
import type Docker from 'dockerode';
import { EnvironmentError } from '../environment.ts';

export interface WantedImage {
  /** What the image is for, e.g. core. */
  component: string;
  /** The reference to pull when none of the candidates is present. */
  image: string;
  /** Other names the same image may already carry locally (checked after `image`). */
  alsoKnownAs?: string[];
  /** Part of Harbor's offline installer bundle (decides the advice in the error line). */
  inHarborBundle: boolean;
}

export interface ImagePullContext {
  docker: Docker;
  /** Harbor release, for the bundle's file name in the advice. */
  harborVersion: string;
  log: (line: string) => void;
  signal?: AbortSignal;
}

/** Resolves each wanted image to a reference present on the engine, pulling what is missing. */
export async function ensureOfficialImages<C extends string>(
  wanted: Array<WantedImage & { component: C }>,
  context: ImagePullContext,
): Promise<Record<C, string>> {
  const resolved = {} as Record<C, string>;
  const missing: Array<WantedImage & { component: C }> = [];
  for (const want of wanted) {
    const present = await firstPresent(context.docker, [want.image, ...(want.alsoKnownAs ?? [])]);
    if (present) resolved[want.component] = present;
    else missing.push(want);
  }
  if (missing.length === 0) return resolved;

  // one pull per registry first, in list order: an unreachable registry fails on its first image,
  // deterministically and at once, before the other pulls start
  const firstOfRegistry = new Map<string, WantedImage & { component: C }>();
  for (const want of missing)
    if (!firstOfRegistry.has(registryOf(want.image))) firstOfRegistry.set(registryOf(want.image), want);
  for (const want of firstOfRegistry.values()) {
    context.signal?.throwIfAborted();
    await pullOrExplain(want, context);
    resolved[want.component] = want.image;
  }
  const rest = missing.filter((want) => ![...firstOfRegistry.values()].includes(want));
  await Promise.all(
    rest.map(async (want) => {
      await pullOrExplain(want, context);
      resolved[want.component] = want.image;
    }),
  );
  return resolved;
}

async function firstPresent(docker: Docker, names: string[]): Promise<string | undefined> {
  for (const name of names) {
    try {
      await docker.getImage(name).inspect();
      return name;
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode !== 404) throw error;
    }
  }
  return undefined;
}

async function pullOrExplain(want: WantedImage, context: ImagePullContext): Promise<void> {
  context.log(`  pulling ${want.image} (${want.component})`);
  try {
    await pull(context.docker, want.image, context.signal);
  } catch (error) {
    context.signal?.throwIfAborted();
    throw new EnvironmentError(pullFailureLine(want, pullFailureReason(error), context.harborVersion));
  }
}

function pull(docker: Docker, image: string, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    docker.pull(image, (error: unknown, stream: NodeJS.ReadableStream | undefined) => {
      if (error || !stream) {
        reject(error ?? new Error('no pull stream'));
        return;
      }
      const onAbort = () => (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      signal?.addEventListener('abort', onAbort, { once: true });
      docker.modem.followProgress(
        stream,
        (finished: unknown) => {
          signal?.removeEventListener('abort', onAbort);
          if (finished) reject(finished);
          else resolve();
        },
        (event: { error?: string; errorDetail?: { message?: string } }) => {
          // a failure in the middle of a pull arrives as an event, not as a stream error
          if (event.error) reject(new Error(event.errorDetail?.message ?? event.error));
        },
      );
    });
  });
}

/** The engine's reason, without dockerode's "(HTTP code 500) server error -" wrapper, on one line. */
export function pullFailureReason(error: unknown): string {
  const fromJson = (error as { json?: { message?: unknown } }).json?.message;
  const raw = typeof fromJson === 'string' ? fromJson : error instanceof Error ? error.message : String(error);
  return raw
    .replace(/^\(HTTP code \d+\)[^-]*-\s*/, '')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .join(' ')
    .trim();
}

const UNREACHABLE =
  /no such host|connection refused|i\/o timeout|network is unreachable|handshake timeout|Client\.Timeout|server misbehaving|name resolution|context deadline exceeded|dial tcp|no route to host/i;

export function pullFailureLine(want: WantedImage, reason: string, harborVersion: string): string {
  const registry = registryOf(want.image);
  const instead = want.inHarborBundle
    ? `use --env offline, or docker load Harbor's offline installer bundle (harbor.${harborVersion}.tar.gz) first`
    : `use --env offline, or docker load ${want.image} first`;
  if (UNREACHABLE.test(reason))
    return `cannot pull ${want.image}: ${reason}; this machine cannot reach ${registry}: ${instead}`;
  return `cannot pull ${want.image}: ${reason}; check that ${registry} has it (Harbor version and image registry), or ${instead}`;
}

/** The registry host of an image reference (Docker Hub for short names). */
export function registryOf(image: string): string {
  const first = image.split('/')[0] ?? '';
  const hasHost = image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  return hasHost ? first : 'docker.io';
}
