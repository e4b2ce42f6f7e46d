// README's main command against the offline stack, as a user runs it: a correct stack gives 0 and a
// complete run directory with no secret in it; a fault profile the security-defaults suite catches gives 1;
// Ctrl-C during the checks gives 2 and leaves nothing of the run in Docker.
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Docker from 'dockerode';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { pollUntil } from '../lib/poll.ts';
import type { Summary } from '../reports/summary.ts';
import { runLabel } from './environments.ts';

const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
const docker = new Docker();

function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^(VITEST|CI$|HARBOR_|HC_)/.test(key)) env[key] = value;
  return { ...env, TESTCONTAINERS_RYUK_DISABLED: 'true', ...extra };
}

async function leftovers(runId: string): Promise<number> {
  const filters = JSON.stringify({ label: [`${runLabel}=${runId}`] });
  const [containers, networks, volumes] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
    docker.listVolumes({ filters }),
  ]);
  return containers.length + networks.length + (volumes.Volumes?.length ?? 0);
}

async function run(args: string[]) {
  const reportDir = await mkdtemp(join(tmpdir(), 'hc-cli-offline-'));
  const result = await execa(process.execPath, [cli, 'run', '--env', 'offline', '--report-dir', reportDir, ...args], {
    env: childEnv({ CI: 'true' }),
    extendEnv: false,
    reject: false,
    timeout: 600_000,
  });
  const summary = JSON.parse(await readFile(join(reportDir, 'summary.json'), 'utf8')) as Summary;
  return { code: result.exitCode, stdout: String(result.stdout), stderr: String(result.stderr), reportDir, summary };
}

describe('harbor-conformance run --env offline', () => {
  it('passes every smoke check on the correct stack, writes all reports, leaks no secret, leaves nothing', async () => {
    // one quick suite: the run, its reports and its teardown are what is tested, not the suites
    const { code, stderr, reportDir, summary } = await run(['--suites', 'smoke']);
    expect(code, stderr).toBe(0);
    expect(summary.target.kind).toBe('offline');
    expect(summary.target.harbor_version).toMatch(/double/);
    expect(summary.checks.filter((c) => c.suite === 'smoke').map((c) => [c.id, c.status])).toEqual(
      ['SMOKE-001', 'SMOKE-002', 'SMOKE-003', 'SMOKE-004', 'SMOKE-005', 'SMOKE-006', 'SMOKE-007', 'SMOKE-008'].map(
        (id) => [id, 'passed'],
      ),
    );
    expect(await readdir(reportDir)).toEqual(
      expect.arrayContaining([
        'summary.json',
        'summary.md',
        'summary.html',
        'junit.xml',
        'allure-results',
        'allure-report',
        'evidence',
      ]),
    );
    // The secret-grep over a full run: the admin password is only known to the stack; the evidence of the
    // authenticated checks proves the run used it. Its redacted form must be all that is left.
    const evidence = await readFile(join(reportDir, 'evidence', 'SMOKE-008.json'), 'utf8');
    expect(evidence).toContain('Bearer [REDACTED]');
    expect(evidence).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./);
    const password = /"password":\s*"([^"]+)"/.exec(evidence)?.[1];
    expect(password === undefined || password === '[REDACTED]').toBe(true);
    expect(await leftovers(summary.run.id)).toBe(0);
  }, 600_000);

  it('fails (exit 1) with the check that catches the fault profile, and names the profile', async () => {
    const { code, stdout, summary } = await run([
      '--fault-profile',
      'anonymous-catalog-leak',
      '--suites',
      'security-defaults',
    ]);
    expect(code).toBe(1);
    expect(summary.run.fault_profile).toBe('anonymous-catalog-leak');
    expect(summary.checks.filter((c) => c.status === 'failed').map((c) => c.id)).toEqual(['SEC-004']);
    expect(stdout).toContain('fault profile "anonymous-catalog-leak" switched on');
    expect(await leftovers(summary.run.id)).toBe(0);
  }, 600_000);

  it('stops on SIGINT during the checks with exit 2 and removes the environment', async () => {
    const reportDir = await mkdtemp(join(tmpdir(), 'hc-cli-offline-'));
    const child = execa(
      process.execPath,
      [cli, 'run', '--env', 'offline', '--report-dir', reportDir, '--suites', 'smoke,security-defaults'],
      {
        env: childEnv(),
        extendEnv: false,
        reject: false,
        timeout: 600_000,
      },
    );
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const runId = await pollUntil(() => /suite suites\/smoke/.test(stderr) && /run (hc-\S+):/.exec(stderr)?.[1], {
      timeoutMs: 300_000,
      intervalMs: 100,
      describe: 'the run to reach the smoke suite',
      show: () => stderr.slice(-500),
    });
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode, stderr).toBe(2);
    expect(String(result.stderr).trim().split('\n').at(-1)).toBe('harbor-conformance: run interrupted by SIGINT');
    expect(await leftovers(runId as string)).toBe(0);
  }, 600_000);
});
