// The real containerd clients the check pulls with: Debian's `ctr` (containerd 1.6, package `containerd`) and
// containerd 2.x's `ctr` built from its Go module (scripts/tools/go-tools.tsv: ctr-v2). Both resolve in the
// client (2.x with --local, else its transfer service would resolve inside the daemon), with
// remotes/docker — the resolver the CRI plugin uses — against the containerd that dockerd runs, in a
// namespace of the run's own that is removed afterwards (images, content, snapshots, leases).
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { execa } from 'execa';
import { missingToolReason, resolveGoTool } from '../../lib/tools/go-tools.ts';

export interface ContainerdClient {
  /** e.g. `containerd 1.6.20~ds1 (Debian)` */
  label: string;
  binary: string;
  /** Flags `image pull` needs so the client's own resolver runs. */
  pullFlags: string[];
}

/** The Debian package that ships /usr/bin/ctr (and containerd). */
export const CTR_DEBIAN_PACKAGE = 'containerd';

export const missingCtrReason = (): string =>
  `ctr is not installed: install the Debian package ${CTR_DEBIAN_PACKAGE} (apt-get install ${CTR_DEBIAN_PACKAGE}; scripts/bootstrap.sh installs it)`;

/** containerd sockets in the order they are tried: HC_CONTAINERD_ADDRESS, dockerd's own, the system one. */
export function containerdAddress(env: NodeJS.ProcessEnv = process.env): string | null {
  const candidates = [
    env['HC_CONTAINERD_ADDRESS'],
    '/var/run/docker/containerd/containerd.sock',
    '/run/containerd/containerd.sock',
  ].filter((c): c is string => Boolean(c));
  return candidates.find((c) => existsSync(c)) ?? null;
}

function onPath(command: string, env: NodeJS.ProcessEnv = process.env): string | null {
  for (const dir of (env['PATH'] ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, command);
    if (existsSync(candidate)) return candidate;
  }
  return existsSync(`/usr/bin/${command}`) ? `/usr/bin/${command}` : null;
}

async function versionOf(binary: string): Promise<string> {
  const { stdout } = await execa(binary, ['--version'], { timeout: 10_000 });
  // "ctr github.com/containerd/containerd 1.6.20~ds1" / "ctr github.com/containerd/containerd/v2 2.4.2+unknown"
  return stdout.trim().split(/\s+/).pop() ?? stdout.trim();
}

export interface FoundClients {
  clients: ContainerdClient[];
  /** Debian's ctr was found (it is clients[0] then). */
  debian: boolean;
  /** Why a client is absent (one line each), for the report. */
  missing: string[];
}

export async function findContainerdClients(): Promise<FoundClients> {
  const clients: ContainerdClient[] = [];
  const missing: string[] = [];
  const debian = onPath('ctr');
  if (debian) clients.push({ label: `containerd ${await versionOf(debian)}`, binary: debian, pullFlags: [] });
  else missing.push(missingCtrReason());
  const v2 = resolveGoTool('ctr-v2');
  if (v2) clients.push({ label: `containerd ${await versionOf(v2.path)}`, binary: v2.path, pullFlags: ['--local'] });
  else missing.push(missingToolReason('ctr-v2'));
  return { clients, debian: debian !== null, missing };
}

export interface CtrPull {
  address: string;
  namespace: string;
  ref: string;
  hostsDir: string;
  credentials?: { username: string; password: string };
  boundMs: number;
}

export interface CtrPullOutcome {
  exitCode: number | null;
  timedOut: boolean;
  ms: number;
  /** ctr's last error line (credentials never appear: ctr does not print them). */
  error?: string;
}

export async function ctrPull(client: ContainerdClient, pull: CtrPull): Promise<CtrPullOutcome> {
  const args = [
    '--address',
    pull.address,
    '--namespace',
    pull.namespace,
    'image',
    'pull',
    ...client.pullFlags,
    '--plain-http',
    '--hosts-dir',
    pull.hostsDir,
    ...(pull.credentials ? ['--user', `${pull.credentials.username}:${pull.credentials.password}`] : []),
    pull.ref,
  ];
  const started = performance.now();
  const result = await execa(client.binary, args, {
    reject: false,
    timeout: pull.boundMs,
    forceKillAfterDelay: 1_000,
    stdin: 'ignore',
  });
  const ms = Math.round(performance.now() - started);
  const lastLine = `${result.stderr}`
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .pop();
  return {
    exitCode: result.exitCode ?? null,
    timedOut: result.timedOut,
    ms,
    ...(result.exitCode !== 0 && lastLine ? { error: lastLine.slice(0, 400) } : {}),
  };
}

/** Removes everything the run's namespace holds, then the namespace itself. */
export async function removeNamespace(binary: string, address: string, namespace: string): Promise<void> {
  const ctr = (...args: string[]) =>
    execa(binary, ['--address', address, '--namespace', namespace, ...args], { timeout: 30_000, reject: false });
  const list = async (...args: string[]) =>
    `${(await ctr(...args)).stdout}`
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
  const images = await list('images', 'ls', '-q');
  if (images.length > 0) await ctr('images', 'rm', ...images);
  // Snapshots form parent chains: remove what can be removed until nothing is left (or nothing moves).
  for (let pass = 0; pass < 10; pass += 1) {
    const snapshots = (await list('snapshots', 'ls')).slice(1).map((l) => l.split(/\s+/)[0]!);
    if (snapshots.length === 0) break;
    for (const key of snapshots) await ctr('snapshots', 'rm', key);
  }
  const leases = await list('leases', 'ls', '-q');
  if (leases.length > 0) await ctr('leases', 'rm', ...leases);
  const content = await list('content', 'ls', '-q');
  if (content.length > 0) await ctr('content', 'rm', ...content);
  const removed = await execa(binary, ['--address', address, 'namespaces', 'rm', namespace], {
    timeout: 30_000,
    reject: false,
  });
  if (removed.exitCode !== 0 && !/not found/i.test(`${removed.stderr}`))
    throw new Error(`containerd namespace ${namespace} not removed: ${`${removed.stderr}`.trim()}`);
}
