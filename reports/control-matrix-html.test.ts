import { expect, test } from 'vitest';
import { buildSummary } from './summary.ts';
import { renderSummaryHtml } from './summary-html.ts';

test('summary.html shows the control matrix: checks with verdicts, evidence links, controls without a passing check', () => {
  const html = renderSummaryHtml(
    buildSummary({
      target: { kind: 'offline', url: 'http://127.0.0.1:1', harborVersion: 'v2.15.3-double' },
      runId: 'hc-html',
      started: new Date(),
      finished: new Date(),
      harnessVersion: '0.1.0',
      environment: 'offline',
      checks: [
        {
          id: 'ADV-001',
          title: 't',
          suite: 'advisories',
          status: 'passed',
          reason: null,
          controls: ['NIST SP 800-53 SI-2'],
          duration_ms: 1,
        },
        {
          id: 'ADV-029',
          title: 't',
          suite: 'advisories',
          status: 'skipped',
          reason: 'other line',
          controls: ['NIST SP 800-190 4.2.3'],
          duration_ms: 1,
        },
      ],
    }),
  );
  expect(html).toContain('<h2 id="control-matrix">Control matrix</h2>');
  expect(html).toContain('<td>NIST SP 800-53 SI-2</td><td>passed</td>');
  expect(html).toContain('<a href="evidence/ADV-001.json">evidence</a>');
  expect(html).toMatch(/Controls not satisfied \(failed, warn, or no passing check\): NIST SP 800-190 4\.2\.3</);
});
