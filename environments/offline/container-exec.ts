// Runs a command in a run's container through the engine (docker exec) and collects its output: the offline
// gate backs up and restores the double's database with the database container's own pg_dump/pg_restore.
import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export async function execInContainer(
  container: Docker.Container,
  cmd: string[],
  env: string[] = [],
): Promise<ExecResult> {
  const exec = await container.exec({ Cmd: cmd, Env: env, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const stdout = new PassThrough().on('data', (chunk: Buffer) => out.push(chunk));
  const stderr = new PassThrough().on('data', (chunk: Buffer) => err.push(chunk));
  container.modem.demuxStream(stream, stdout, stderr);
  await new Promise<void>((resolve, reject) => {
    stream.on('end', () => resolve());
    stream.on('close', () => resolve());
    stream.on('error', reject);
  });
  const info = await exec.inspect();
  return {
    exitCode: info.ExitCode ?? -1,
    stdout: Buffer.concat(out).toString('utf8'),
    stderr: Buffer.concat(err).toString('utf8'),
  };
}

/** execInContainer that throws with the command's last stderr line when it does not exit 0. */
export async function execOrThrow(
  container: Docker.Container,
  cmd: string[],
  what: string,
  env: string[] = [],
): Promise<string> {
  const result = await execInContainer(container, cmd, env);
  if (result.exitCode !== 0) {
    const last = result.stderr.trim().split('\n').at(-1) ?? '';
    throw new Error(`${what} exited ${result.exitCode}: ${last.slice(0, 300)}`);
  }
  return result.stdout;
}
