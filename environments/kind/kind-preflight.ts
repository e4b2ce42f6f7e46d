// What a kind run needs before it creates anything: the kind and helm binaries (built from their
// pinned Go modules, else the team's own on PATH), and kind's node image on the Docker engine. kind
// would pull the node image itself; pulling it first makes a machine without registry access fail
// at once, in one line, with nothing created.
import { missingToolReason, resolveGoTool, type ResolvedTool } from '../../lib/tools/go-tools.ts';
import { EnvironmentError } from '../environment.ts';
import { firstLine } from '../guarded-start.ts';

export interface KindTools {
  kind: ResolvedTool;
  helm: ResolvedTool;
}

export function resolveKindTools(
  env: NodeJS.ProcessEnv = process.env,
  resolve: typeof resolveGoTool = resolveGoTool,
): KindTools {
  const kind = resolve('kind', env);
  const helm = resolve('helm', env);
  const missing = [kind ? undefined : 'kind', helm ? undefined : 'helm'].filter(Boolean) as Array<'kind' | 'helm'>;
  if (missing.length > 0) {
    throw new EnvironmentError(
      `--env kind needs ${missing.join(' and ')}: ${missingToolReason(missing[0] as 'kind')}; run bash scripts/tools/build-go-tools.sh kind helm, or put your own on PATH`,
    );
  }
  return { kind: kind as ResolvedTool, helm: helm as ResolvedTool };
}

/** The part of dockerode the node-image check uses. */
export interface NodeImageDocker {
  getImage(name: string): { inspect(): Promise<unknown> };
  pull(name: string): Promise<NodeJS.ReadableStream>;
  modem: {
    followProgress(stream: NodeJS.ReadableStream, onFinished: (error: Error | null, output: unknown[]) => void): void;
  };
}

/**
 * The node image reference the cluster is created with. `docker load` keeps no repo digest, so a loaded
 * `kindest/node:v1.37.0` does not answer to `kindest/node:v1.37.0@sha256:…`: the tag alone is used then.
 */
export async function ensureNodeImage(
  docker: NodeImageDocker,
  image: string,
  log: (line: string) => void,
  signal?: AbortSignal,
): Promise<string> {
  if (await present(docker, image)) return image;
  const tagOnly = image.includes('@') ? image.slice(0, image.indexOf('@')) : undefined;
  if (tagOnly && (await present(docker, tagOnly))) {
    log(`kind node image: using ${tagOnly} (loaded without its registry digest)`);
    return tagOnly;
  }
  log(`kind node image: pulling ${image}`);
  try {
    await pull(docker, image, signal);
  } catch (error) {
    signal?.throwIfAborted();
    // dockerode prefixes the engine's message with "(HTTP code 500) server error - "
    throw nodeImageUnavailable(image, firstLine(error).replace(/^\(HTTP code \d+\) [a-z ]+ - /, ''));
  }
  return image;
}

export function nodeImageUnavailable(image: string, reason: string): EnvironmentError {
  const repository = image.split(/[:@]/)[0];
  return new EnvironmentError(
    `--env kind cannot create a cluster on this machine: kind's node image ${image} is not on this Docker engine and cannot be pulled (${reason}); ` +
      `docker load a ${repository} image saved where a registry is reachable (set HC_KIND_NODE_IMAGE if its tag differs), or run --env kind where a registry is reachable`,
  );
}

async function present(docker: NodeImageDocker, image: string): Promise<boolean> {
  try {
    await docker.getImage(image).inspect();
    return true;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return false;
    throw error;
  }
}

async function pull(docker: NodeImageDocker, image: string, signal?: AbortSignal): Promise<void> {
  const stream = await docker.pull(image);
  await new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    signal?.addEventListener('abort', onAbort, { once: true });
    docker.modem.followProgress(stream, (error, output) => {
      signal?.removeEventListener('abort', onAbort);
      // the engine reports some pull failures as a progress message, not as an error
      const failed = (output as Array<{ error?: string }> | undefined)?.find((o) => o.error);
      if (error) reject(error);
      else if (failed) reject(new Error(failed.error));
      else resolve();
    });
  });
}
