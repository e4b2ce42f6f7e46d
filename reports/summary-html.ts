// summary.html: one self-contained page (inline CSS, no scripts, no external resources), readable offline.
// It opens on what needs action — failed checks, then warn — each with its remediation and a link to its
// evidence file, and the counts per suite, before the full table.
import type { CheckResult } from './check-result.ts';
import type { Summary } from './summary.ts';
import { scannerLine, targetDisclaimer } from './summary.ts';
import { renderControlMatrixHtml } from './control-matrix-html.ts';

export function renderSummaryHtml(summary: Summary): string {
  const t = summary.totals;
  const offline = summary.target.kind === 'offline';
  const rows = summary.checks
    .map(
      (c) => `<tr class="${c.status}">
  <td class="id">${esc(c.id)}</td><td>${esc(c.suite)}</td>
  <td><span class="verdict ${c.status}" data-verdict="${c.status}">${c.status}</span></td>
  <td>${esc(c.title)}</td><td>${c.controls.map(esc).join('<br>')}</td>
  <td class="reason">${esc(c.reason ?? '')}</td><td class="num">${c.duration_ms}</td>
</tr>`,
    )
    .join('\n');
  const action = [
    ...summary.checks.filter((c) => c.status === 'failed'),
    ...summary.checks.filter((c) => c.status === 'warn'),
  ];
  const needsAction =
    action.length === 0
      ? '<p class="none">Nothing needs action: no check failed or warned.</p>'
      : `<ol class="action">\n${action.map(actionItem).join('\n')}\n</ol>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Harbor conformance ${esc(summary.run.id)}</title>
<style>
  body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem; color: #1f2328; }
  h1 { font-size: 1.4rem; margin: 0 0 .5rem; }
  .target { padding: .75rem 1rem; border-radius: 6px; background: #eef4ff; border: 1px solid #b6cdf7; margin: 1rem 0; }
  .target.offline { background: #fff6e0; border-color: #e7c66b; }
  .meta { color: #57606a; margin: .25rem 0; }
  .totals span { display: inline-block; margin-right: 1rem; font-weight: 600; }
  table { border-collapse: collapse; width: 100%; margin-top: 1rem; }
  th, td { border-bottom: 1px solid #d0d7de; padding: .4rem .6rem; text-align: left; vertical-align: top; }
  th { background: #f6f8fa; }
  td.id { font-family: ui-monospace, monospace; white-space: nowrap; }
  td.num { text-align: right; }
  td.reason { color: #57606a; max-width: 32rem; word-break: break-word; }
  .verdict { padding: .1rem .45rem; border-radius: 1rem; font-weight: 600; font-size: .85em; }
  .verdict.passed { background: #dafbe1; color: #116329; }
  .verdict.failed { background: #ffebe9; color: #a40e26; }
  .verdict.warn { background: #fff8c5; color: #7d4e00; }

  ol.action { padding-left: 1.2rem; }
  ol.action li { margin: .6rem 0; padding: .5rem .75rem; border-left: 4px solid #d0d7de; background: #f6f8fa; list-style: none; }
  ol.action li.failed { border-left-color: #cf222e; }
  ol.action li.warn { border-left-color: #bf8700; }
  .remediation { margin: .25rem 0 0; }
  .remediation strong { color: #1f2328; }
  table.suites { width: auto; }
  .verdict.skipped, .verdict.not { background: #eaeef2; color: #57606a; }
  h2 { font-size: 1.15rem; margin: 2rem 0 .25rem; }
</style>
</head>
<body>
<h1>Harbor conformance run ${esc(summary.run.id)}</h1>
<p class="target ${offline ? 'offline' : ''}" id="target" data-kind="${esc(summary.target.kind)}">${esc(targetDisclaimer(summary))}</p>
<p class="meta">Environment ${esc(summary.run.environment)} · started ${esc(summary.run.started)} · finished ${esc(summary.run.finished)} · harbor-conformance ${esc(summary.run.harness_version)} · scanner ${esc(scannerLine(summary))}</p>
<p class="totals" id="totals"><span>${t.failed} failed</span><span>${t.warn} warn</span><span>${t.passed} passed</span><span>${t.skipped} skipped</span><span>${t.total} checks</span></p>
<h2 id="needs-action">Needs action (${action.length})</h2>
${needsAction}
<h2>Per suite</h2>
${suiteCounts(summary.checks)}
<h2>Every check</h2>
<table id="checks">
<thead><tr><th>Check</th><th>Suite</th><th>Verdict</th><th>Title</th><th>Controls</th><th>Reason</th><th>ms</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
${renderControlMatrixHtml(summary, esc)}
</body>
</html>
`;
}

function actionItem(c: CheckResult): string {
  const remediation = c.remediation
    ? `<p class="remediation"><strong>What to change:</strong> ${esc(c.remediation)}</p>`
    : '';
  return `<li class="${c.status}" data-check="${esc(c.id)}"><span class="verdict ${c.status}">${c.status}</span> <strong>${esc(c.id)}</strong> ${esc(c.title)}
  <div class="reason">${esc(c.reason ?? '')}</div>${remediation}
  <a href="evidence/${encodeURIComponent(c.id)}.json">evidence ${esc(c.id)}.json</a></li>`;
}

function suiteCounts(checks: readonly CheckResult[]): string {
  const suites = [...new Set(checks.map((c) => c.suite))];
  const rows = suites.map((suite) => {
    const of = checks.filter((c) => c.suite === suite);
    const n = (status: string) => of.filter((c) => c.status === status).length;
    return `<tr><td>${esc(suite)}</td><td class="num">${n('failed')}</td><td class="num">${n('warn')}</td><td class="num">${n('passed')}</td><td class="num">${n('skipped')}</td></tr>`;
  });
  return `<table class="suites" id="suites"><thead><tr><th>Suite</th><th>failed</th><th>warn</th><th>passed</th><th>skipped</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>`;
}

function esc(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
