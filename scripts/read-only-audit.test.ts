// The security-defaults suite as a read-only audit of someone else's Harbor (--env external without
// --allow-mutating), pointed at an offline stack started here: the mutating checks are skipped, the
// read-only ones send nothing but GET/HEAD and leave no audit-log entry, and a setting that differs from
// the default policy (Harbor's own default project_creation_restriction=everyone) is reported, not changed.
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOfflineEnvironment, type OfflineEnvironment } from '../environments/offline/offline-environment.ts';
import { HarborApiClient } from '../lib/harbor-api.ts';
import type { EvidenceDocument } from '../suites/evidence.ts';
import { newRunId } from '../reports/run-id.ts';
import type { Summary } from '../reports/summary.ts';

const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
let environment: OfflineEnvironment;

beforeAll(async () => {
  process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
  environment = await startOfflineEnvironment({ runId: newRunId() });
}, 600_000);
afterAll(async () => {
  await environment?.down();
});

function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^(VITEST|CI$|HARBOR_|HC_)/.test(key)) env[key] = value;
  return { ...env, CI: 'true', ...extra };
}

describe('security-defaults against an external Harbor, read-only', () => {
  it('skips the mutating checks, only reads, and reports the setting that differs from the policy', async () => {
    const { target } = environment;
    const admin = new HarborApiClient({ baseUrl: target.url, credentials: target.admin });
    const auditBefore = (await admin.listAuditLogExts({ page_size: 100 })).length;

    const reportDir = await mkdtemp(join(tmpdir(), 'hc-read-only-'));
    const result = await execa(
      process.execPath,
      [cli, 'run', '--url', target.url, '--suites', 'security-defaults', '--report-dir', reportDir],
      {
        env: childEnv({ HARBOR_PASSWORD: target.admin.password }),
        extendEnv: false,
        reject: false,
        timeout: 300_000,
      },
    );
    const summary = JSON.parse(await readFile(join(reportDir, 'summary.json'), 'utf8')) as Summary;
    const byId = Object.fromEntries(summary.checks.map((c) => [c.id, c]));
    for (const id of ['SEC-012', 'SEC-013', 'SEC-014', 'SEC-015']) {
      expect(byId[id]?.status, id).toBe('skipped');
      expect(byId[id]?.reason, id).toContain('read-only');
    }
    // as on a fresh real Harbor v2.15.2 (seen on the real binaries): its public `library` project ships
    // without the baseline metadata (make/migrations/postgresql/0001_initial_schema.up.sql), and with no GC
    // schedule (GET /system/gc/schedule: 200, empty body)
    expect(summary.checks.filter((c) => c.status === 'failed').map((c) => c.id)).toEqual([
      'SEC-005',
      'SEC-008',
      'SEC-010',
    ]);
    expect(byId['SEC-005']?.reason).toContain("expected 'everyone' to be 'adminonly'");
    expect(byId['SEC-008']?.reason).toContain('library: auto_scan is unset');
    expect(result.exitCode).toBe(1);

    const methods = new Set<string>();
    for (const file of await readdir(join(reportDir, 'evidence'))) {
      const evidence = JSON.parse(await readFile(join(reportDir, 'evidence', file), 'utf8')) as EvidenceDocument;
      for (const exchange of evidence.exchanges) methods.add(exchange.method);
    }
    expect([...methods].sort()).toEqual(['GET']);
    expect((await admin.listAuditLogExts({ page_size: 100 })).length, 'audit log entries written by the audit').toBe(
      auditBefore,
    );
    const config = await admin.getConfigurations();
    expect((config['project_creation_restriction'] as { value: string }).value).toBe('everyone');
  }, 600_000);
});
