// The last lines a run's component container printed, read from the engine: for a container that
// exited before testcontainers attached its log consumer.
import type Docker from 'dockerode';
import { runLabels } from './run-labels.ts';

export async function componentLogLines(
  docker: Docker,
  runId: string,
  component: string,
  count: number,
): Promise<string[]> {
  const label = Object.entries(runLabels(runId, component)).map(([k, v]) => `${k}=${v}`);
  const [found] = await docker.listContainers({ all: true, filters: { label } });
  if (!found) return [];
  const raw = (await docker
    .getContainer(found.Id)
    .logs({ stdout: true, stderr: true, tail: count, follow: false })) as unknown as Buffer;
  return demux(raw)
    .split('\n')
    .map((line) => line.trimEnd())
    .filter(Boolean)
    .slice(-count);
}

/** Docker's multiplexed log format: 8-byte frame headers (stream, 0, 0, 0, size as uint32 BE). */
function demux(raw: Buffer): string {
  let out = '';
  let offset = 0;
  while (offset + 8 <= raw.length && raw[1] === 0 && raw[2] === 0 && raw[3] === 0) {
    const size = raw.readUInt32BE(offset + 4);
    out += raw.subarray(offset + 8, offset + 8 + size).toString('utf8');
    offset += 8 + size;
  }
  return offset === 0 ? raw.toString('utf8') : out;
}
