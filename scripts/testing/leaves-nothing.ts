// Runs a command (npm test's whole chain) and then proves it left nothing in the Docker engine: every
// container, network and volume that exists afterwards and did not exist before is a leftover, and makes
// the run fail. Removal after a test may still be in flight (the run reaper is a detached process), so the
// check polls with a deadline and reports what it last saw.
//   node scripts/testing/leaves-nothing.ts COMMAND [ARGS...]
import { spawn } from 'node:child_process';
import type Docker from 'dockerode';
import { connectDockerEngine } from '../../environments/docker-engine.ts';
import { RUN_ID_LABEL } from '../../environments/offline/run-labels.ts';
import { pollUntil, PollTimeoutError } from '../../lib/poll.ts';

const SETTLE_MS = 90_000;
/** Networks every engine has. */
const ENGINE_NETWORKS = new Set(['bridge', 'host', 'none']);

export interface DockerInventory {
  containers: Map<string, string>;
  networks: Map<string, string>;
  volumes: Map<string, string>;
}

/** Every container, network and volume, keyed by id (volumes: name), each with a readable description. */
export async function dockerInventory(docker: Docker): Promise<DockerInventory> {
  const [containers, networks, volumes] = await Promise.all([
    docker.listContainers({ all: true }),
    docker.listNetworks(),
    docker.listVolumes(),
  ]);
  const runOf = (labels: Record<string, string> | undefined | null) =>
    labels?.[RUN_ID_LABEL] ? ` (run ${labels[RUN_ID_LABEL]})` : '';
  return {
    containers: new Map(
      containers.map((c) => [
        c.Id,
        `${c.Names[0]?.replace(/^\//, '') ?? c.Id.slice(0, 12)} ${c.Image}${runOf(c.Labels)}`,
      ]),
    ),
    networks: new Map(
      networks.filter((n) => !ENGINE_NETWORKS.has(n.Name)).map((n) => [n.Id, `${n.Name}${runOf(n.Labels)}`]),
    ),
    volumes: new Map((volumes.Volumes ?? []).map((v) => [v.Name, `${v.Name.slice(0, 16)}${runOf(v.Labels)}`])),
  };
}

/** What `after` has that `before` had not, one readable line per kind (empty when nothing was left). */
export function leftovers(before: DockerInventory, after: DockerInventory): string[] {
  const lines: string[] = [];
  for (const kind of ['containers', 'networks', 'volumes'] as const) {
    const added = [...after[kind]].filter(([id]) => !before[kind].has(id)).map(([, description]) => description);
    if (added.length > 0) lines.push(`${added.length} ${kind}: ${added.join(', ')}`);
  }
  return lines;
}

function run(command: string, args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit' });
    // Ctrl-C reaches the child through the terminal's process group; a SIGTERM sent to this process alone
    // is passed on, so the child can clean up before the check below runs.
    process.on('SIGTERM', () => child.kill('SIGTERM'));
    process.on('SIGINT', () => {});
    child.on('error', (error) => {
      process.stderr.write(`leaves-nothing: cannot run ${command}: ${error.message}\n`);
      resolve(2);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 130 : 1)));
  });
}

async function main(): Promise<number> {
  const [command, ...args] = process.argv.slice(2);
  if (!command) {
    process.stderr.write('usage: node scripts/testing/leaves-nothing.ts COMMAND [ARGS...]\n');
    return 2;
  }
  const docker = await connectDockerEngine();
  const before = await dockerInventory(docker);
  const code = await run(command, args);
  let last: string[] = [];
  try {
    await pollUntil(async () => (last = leftovers(before, await dockerInventory(docker))), {
      timeoutMs: SETTLE_MS,
      intervalMs: 1000,
      describe: 'the Docker engine to hold nothing the tests created',
      accept: (found) => found.length === 0,
    });
  } catch (error) {
    if (!(error instanceof PollTimeoutError)) throw error;
    process.stderr.write(
      `leaves-nothing: the tests left behind, ${SETTLE_MS / 1000} s after they ended: ${last.join('; ')}\n`,
    );
    return code === 0 ? 1 : code;
  }
  process.stdout.write('leaves-nothing: no container, network or volume left behind\n');
  return code;
}

if (import.meta.main) process.exitCode = await main();
