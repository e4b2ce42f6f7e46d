// The control matrix section of summary.html: per control, its checks with verdicts and links to their
// evidence files, and the controls without a passing check. Same matrix as the evidence bundle's.
import { buildControlMatrix } from './evidence/control-matrix.ts';
import type { Summary } from './summary.ts';

export function renderControlMatrixHtml(summary: Summary, esc: (text: string) => string): string {
  // A check skipped by its gate writes no evidence; the others do (also when they fail).
  const evidence = new Set(summary.checks.filter((c) => c.status !== 'skipped').map((c) => `evidence/${c.id}.json`));
  const matrix = buildControlMatrix(summary.checks, evidence);
  const rows = matrix.controls
    .map((row) => {
      const checks = row.checks
        .map(
          (c) =>
            `<span class="verdict ${esc(c.verdict)}">${esc(c.id)} ${esc(c.verdict)}</span>${c.evidence ? ` <a href="${esc(c.evidence)}">evidence</a>` : ''}`,
        )
        .join('<br>');
      return `<tr class="control ${row.status === 'passed' ? 'passed' : row.status === 'failed' ? 'failed' : 'skipped'}"><td>${esc(row.framework)}</td><td>${esc(row.control)}</td><td>${esc(row.status)}</td><td>${checks}</td></tr>`;
    })
    .join('\n');
  const unsupported = matrix.unsupported.length === 0 ? 'none' : matrix.unsupported.map(esc).join(', ');
  return `<h2 id="control-matrix">Control matrix</h2>
<p class="meta" id="unsupported-controls">Controls not satisfied (failed, warn, or no passing check): ${unsupported}</p>
<table id="controls">
<thead><tr><th>Framework</th><th>Control</th><th>Status</th><th>Checks (verdict, evidence)</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`;
}
