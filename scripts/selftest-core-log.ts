// When the selftest's Harbor double stops answering, what its container said last and how it ended (exit
// code, OOM kill) is the first thing to look at: saved as core.log in the run directory before the stack goes.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Docker from 'dockerode';
import type { Target } from '../lib/target.ts';

export async function saveCoreLog(target: Target, runDir: string, file = 'core.log'): Promise<void> {
  const id = target.faults?.containers.core;
  if (!id) return;
  const container = new Docker().getContainer(id);
  const state = await container.inspect().then(
    (info) =>
      JSON.stringify({
        status: info.State.Status,
        exitCode: info.State.ExitCode,
        oomKilled: info.State.OOMKilled,
        error: info.State.Error,
        restarts: info.RestartCount,
      }),
    (error: Error) => `inspect failed: ${error.message}`,
  );
  const logs = await container.logs({ stdout: true, stderr: true, tail: 200 }).then(
    (buffer) => stripFrames(buffer as unknown as Buffer),
    (error: Error) => `logs failed: ${error.message}`,
  );
  await writeFile(join(runDir, file), `${state}\n${logs}`);
}

/** Docker multiplexes stdout/stderr in 8-byte-headed frames when there is no TTY. */
function stripFrames(buffer: Buffer): string {
  const out: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const size = buffer.readUInt32BE(offset + 4);
    out.push(buffer.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size;
  }
  return Buffer.concat(out).toString('utf8');
}
