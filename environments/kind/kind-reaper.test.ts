// The detached reaper of an interrupted kind start, as a process: it removes the run's node network
// (a real docker network here) and work dir, and kind's delete of a cluster that never came up is fine.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { pollUntil } from '../../lib/poll.ts';
import { kindNetworkName, runPaths } from './kind-commands.ts';
import { spawnKindReaper } from './kind-reaper.ts';

const docker = new Docker();

describe('the kind reaper', () => {
  it('removes the run it is given, detached from its parent', async () => {
    const runId = `hc-20261201-000000-r${Date.now().toString(36).slice(-3)}`;
    const paths = runPaths(runId);
    await mkdir(paths.workDir, { recursive: true });
    await writeFile(paths.values, 'harborAdminPassword: x');
    await docker.createNetwork({ Name: kindNetworkName(runId), Labels: { 'harbor-conformance.run-id': runId } });
    const child = spawnKindReaper(runId);
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
    await pollUntil(
      async () =>
        !existsSync(paths.workDir) &&
        (await docker.listNetworks({ filters: JSON.stringify({ name: [kindNetworkName(runId)] }) })).length === 0,
      {
        timeoutMs: 10_000,
        describe: `run ${runId} to be removed`,
      },
    );
  });
});
