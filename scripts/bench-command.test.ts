// `harbor-conformance bench` as a user runs it: bad input is one line per problem and exit 2, before
// anything starts (the end-to-end runs against the offline stack are in load/README.md).
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
const env: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !/^(VITEST|CI$|HARBOR_|HC_)/.test(k)),
);
const bench = async (args: string[]) => {
  const r = await execa(process.execPath, [cli, 'bench', ...args], {
    env,
    extendEnv: false,
    reject: false,
    timeout: 150_000, // a loaded CI machine can take long to load the CLI's modules
  });
  return { code: r.exitCode, stderr: String(r.stderr) };
};

describe('bench command input', () => {
  it('an unknown scenario: one line naming the shipped ones, exit 2', async () => {
    const r = await bench(['--scenario', 'no-such']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/no-such: no such scenario file; shipped scenarios: .*smoke-pull/),
    ]);
  });

  it('a bad scenario file: one line per problem, exit 2', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hc-bench-'));
    const file = join(dir, 'team.json');
    await writeFile(
      file,
      JSON.stringify({ name: 'team', artifacts: { count: 0, layers: ['2GiB'] }, concurrency: 1, duration: '45m' }),
    );
    const r = await bench(['--scenario', file]);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines.join('\n')).toMatch(/artifacts\.count/);
    expect(lines.join('\n')).toMatch(/layer sizes go from 1KiB to 1GiB/);
    expect(lines.join('\n')).toMatch(/durations are bounded to 30m/);
  });

  it('a baseline that is not a result: one line, exit 2', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hc-bench-'));
    const file = join(dir, 'baseline.json');
    await writeFile(file, '{"levels": []}');
    const r = await bench(['--scenario', 'smoke-pull', '--baseline', file]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--baseline .*is not a load result/);
  });
});
