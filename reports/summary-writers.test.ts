// summary.json / summary.md / summary.html from one fixed set of results.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CheckResult } from './check-result.ts';
import { buildSummary, exitCodeFor, targetDisclaimer } from './summary.ts';
import { renderSummaryHtml } from './summary-html.ts';
import { renderSummaryMarkdown } from './summary-markdown.ts';
import { renderVerdictTable } from './verdict-table.ts';
import { writeSummaries } from './write-summaries.ts';

const checks: CheckResult[] = [
  {
    id: 'SMOKE-001',
    title: 'ping answers Pong',
    suite: 'smoke',
    status: 'passed',
    reason: null,
    controls: ['NIST SP 800-53 CA-7'],
    duration_ms: 5,
  },
  {
    id: 'SIGN-003',
    title: 'a foreign key still "signs" <img>',
    suite: 'signing',
    status: 'warn',
    reason:
      'Harbor checks presence, not trust (source: goharbor/harbor src/server/middleware/contenttrust/contentrust.go@v2.15.x)',
    controls: ['NIST SP 800-190 4.1.5', 'SLSA Build L2'],
    duration_ms: 80,
  },
  {
    id: 'SCAN-002',
    title: 'critical image pull refused',
    suite: 'scan-blocking',
    status: 'failed',
    reason: 'expected 412, got 200 | pulled',
    controls: ['NIST SP 800-190 4.1.1'],
    duration_ms: 1200,
  },
  {
    id: 'SMOKE-008',
    title: 'push and pull',
    suite: 'smoke',
    status: 'skipped',
    reason: 'mutating check skipped: the external target is read-only',
    controls: ['NIST SP 800-190 4.2.3'],
    duration_ms: 0,
  },
];

function fixedSummary(kind: 'offline' | 'external' = 'offline') {
  return buildSummary({
    target: {
      kind,
      url: 'http://127.0.0.1:49153',
      harborVersion: 'v2.15.3-double',
      faultProfile: kind === 'offline' ? 'allowlist-expiry-ignored' : undefined,
      scanner:
        kind === 'offline'
          ? {
              name: 'Trivy',
              vendor: 'Aqua Security',
              version: '0.74.0',
              databaseUpdatedAt: '2026-11-23T08:00:00Z',
              exactAdvisorySet: true,
            }
          : undefined,
    },
    runId: 'hc-20261123-085300-k3f9',
    started: new Date('2026-11-23T08:53:00Z'),
    finished: new Date('2026-11-23T08:55:30Z'),
    harnessVersion: '0.1.0',
    environment: kind,
    checks,
  });
}

describe('summary', () => {
  it('has exactly the fields of issue 4, with totals', () => {
    expect(fixedSummary()).toEqual({
      target: { kind: 'offline', url: 'http://127.0.0.1:49153', harbor_version: 'v2.15.3-double' },
      // every report names the scanner that made the scan findings, its version and its DB's date
      scanner: {
        name: 'Trivy',
        vendor: 'Aqua Security',
        version: '0.74.0',
        database_updated_at: '2026-11-23T08:00:00Z',
      },
      run: {
        id: 'hc-20261123-085300-k3f9',
        started: '2026-11-23T08:53:00.000Z',
        finished: '2026-11-23T08:55:30.000Z',
        harness_version: '0.1.0',
        environment: 'offline',
        fault_profile: 'allowlist-expiry-ignored',
      },
      checks,
      totals: { passed: 1, warn: 1, failed: 1, skipped: 1, total: 4 },
    });
  });

  it('exits 1 when a check failed and 0 when only passed, warn and skipped remain', () => {
    expect(exitCodeFor(fixedSummary())).toBe(1);
    const clean = buildSummary({ ...fixedSummaryInput(), checks: checks.filter((c) => c.status !== 'failed') });
    expect(exitCodeFor(clean)).toBe(0);
  });

  it('says an offline run is not real Harbor, and an external one what it is', () => {
    expect(targetDisclaimer(fixedSummary('offline'))).toBe(
      'Target: offline Harbor v2.15.3-double at http://127.0.0.1:49153 — the offline stand-in (Harbor double built by this harness, fault profile "allowlist-expiry-ignored" switched on), not a certification of real Harbor.',
    );
    expect(targetDisclaimer(fixedSummary('external'))).toBe(
      'Target: external Harbor v2.15.3-double at http://127.0.0.1:49153.',
    );
  });

  it('renders markdown with one escaped row per check', () => {
    const md = renderSummaryMarkdown(fixedSummary());
    expect(md).toContain('# Harbor conformance run hc-20261123-085300-k3f9');
    expect(md).toContain('not a certification of real Harbor');
    expect(md).toContain('**1 passed, 1 warn, 1 failed, 1 skipped** (4 checks)');
    expect(md).toContain(
      '| SCAN-002 | scan-blocking | ❌ failed | critical image pull refused | NIST SP 800-190 4.1.1 | expected 412, got 200 \\| pulled | 1200 |',
    );
    expect(md).toContain('| SIGN-003 | signing | ⚠️ warn |');
  });

  it('renders self-contained HTML with escaped text and a verdict per row', () => {
    const html = renderSummaryHtml(fixedSummary());
    expect(html).not.toMatch(/<script|<link|src=|https?:\/\/(?!127\.0\.0\.1)/);
    expect(html).toContain('a foreign key still &quot;signs&quot; &lt;img&gt;');
    for (const verdict of ['passed', 'warn', 'failed', 'skipped']) expect(html).toContain(`data-verdict="${verdict}"`);
    expect(html).toContain('data-kind="offline"');
  });

  it('prints a short verdict table with reasons under the rows that need one', () => {
    expect(renderVerdictTable(fixedSummary()).split('\n').slice(0, 4)).toEqual([
      'CHECK      VERDICT  CONTROLS',
      'SMOKE-001  passed   NIST SP 800-53 CA-7',
      'SIGN-003   warn     NIST SP 800-190 4.1.5, SLSA Build L2',
      '                    ↳ Harbor checks presence, not trust (source: goharbor/harbor src/server/middleware/contenttrust/contentrust.go@v2.15.x)',
    ]);
  });

  it('writes the three files into the run directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hc-summary-'));
    await writeSummaries(dir, fixedSummary());
    expect(JSON.parse(await readFile(join(dir, 'summary.json'), 'utf8'))).toEqual(fixedSummary());
    expect(await readFile(join(dir, 'summary.md'), 'utf8')).toBe(renderSummaryMarkdown(fixedSummary()));
    expect(await readFile(join(dir, 'summary.html'), 'utf8')).toBe(renderSummaryHtml(fixedSummary()));
  });
});

function fixedSummaryInput() {
  return {
    target: { kind: 'offline' as const, url: 'http://127.0.0.1:49153', harborVersion: 'v2.15.3-double' },
    runId: 'hc-20261123-085300-k3f9',
    started: new Date('2026-11-23T08:53:00Z'),
    finished: new Date('2026-11-23T08:55:30Z'),
    harnessVersion: '0.1.0',
    environment: 'offline',
    checks,
  };
}
