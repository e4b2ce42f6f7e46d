import { describe, expect, it } from 'vitest';
import type { CheckResult } from './check-result.ts';
import { renderSummaryHtml } from './summary-html.ts';
import { buildSummary } from './summary.ts';

const result = (id: string, suite: string, status: CheckResult['status'], remediation?: string): CheckResult => ({
  id,
  title: `title of ${id}`,
  suite,
  status,
  reason: `${status} because`,
  controls: [],
  duration_ms: 1,
  ...(remediation ? { remediation } : {}),
});

describe('summary.html', () => {
  const checks = [
    result('SMOKE-001', 'smoke', 'passed'),
    result('SIGN-008', 'signing', 'warn', 'Sign recursively.'),
    result('SEC-004', 'security-defaults', 'failed', 'Route /v2/ through core.'),
    result('SEC-010', 'security-defaults', 'skipped'),
  ];
  const html = renderSummaryHtml(
    buildSummary({
      target: { kind: 'external', url: 'https://h', harborVersion: 'v2.15.2' },
      runId: 'r',
      started: new Date(0),
      finished: new Date(0),
      harnessVersion: '0',
      environment: 'external',
      checks,
    }),
  );

  it('opens on what needs action: failed first, then warn, each with remediation and evidence link', () => {
    const action = html.slice(html.indexOf('id="needs-action"'), html.indexOf('id="checks"'));
    expect(action.indexOf('SEC-004')).toBeGreaterThan(-1);
    expect(action.indexOf('SEC-004')).toBeLessThan(action.indexOf('SIGN-008'));
    expect(action).not.toContain('SMOKE-001');
    expect(action).toContain('What to change:</strong> Route /v2/ through core.');
    expect(action).toContain('<a href="evidence/SEC-004.json">');
    expect(html.indexOf('id="needs-action"')).toBeLessThan(html.indexOf('id="checks"'));
  });

  it('counts verdicts per suite before the full table', () => {
    expect(html).toMatch(
      /<tr><td>security-defaults<\/td><td class="num">1<\/td><td class="num">0<\/td><td class="num">0<\/td><td class="num">1<\/td><\/tr>/,
    );
    expect(html.indexOf('id="suites"')).toBeLessThan(html.indexOf('id="checks"'));
  });
});
