// summary.html: one self-contained page (inline CSS, no scripts, no external resources), readable offline.
import type { Summary } from './summary.ts';
import { scannerLine, targetDisclaimer } from './summary.ts';

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
  .verdict.skipped { background: #eaeef2; color: #57606a; }
</style>
</head>
<body>
<h1>Harbor conformance run ${esc(summary.run.id)}</h1>
<p class="target ${offline ? 'offline' : ''}" id="target" data-kind="${esc(summary.target.kind)}">${esc(targetDisclaimer(summary))}</p>
<p class="meta">Environment ${esc(summary.run.environment)} · started ${esc(summary.run.started)} · finished ${esc(summary.run.finished)} · harbor-conformance ${esc(summary.run.harness_version)} · scanner ${esc(scannerLine(summary))}</p>
<p class="totals" id="totals"><span>${t.passed} passed</span><span>${t.warn} warn</span><span>${t.failed} failed</span><span>${t.skipped} skipped</span><span>${t.total} checks</span></p>
<table id="checks">
<thead><tr><th>Check</th><th>Suite</th><th>Verdict</th><th>Title</th><th>Controls</th><th>Reason</th><th>ms</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</body>
</html>
`;
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
