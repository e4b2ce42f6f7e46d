// The matrix as a picture: one HTML table per area, identities down, operations (× project kind) across,
// each cell green (as Harbor's tables say) or red (differs: linked to its evidence further down the page),
// amber where a known Harbor weakness was seen. Plain HTML with inline styles: it opens from the Allure report.
import type { Cell, CellArea } from './matrix-cells.ts';
import { redactBody } from '../../lib/redact.ts';

const escapeHtml = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
const kindLabel: Record<string, string> = { own: 'own', public: 'pub', other: 'oth', missing: 'none', system: 'sys' };

export function renderMatrixHtml(title: string, cells: readonly Cell[]): string {
  const areas = [...new Set(cells.map((c) => c.area))];
  const sections = areas.map((area) =>
    section(
      area,
      cells.filter((c) => c.area === area),
    ),
  );
  const differing = cells.filter((c) => !c.ok);
  const evidence = differing.map(
    (c) =>
      `<div id="cell-${c.key}" style="margin:8px 0;padding:6px;border-left:4px solid #c62828"><b>${escapeHtml(c.identity)}</b> · ${escapeHtml(c.operation)} · ${escapeHtml(c.kind)}<br>` +
      `expected <code>${escapeHtml(c.expected)}</code>, got <code>${escapeHtml(c.actual)}</code><br>` +
      `<code>${escapeHtml(c.request.method)} ${escapeHtml(c.request.path)}</code><br>` +
      (c.answer
        ? `<pre style="white-space:pre-wrap;max-height:12em;overflow:auto">${escapeHtml(`${c.answer.status}\n${redactBody(c.answer.body).slice(0, 1500)}`)}</pre>`
        : '') +
      `</div>`,
  );
  const green = cells.filter((c) => c.ok).length;
  return (
    `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
    `<body style="font:12px sans-serif"><h2>${escapeHtml(title)}</h2><p>${cells.length} cells: ${green} as expected, ${differing.length} differing` +
    ` (green: as Harbor's tables say; red: differs, click for the evidence; amber: a known Harbor weakness). Project kinds: own = the caller's private project, pub = another team's public project, oth = another team's private project, none = does not exist, sys = system.</p>` +
    sections.join('') +
    `<h3>Differing cells (${differing.length})</h3>${evidence.join('') || '<p>none</p>'}</body></html>`
  );
}

function section(area: CellArea, cells: readonly Cell[]): string {
  const identities = [...new Set(cells.map((c) => c.identity))];
  const columns = [...new Set(cells.map((c) => `${c.operation}\u0000${c.kind}`))];
  const index = new Map(cells.map((c) => [`${c.identity}\u0000${c.operation}\u0000${c.kind}`, c]));
  const head = columns
    .map((col) => {
      const [op, kind] = col.split('\u0000') as [string, string];
      return `<th title="${escapeHtml(op)} · ${escapeHtml(kind)}" style="writing-mode:vertical-rl;transform:rotate(180deg);font-weight:normal;max-height:22em">${escapeHtml(op)} · ${kindLabel[kind] ?? kind}</th>`;
    })
    .join('');
  const rows = identities.map((identity) => {
    const tds = columns.map((col) => {
      const cell = index.get(`${identity}\u0000${col}`);
      if (!cell) return '<td style="background:#eee"></td>';
      const color = !cell.ok ? '#c62828' : cell.warning ? '#f9a825' : '#2e7d32';
      const tip = escapeHtml(
        `${identity} · ${cell.operation} · ${cell.kind}: expected ${cell.expected}, got ${cell.actual}${cell.warning ? ` (${cell.warning})` : ''}`,
      );
      const mark = cell.ok ? '' : `<a href="#cell-${cell.key}" style="color:#fff;text-decoration:none">✗</a>`;
      return `<td title="${tip}" style="background:${color};width:10px;height:10px;text-align:center;color:#fff">${mark}</td>`;
    });
    return `<tr><th style="text-align:left;white-space:nowrap;font-weight:normal">${escapeHtml(identity)}</th>${tds.join('')}</tr>`;
  });
  return `<h3>${escapeHtml(area)} (${cells.length} cells)</h3><table style="border-collapse:collapse" border="1"><tr><th></th>${head}</tr>${rows.join('')}</table>`;
}

/** A few lines for the console: cells per area, how many differ, the run time. */
export function renderMatrixSummary(cells: readonly Cell[], ms: number): string {
  const areas = [...new Set(cells.map((c) => c.area))];
  const lines = areas.map((area) => {
    const inArea = cells.filter((c) => c.area === area);
    const bad = inArea.filter((c) => !c.ok).length;
    const warned = inArea.filter((c) => c.ok && c.warning).length;
    return `  ${area.padEnd(12)} ${String(inArea.length).padStart(6)} cells  ${String(bad).padStart(4)} differing${warned ? `  ${warned} known-weakness` : ''}`;
  });
  const retried = cells.filter((c) => c.retried).length;
  return [
    `access matrix: ${cells.length} cells in ${(ms / 1000).toFixed(1)} s${retried ? ` (${retried} asked again after a 5xx or no answer)` : ''}`,
    ...lines,
  ].join('\n');
}

export function differingList(cells: readonly Cell[], limit = 40): string {
  const bad = cells.filter((c) => !c.ok);
  const shown = bad
    .slice(0, limit)
    .map((c) => `${c.identity} × ${c.operation} × ${c.kind}: expected ${c.expected}, got ${c.actual}`);
  return `${bad.length} differing cell(s): ${shown.join('; ')}${bad.length > limit ? `; … ${bad.length - limit} more` : ''}`;
}
