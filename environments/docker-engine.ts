// The Docker engine every container environment needs: connect once, and when none answers say so
// in one line that tells the user what to do.
import Docker from 'dockerode';
import { EnvironmentError } from './environment.ts';

const PING_TIMEOUT_MS = 10_000;

/** Where the engine is expected, as the user would configure it. */
export function dockerEndpoint(): string {
  return process.env.DOCKER_HOST || 'unix:///var/run/docker.sock';
}

/** A client for the engine at DOCKER_HOST (or the default socket), after checking that it answers. */
export async function connectDockerEngine(): Promise<Docker> {
  const docker = new Docker();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      docker.ping(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${PING_TIMEOUT_MS / 1000} s`)), PING_TIMEOUT_MS);
      }),
    ]);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new EnvironmentError(
      `no Docker engine answers at ${dockerEndpoint()} (${reason}): start Docker (or set DOCKER_HOST to a running engine) and retry`,
    );
  } finally {
    clearTimeout(timer);
  }
  return docker;
}
