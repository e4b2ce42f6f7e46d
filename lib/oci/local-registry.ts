// Starts the host's Debian `docker-registry` (distribution 2.8) on a free loopback port with a
// throw-away filesystem store: a real OCI registry for the harness's own tests. Optional auth:
// htpasswd (Basic) or token (Bearer, with the issuer from token-server.ts).
import { type ChildProcess, spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { request } from 'undici';
import { pollUntil } from '../poll.ts';

export const DOCKER_REGISTRY_BINARY = '/usr/bin/docker-registry';

export type LocalRegistryAuth =
  | { kind: 'none' }
  | { kind: 'htpasswd'; users: Record<string, string> }
  | {
      kind: 'token';
      realm: string;
      service: string;
      issuer: string /** PEM certificate(s) of the token signing key. */;
      rootCertBundle: string;
    };

export interface LocalRegistryOptions {
  auth?: LocalRegistryAuth;
  binary?: string;
  startupTimeoutMs?: number;
}

export interface StartedLocalRegistry {
  /** e.g. http://127.0.0.1:40123 */
  url: string;
  /** e.g. 127.0.0.1:40123 (for skopeo/docker references) */
  host: string;
  /** Storage root (for checks that look at what was stored). */
  storageDir: string;
  /** Registry log so far. */
  log(): string;
  stop(): Promise<void>;
}

export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Whether the host has distribution's binary (tests skip with this reason otherwise). */
export function hasDockerRegistryBinary(binary = DOCKER_REGISTRY_BINARY): boolean {
  return existsSync(binary);
}

export async function startLocalRegistry(options: LocalRegistryOptions = {}): Promise<StartedLocalRegistry> {
  const binary = options.binary ?? DOCKER_REGISTRY_BINARY;
  if (!existsSync(binary)) {
    // A plain Error: lib/ does not depend on environments/ (the caller may wrap it in an EnvironmentError).
    throw new Error(`${binary} not found: install Debian's docker-registry package (apt-get install docker-registry)`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'hc-registry-'));
  const storageDir = join(dir, 'storage');
  const port = await freeLoopbackPort();
  const auth = options.auth ?? { kind: 'none' };
  const lines = [
    'version: 0.1',
    'log:',
    '  level: info',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${storageDir}`,
    '  delete:',
    '    enabled: true',
    '  maintenance:',
    '    uploadpurging:',
    '      enabled: false',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    '  secret: harbor-conformance-local',
    '  debug:',
    '    addr: ""',
  ];
  if (auth.kind === 'htpasswd') {
    const htpasswd = join(dir, 'htpasswd');
    writeFileSync(
      htpasswd,
      Object.entries(auth.users)
        .map(([user, password]) => `${user}:${bcrypt.hashSync(password, 4)}`)
        .join('\n') + '\n',
    );
    lines.push('auth:', '  htpasswd:', '    realm: basic-realm', `    path: ${htpasswd}`);
  } else if (auth.kind === 'token') {
    const bundle = join(dir, 'token-ca.pem');
    writeFileSync(bundle, auth.rootCertBundle);
    lines.push(
      'auth:',
      '  token:',
      `    realm: ${auth.realm}`,
      `    service: ${auth.service}`,
      `    issuer: ${auth.issuer}`,
      `    rootcertbundle: ${bundle}`,
    );
  }
  const configPath = join(dir, 'config.yml');
  writeFileSync(configPath, `${lines.join('\n')}\n`);
  const logPath = join(dir, 'registry.log');
  const logFd = openSync(logPath, 'a');
  const child: ChildProcess = spawn(binary, ['serve', configPath], { stdio: ['ignore', logFd, logFd] });
  let exited: string | undefined;
  // If this process ends without stop() (a crashed test run), do not leave the registry behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', (code, signal) => {
    exited = `exited with ${code ?? signal}`;
    process.off('exit', killOnExit);
  });
  const log = () => (existsSync(logPath) ? readFileSync(logPath, 'utf8') : '');
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (exited === undefined && child.pid !== undefined) {
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
      if (exited === undefined) child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await pollUntil(
      async () => {
        if (exited) throw new Error(`docker-registry ${exited}: ${log().slice(-500)}`);
        const response = await request(`${url}/v2/`);
        await response.body.dump();
        return response.statusCode;
      },
      {
        timeoutMs: options.startupTimeoutMs ?? 15_000,
        intervalMs: 100,
        describe: `docker-registry on ${url} to answer /v2/`,
        accept: (s) => s === 200 || s === 401,
        retryOnError: true,
      },
    );
  } catch (error) {
    const tail = log().slice(-800);
    await stop();
    throw new Error(`${(error as Error).message}\nregistry log:\n${tail}`);
  }
  return { url, host: `127.0.0.1:${port}`, storageDir, log, stop };
}

/** A self-signed certificate for a token signing key, via the openssl CLI (for `rootcertbundle`). */
export function selfSignedCertificate(privateKeyPem: string, commonName = 'harbor-conformance token issuer'): string {
  const dir = mkdtempSync(join(tmpdir(), 'hc-cert-'));
  try {
    const keyPath = join(dir, 'key.pem');
    writeFileSync(keyPath, privateKeyPem, { mode: 0o600 });
    return execFileSync(
      'openssl',
      ['req', '-x509', '-new', '-key', keyPath, '-days', '2', '-subj', `/CN=${commonName}`],
      { encoding: 'utf8' },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
