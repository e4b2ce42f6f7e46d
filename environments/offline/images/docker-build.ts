// `docker build` of one image folder through the engine API, with the build steps as progress lines.
import type Docker from 'dockerode';
import { readdir } from 'node:fs/promises';
import { EnvironmentError } from '../../environment.ts';

export interface DockerBuildOptions {
  /** Build context: a folder with the Dockerfile and everything it COPYs. */
  context: string;
  tag: string;
  buildArgs?: Record<string, string>;
  labels?: Record<string, string>;
  noCache?: boolean;
  log: (line: string) => void;
  /** Prefix of progress lines, e.g. the image name. */
  name: string;
  signal?: AbortSignal;
}

interface BuildEvent {
  stream?: string;
  error?: string;
  errorDetail?: { message?: string };
}

export async function dockerBuild(docker: Docker, options: DockerBuildOptions): Promise<void> {
  const src = await readdir(options.context);
  const stream = await docker.buildImage(
    { context: options.context, src },
    {
      t: options.tag,
      buildargs: options.buildArgs ?? {},
      labels: options.labels ?? {},
      nocache: options.noCache ?? false,
      rm: true,
      forcerm: true,
      abortSignal: options.signal,
    },
  );
  const recent: string[] = [];
  let failure: string | undefined;
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (error: Error | null) => (error ? reject(error) : resolve()),
      (event: BuildEvent) => {
        if (event.error) failure = event.errorDetail?.message ?? event.error;
        for (const line of (event.stream ?? '').split('\n')) {
          const text = line.trimEnd();
          if (!text) continue;
          recent.push(text);
          if (recent.length > 8) recent.shift();
          if (/^Step \d+\/\d+ : /.test(text)) options.log(`  ${options.name}: ${text}`);
        }
      },
    );
  }).catch((error: unknown) => {
    options.signal?.throwIfAborted();
    failure ??= error instanceof Error ? error.message : String(error);
  });
  options.signal?.throwIfAborted();
  if (failure !== undefined) {
    throw new EnvironmentError(
      `image ${options.tag} did not build: ${failure.trim()} (last output: ${recent.slice(-4).join(' | ')}); fix ${options.name}'s Dockerfile or its network access and retry`,
    );
  }
}
