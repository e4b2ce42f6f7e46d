// The CLI as a user runs it (a child process), against a small fake Harbor: exit codes, one-line errors,
// the reports of a run, and that no secret of the run is left anywhere in its run directory.
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Summary } from '../reports/summary.ts';
import { scanForSecrets } from '../reports/secret-scan.ts';
import { startFakeHarbor, type FakeHarbor } from './testing/fake-harbor.ts';

const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
const password = 'Cli-Test-Admin-Pw-7731';
// Each test starts the CLI as a child process (a second Node that loads the whole harness). On a loaded
// 2-core CI machine one start has taken tens of seconds, so a test may take several child timeouts.
const CHILD_TIMEOUT_MS = 120_000;
const TEST_TIMEOUT_MS = 4 * CHILD_TIMEOUT_MS;

/** The child must not believe it runs inside this vitest (VITEST_* variables) or in CI unless told. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^(VITEST|CI$|HARBOR_|HC_)/.test(key)) env[key] = value;
  return { ...env, ...extra };
}

async function harborConformance(args: string[], env: Record<string, string> = {}) {
  const result = await execa(process.execPath, [cli, ...args], {
    env: childEnv(env),
    extendEnv: false,
    reject: false,
    timeout: CHILD_TIMEOUT_MS,
  });
  return { code: result.exitCode, stdout: String(result.stdout), stderr: String(result.stderr) };
}

let healthy: FakeHarbor;
let leaky: FakeHarbor;
let refusing: FakeHarbor;

beforeAll(async () => {
  healthy = await startFakeHarbor({ password, portalUnhealthy: true });
  leaky = await startFakeHarbor({ password, anonymousConfigurations: true });
  refusing = await startFakeHarbor({ password, rejectAllCredentials: true });
});
afterAll(async () => {
  await Promise.all([healthy.close(), leaky.close(), refusing.close()]);
});

describe('harbor-conformance exit codes', { timeout: TEST_TIMEOUT_MS }, () => {
  it('gives 2 and one line when the external Harbor cannot be reached', async () => {
    const { code, stdout, stderr } = await harborConformance(
      ['run', '--env', 'external', '--url', 'http://127.0.0.1:1'],
      { HARBOR_PASSWORD: password, CI: 'true' },
    );
    expect(code).toBe(2);
    expect(stderr.trim()).toBe(
      'harbor-conformance: cannot reach Harbor at http://127.0.0.1:1: connect ECONNREFUSED 127.0.0.1:1; check --url / HARBOR_URL',
    );
    expect(stdout).toBe('');
  });

  it('gives 2 and one line when Harbor refuses the credentials', async () => {
    const { code, stderr } = await harborConformance(['run', '--url', refusing.url], {
      HARBOR_PASSWORD: password,
      CI: 'true',
    });
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toEqual([
      `harbor-conformance: Harbor at ${refusing.url} refused the credentials of user admin (HTTP 401); check HARBOR_USERNAME / HARBOR_PASSWORD`,
    ]);
  });

  it('gives 2 with one line per configuration problem, and never takes a password from argv', async () => {
    const bad = await harborConformance(['run', '--env', 'external'], { HC_ALLOW_MUTATING: 'perhaps' });
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toEqual([
      'harbor-conformance: HC_ALLOW_MUTATING: must be true or false (got "perhaps")',
      'harbor-conformance: --env external needs the Harbor URL: pass --url or set HARBOR_URL',
      'harbor-conformance: --env external needs the admin password: set HARBOR_PASSWORD or put "password" in the config file',
    ]);
    const argvSecret = await harborConformance(['run', '--url', healthy.url, '--password', password]);
    expect(argvSecret.code).toBe(2);
    expect(argvSecret.stderr).toContain('--password is not accepted');
    const unknownCheck = await harborConformance(['run', '--url', healthy.url, '--checks', 'NOPE-001'], {
      HARBOR_PASSWORD: password,
    });
    expect(unknownCheck.code).toBe(2);
    expect(unknownCheck.stderr.trim()).toBe(
      'harbor-conformance: --checks: unknown check id NOPE-001 (harbor-conformance list shows the catalog)',
    );
  });

  it('gives 0 when every check passed or warned, and writes every report without the password', async () => {
    const reportDir = await mkdtemp(join(tmpdir(), 'hc-cli-run-'));
    const { code, stdout, stderr } = await harborConformance(
      ['run', '--url', healthy.url, '--report-dir', reportDir, '--suites', 'smoke'],
      { HARBOR_PASSWORD: password },
    );
    expect(code, stderr).toBe(0);
    expect(stderr).toContain('✓ SMOKE-001');
    expect(stdout).toMatch(/SMOKE-003\s+warn/);
    expect(stdout).toMatch(/SMOKE-008\s+skipped/);
    expect(stdout).toContain(`Target: external Harbor v2.15.2-fake0000 at ${healthy.url}.`);

    const files = await readdir(reportDir);
    expect(files).toEqual(
      expect.arrayContaining([
        'summary.json',
        'summary.md',
        'summary.html',
        'summary.png',
        'junit.xml',
        'allure-results',
        'allure-report',
        'evidence',
      ]),
    );
    const summary = JSON.parse(await readFile(join(reportDir, 'summary.json'), 'utf8')) as Summary;
    expect(summary.target).toEqual({ kind: 'external', url: healthy.url, harbor_version: 'v2.15.2-fake0000' });
    expect(summary.run.id).toMatch(/^hc-\d{8}-\d{6}-[a-z0-9]{4}$/);
    expect(summary.totals).toEqual({ passed: 6, warn: 1, failed: 0, skipped: 1, total: 8 });
    expect(summary.checks.find((c) => c.id === 'SMOKE-008')?.reason).toBe(
      'mutating check skipped: the external target is read-only (allow changes with --allow-mutating)',
    );
    const junit = await readFile(join(reportDir, 'junit.xml'), 'utf8');
    expect(junit).toContain('WARN: health reports portal unhealthy');

    // The secret-grep: the admin password, raw or encoded, appears in no file of the run directory.
    expect(await scanForSecrets(reportDir, [password])).toEqual([]);
    // ...and the scan does see it when it is there (the run used it: the evidence shows redacted Basic auth).
    const evidence = await readFile(join(reportDir, 'evidence', 'SMOKE-004.json'), 'utf8');
    expect(evidence).toContain('Basic [REDACTED]');
  });

  it('gives 1 when a check fails, and the summary says which and why', async () => {
    const reportDir = await mkdtemp(join(tmpdir(), 'hc-cli-run-'));
    const { code, stdout } = await harborConformance(
      ['run', '--url', leaky.url, '--report-dir', reportDir, '--suites', 'smoke'],
      { HARBOR_PASSWORD: password, CI: 'true' },
    );
    expect(code).toBe(1);
    expect(stdout).toMatch(/SMOKE-006\s+failed/);
    const summary = JSON.parse(await readFile(join(reportDir, 'summary.json'), 'utf8')) as Summary;
    const failed = summary.checks.filter((c) => c.status === 'failed');
    // Harbor treats a wrong password as anonymous, so the same defect fails both checks.
    expect(failed.map((c) => c.id)).toEqual(['SMOKE-005', 'SMOKE-006']);
    expect(failed[1]?.reason).toContain('anonymous GET /configurations: expected 200 to be 401');
  });

  it('runs only the checks asked for', async () => {
    const reportDir = await mkdtemp(join(tmpdir(), 'hc-cli-run-'));
    const { code } = await harborConformance(
      ['run', '--url', healthy.url, '--report-dir', reportDir, '--checks', 'SMOKE-001,SMOKE-004'],
      { HARBOR_PASSWORD: password, CI: 'true' },
    );
    expect(code).toBe(0);
    const summary = JSON.parse(await readFile(join(reportDir, 'summary.json'), 'utf8')) as Summary;
    expect(summary.checks.map((c) => c.id)).toEqual(['SMOKE-001', 'SMOKE-004']);
  });
});

describe('harbor-conformance list and help', { timeout: TEST_TIMEOUT_MS }, () => {
  it('prints the catalog without a Harbor', async () => {
    const { code, stdout } = await harborConformance(['list']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^SMOKE-008\s+smoke\s+yes\s+an image pushed/m);
    const json = await harborConformance(['list', '--json']);
    expect(JSON.parse(json.stdout)).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: 'SMOKE-001', suite: 'smoke', mutating: false })]),
    );
  });

  it('documents the exit codes in --help of every command', async () => {
    for (const args of [['--help'], ['run', '--help'], ['env', '--help']]) {
      const { code, stdout } = await harborConformance(args);
      expect(code).toBe(0);
      expect(stdout).toContain('2  the run could not be made');
    }
    for (const args of [
      ['list', '--help'],
      ['selftest', '--help'],
      ['env', 'up', '--help'],
      ['env', 'down', '--help'],
      ['env', 'status', '--help'],
    ]) {
      expect((await harborConformance(args)).code).toBe(0);
    }
  });
});
