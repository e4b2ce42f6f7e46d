// summary.html as a person sees it: rendered by headless Chromium, verdicts readable, screenshot kept.
import { mkdtemp, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSummary } from './summary.ts';
import { findChromium, screenshotSummary } from './summary-screenshot.ts';
import { writeSummaries } from './write-summaries.ts';

describe('summary.html in headless Chromium', () => {
  it('renders every verdict and the target line, and leaves summary.png in the run directory', async () => {
    expect(findChromium(), 'Debian package `chromium` (scripts/bootstrap.sh installs it)').toBeDefined();
    const runDir = await mkdtemp(join(tmpdir(), 'hc-20261123-085300-html'));
    await writeSummaries(
      runDir,
      buildSummary({
        target: { kind: 'offline', url: 'http://127.0.0.1:49153', harborVersion: 'v2.15.3-double' },
        runId: 'hc-20261123-085300-k3f9',
        started: new Date('2026-11-23T08:53:00Z'),
        finished: new Date('2026-11-23T08:55:30Z'),
        harnessVersion: '0.1.0',
        environment: 'offline',
        checks: [
          {
            id: 'SMOKE-001',
            title: 'ping',
            suite: 'smoke',
            status: 'passed',
            reason: null,
            controls: ['NIST SP 800-53 CA-7'],
            duration_ms: 3,
          },
          {
            id: 'SIGN-003',
            title: 'foreign key',
            suite: 'signing',
            status: 'warn',
            reason: 'presence, not trust',
            controls: ['NIST SP 800-190 4.1.5'],
            duration_ms: 9,
          },
          {
            id: 'SCAN-002',
            title: 'blocked pull',
            suite: 'scan-blocking',
            status: 'failed',
            reason: 'got 200',
            controls: ['NIST SP 800-190 4.1.1'],
            duration_ms: 40,
          },
          {
            id: 'SMOKE-008',
            title: 'push/pull',
            suite: 'smoke',
            status: 'skipped',
            reason: 'read-only',
            controls: ['NIST SP 800-190 4.2.3'],
            duration_ms: 0,
          },
        ],
      }),
    );
    const rendered = await screenshotSummary(runDir);
    expect(rendered.verdicts).toEqual({
      'SMOKE-001': 'passed',
      'SIGN-003': 'warn',
      'SCAN-002': 'failed',
      'SMOKE-008': 'skipped',
    });
    expect(rendered.targetLine).toContain('not a certification of real Harbor');
    expect(rendered.screenshot).toBe(join(runDir, 'summary.png'));
    expect((await stat(rendered.screenshot)).size).toBeGreaterThan(10_000);
  }, 60_000);
});
