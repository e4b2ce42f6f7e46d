// Pull through the stack with the clients people use, skopeo and the docker CLI, and capture what they
// print. Credentials go into a private auth file (0600, removed afterwards), never into argv or evidence.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import type { Credentials } from '../../lib/target.ts';

export interface ClientPull {
  tool: 'skopeo' | 'docker';
  reference: string;
  exitCode: number;
  /** stderr (and stdout), trimmed. */
  output: string;
}

export async function toolAvailable(tool: 'skopeo' | 'docker'): Promise<boolean> {
  const result = await execa(tool, ['--version'], { reject: false, timeout: 15_000 });
  return result.exitCode === 0;
}

/** A temporary directory holding `config.json` (docker) / an auth file (skopeo) for one registry. */
export async function privateAuthDir(registryHost: string, credentials: Credentials): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'hc-scan-auth-'));
  const auth = Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64');
  await writeFile(join(dir, 'config.json'), JSON.stringify({ auths: { [registryHost]: { auth } } }), { mode: 0o600 });
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** `skopeo inspect --raw docker://<ref>`: reads the manifest as a pull does. */
export async function skopeoInspect(authDir: string, reference: string): Promise<ClientPull> {
  const result = await execa('skopeo', ['inspect', '--raw', '--tls-verify=false', '--authfile', join(authDir, 'config.json'), `docker://${reference}`], {
    reject: false,
    timeout: 60_000,
  });
  return { tool: 'skopeo', reference, exitCode: result.exitCode ?? -1, output: `${result.stderr}\n${result.stdout}`.trim().slice(0, 2000) };
}

/** `docker pull <ref>` with DOCKER_CONFIG pointing at the private auth directory. */
export async function dockerPull(authDir: string, reference: string): Promise<ClientPull> {
  const result = await execa('docker', ['pull', '--quiet', reference], { reject: false, timeout: 120_000, env: { DOCKER_CONFIG: authDir } });
  return { tool: 'docker', reference, exitCode: result.exitCode ?? -1, output: `${result.stderr}\n${result.stdout}`.trim().slice(0, 2000) };
}
