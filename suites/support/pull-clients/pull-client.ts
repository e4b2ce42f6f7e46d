// What a pull client is to the checks: a real tool people pull with (docker, skopeo, and the ones other
// suites add), run against the target with credentials from a private auth directory, its output captured.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Credentials } from '../../../lib/target.ts';

export interface ClientPull {
  client: string;
  reference: string;
  exitCode: number;
  /** stderr, then stdout, trimmed (2000 characters at most). */
  output: string;
}

/**
 * A directory holding a docker-style `config.json` (mode 0600) with the credentials for one registry.
 * docker (DOCKER_CONFIG), skopeo (--authfile), crane (DOCKER_CONFIG) and regctl (docker config import) all
 * read it; credentials never go into argv, environment dumps or evidence.
 */
export interface PrivateAuth {
  dir: string;
  /** `<dir>/config.json` */
  configFile: string;
}

export interface PullClient {
  /** As evidence and failure messages name it, e.g. `docker`. */
  name: string;
  /** Whether the client can run here (installed, or built into .tools/go/bin). */
  available(): Promise<boolean>;
  /** Pulls `reference` (`host/repo:tag` or `host/repo@digest`), or reads its manifest exactly as a pull does. */
  pull(auth: PrivateAuth, reference: string): Promise<ClientPull>;
}

export async function privateAuthDir(
  registryHost: string,
  credentials: Credentials,
): Promise<PrivateAuth & { remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'hc-pull-auth-'));
  const configFile = join(dir, 'config.json');
  const auth = Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64');
  await writeFile(configFile, JSON.stringify({ auths: { [registryHost]: { auth } } }), { mode: 0o600 });
  return { dir, configFile, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** The captured output of a finished tool run, as ClientPull. */
export function clientPullOf(
  client: string,
  reference: string,
  result: { exitCode?: number | undefined; stdout: unknown; stderr: unknown },
): ClientPull {
  return {
    client,
    reference,
    exitCode: result.exitCode ?? -1,
    output: `${String(result.stderr)}\n${String(result.stdout)}`.trim().slice(0, 2000),
  };
}
