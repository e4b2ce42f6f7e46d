// The mutation self-test as a user runs it (`harbor-conformance selftest`), kept to the suites that catch the
// security-defaults fault profiles: the correct stack raises no false alarm, and every profile is caught by
// the check written for it. One offline stack per profile (~17 s each).
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import type { SelftestReport } from './selftest.ts';

const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));

/** Fault profile → the check written to catch it. */
const expectedCatches: Record<string, string> = {
  'anonymous-catalog-leak': 'SEC-004',
  'expired-robot-accepted': 'SEC-014',
  'default-admin-password': 'SEC-001',
  'self-registration-open': 'SEC-002',
  'disabled-robot-accepted': 'SEC-013',
  'robot-permission-unvalidated': 'SEC-016',
  'private-project-listed-to-anonymous': 'SEC-012',
};

function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^(VITEST|CI$|HARBOR_|HC_)/.test(key)) env[key] = value;
  return { ...env, CI: 'true', TESTCONTAINERS_RYUK_DISABLED: 'true' };
}

describe('harbor-conformance selftest', () => {
  it('passes on the correct stack and catches every security-defaults fault profile with its check', async () => {
    const reportDir = await mkdtemp(join(tmpdir(), 'hc-selftest-'));
    const args = ['selftest', '--suites', 'smoke,security-defaults', '--profiles', Object.keys(expectedCatches).join(','), '--report-dir', reportDir];
    const result = await execa(process.execPath, [cli, ...args], { env: childEnv(), extendEnv: false, reject: false, timeout: 900_000 });
    const report = JSON.parse(await readFile(join(reportDir, 'selftest.json'), 'utf8')) as SelftestReport;
    expect(report.false_alarms, String(result.stdout)).toEqual([]);
    expect(report.errors, String(result.stdout)).toEqual([]);
    expect(Object.fromEntries(report.profiles.map((p) => [p.name, p.caught_by]))).toEqual(
      Object.fromEntries(Object.entries(expectedCatches).map(([profile, check]) => [profile, [check]])),
    );
    expect(report.profiles.every((p) => p.models.length > 20)).toBe(true);
    expect(report.score).toBe(100);
    expect(result.exitCode).toBe(0);
    expect(String(result.stdout)).toMatch(/^private-project-listed-to-anonymous\s+SEC-012$/m);
    expect(String(result.stdout)).toContain('score: 100 %');
  }, 900_000);
});
