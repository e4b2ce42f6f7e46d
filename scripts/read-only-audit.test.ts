// The security-defaults suite as a read-only audit of someone else's Harbor (--env external without
// --allow-mutating), pointed at an offline stack started here: the mutating checks are skipped, the
// read-only ones send nothing but GET/HEAD and leave no audit-log entry, and a setting that differs from
// the default policy (Harbor's own default project_creation_restriction=everyone) is reported, not changed.
// Then access-matrix and pull-policy the same way, through a recording proxy: every request the run sends is
// seen (the matrix's raw probes are no evidence exchanges), only GET/HEAD may be among them, the audit log gets
// no entry but pulls (Harbor audits pull_artifact by default), and a denied write would have shown in it.
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOfflineEnvironment, type OfflineEnvironment } from '../environments/offline/offline-environment.ts';
import { HarborApiClient } from '../lib/harbor-api.ts';
import { pollUntil } from '../lib/poll.ts';
import type { AuditLogExt } from '../lib/harbor-api-types.ts';
import { RegistryClient } from '../lib/oci/registry-client.ts';
import { buildImage } from '../fixtures/images/image-builder.ts';
import { pushImage } from '../fixtures/images/push-image.ts';
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
    // schedule (GET /system/gc/schedule: 200, empty body) and no retention policy (no retention_id)
    expect(summary.checks.filter((c) => c.status === 'failed').map((c) => c.id)).toEqual([
      'SEC-005',
      'SEC-008',
      'SEC-010',
      'SEC-011',
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

  it('access-matrix and pull-policy ask only read-only cells and write nothing', async () => {
    const { target } = environment;
    const admin = new HarborApiClient({ baseUrl: target.url, credentials: target.admin });
    // The Harbor's owner holds images in a public and a private project (the read-only matrix asks about them).
    const registry = new RegistryClient({ baseUrl: target.url, credentials: target.admin });
    const image = buildImage({ layers: [{ 'read-only.txt': 'harbor-conformance read-only audit\n' }] });
    const owned = `ro-${Date.now().toString(36)}`;
    await admin.createProject({ project_name: owned, metadata: { public: 'false' } });
    await pushImage(registry, 'library/read-only', 'v1', image);
    await pushImage(registry, `${owned}/app`, 'v1', image);

    const auditBefore = await auditState(admin);
    const proxy = await startRecordingProxy(target.url);
    const reportDir = await mkdtemp(join(tmpdir(), 'hc-read-only-'));
    try {
      await execa(
        process.execPath,
        [
          cli,
          'run',
          '--env',
          'external',
          '--url',
          proxy.url,
          '--suites',
          'access-matrix,pull-policy',
          '--report-dir',
          reportDir,
        ],
        {
          env: childEnv({ HARBOR_PASSWORD: target.admin.password }),
          extendEnv: false,
          reject: false,
          timeout: 300_000,
        },
      );
    } finally {
      await proxy.close();
    }
    const summary = JSON.parse(await readFile(join(reportDir, 'summary.json'), 'utf8')) as Summary;
    const byId = Object.fromEntries(summary.checks.map((c) => [c.id, c]));
    for (const id of ['PULL-001', 'PULL-002']) {
      expect(byId[id]?.status, id).toBe('skipped');
      expect(byId[id]?.reason, id).toContain('read-only');
    }
    const matrix = summary.checks.filter((c) => c.id.startsWith('ACC-'));
    expect(matrix.length).toBeGreaterThan(0);
    expect(
      matrix.filter((c) => c.status === 'failed').map((c) => `${c.id}: ${c.reason}`),
      'access-matrix cells failing on a correct Harbor',
    ).toEqual([]);
    expect(matrix.filter((c) => c.status === 'passed').length, 'read-only matrix checks that ran').toBeGreaterThan(0);

    // Every request the run sent, and every exchange in its evidence: reads only.
    const sent = [...new Set(proxy.sent.map((r) => r.method))].sort();
    expect(proxy.sent.length).toBeGreaterThan(100);
    expect(
      sent.filter((m) => m !== 'GET' && m !== 'HEAD'),
      `methods sent: ${sent.join(', ')}`,
    ).toEqual([]);
    const methods = new Set<string>();
    for (const file of await readdir(join(reportDir, 'evidence'))) {
      if (!file.endsWith('.json')) continue;
      const evidence = JSON.parse(await readFile(join(reportDir, 'evidence', file), 'utf8')) as EvidenceDocument;
      for (const exchange of evidence.exchanges) methods.add(exchange.method);
    }
    expect([...methods].filter((m) => m !== 'GET' && m !== 'HEAD')).toEqual([]);

    // A write, even a denied one, is audited (Harbor's log middleware records it with result false). Audit
    // entries are written after the answer, in Harbor too (an event): wait for this marker, sent after the run,
    // so every entry the run itself caused is in the log before it is read.
    const denied = await new HarborApiClient({ baseUrl: target.url }).request('PUT', '/configurations', {
      body: { project_creation_restriction: 'adminonly' },
      expect: [401],
    });
    expect(denied.status).toBe(401);
    const isMarker = (e: AuditLogExt) =>
      e.id > auditBefore.maxId && e.operation === 'update' && e.resource_type === 'configuration';
    // Settled: the marker is there and two reads in a row agree (entries of the last pulls may still land).
    let previousTotal = -1;
    const withMarker = await pollUntil(
      async () => {
        const state = await auditState(admin);
        const settled = state.entries.some(isMarker) && state.total === previousTotal;
        previousTotal = state.total;
        return { state, settled };
      },
      {
        timeoutMs: 30_000,
        intervalMs: 500,
        describe: 'the audit entry of the denied PUT /configurations, and no entry landing after it',
        accept: (read) => read.settled,
        show: (read) => JSON.stringify(read.state.entries.slice(0, 5)),
      },
    ).then((read) => read.state);
    expect(
      withMarker.entries.filter(isMarker).map((e) => [e.operation, e.resource_type, e.username, e.operation_result]),
    ).toEqual([['update', 'configuration', 'unknown', false]]);

    // The audit log: no entry but the pulls Harbor records by default (pull_audit_log_disable=false), and the marker.
    const auditAfter = { ...withMarker, entries: withMarker.entries.filter((e) => !isMarker(e)) };
    const added = auditAfter.entries.filter((e) => e.id > auditBefore.maxId);
    expect(auditAfter.total - 1 - auditBefore.total).toBe(added.length);
    expect(
      added.filter((e) => e.operation !== 'pull').map((e) => `${e.operation} ${e.resource_type} ${e.resource}`),
      'audit entries of writes',
    ).toEqual([]);
    expect(auditAfter.legacyTotal).toBe(auditBefore.legacyTotal);
    process.stdout.write(
      `read-only access-matrix + pull-policy: ${proxy.sent.length} requests (${sent.join(', ')}), ` +
        `${matrix.filter((c) => c.status === 'passed').length}/${matrix.length} matrix checks passed, ` +
        `audit log +${added.length} pull entries, no other\n`,
    );
  }, 600_000);
});

/** The newest audit entries (ext), their total and the legacy /audit-logs total. */
async function auditState(admin: HarborApiClient) {
  const ext = await admin.request<AuditLogExt[]>('GET', '/auditlog-exts', { query: { page_size: 100 } });
  const legacy = await admin.request<unknown[]>('GET', '/audit-logs', { query: { page_size: 1 } });
  const entries = ext.data ?? [];
  return {
    entries,
    maxId: Math.max(0, ...entries.map((e) => e.id)),
    total: Number(ext.headers['x-total-count'] ?? entries.length),
    legacyTotal: Number(legacy.headers['x-total-count'] ?? legacy.data?.length ?? 0),
  };
}

/** An HTTP proxy in front of the target that records every request (Host kept, so token realms point back here). */
async function startRecordingProxy(targetUrl: string) {
  const upstream = new URL(targetUrl);
  const sent: Array<{ method: string; path: string }> = [];
  const server = createServer((req, res) => {
    sent.push({ method: req.method ?? '', path: req.url ?? '' });
    const forward = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    sent,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
