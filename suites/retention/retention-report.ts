// The seeded artifacts of a retention check and what became of them, as a table a person reads at a glance:
// Markdown for the evidence JSON and the console, HTML (green kept, grey deleted as expected, red wrong) for
// the Allure report.
export interface RetentionReportRow {
  repository: string;
  artifact: string;
  digest: string;
  pushed: string;
  pulled: string;
  immutable: boolean;
  /** What Harbor's rules give: RETAIN, DEL, IMMUTABLE, or `untouched` (no rule covers the repository). */
  expected: string;
  dryRunLog: string;
  afterDryRun: 'present' | 'gone';
  runLog: string;
  afterRun: 'present' | 'gone';
  /** `whole (n blobs)`, `404 (deleted)`, or what broke. */
  pull: string;
  ok: boolean;
}

const HEAD = [
  'repository',
  'artifact',
  'digest',
  'pushed',
  'pulled',
  'immutable',
  'expected',
  'dry-run log',
  'after dry run',
  'run log',
  'after run',
  'pull afterwards',
  'verdict',
];

const cells = (r: RetentionReportRow) => [
  r.repository,
  r.artifact,
  r.digest.slice(0, 19),
  r.pushed,
  r.pulled,
  r.immutable ? 'yes' : '',
  r.expected,
  r.dryRunLog,
  r.afterDryRun,
  r.runLog,
  r.afterRun,
  r.pull,
  r.ok ? 'ok' : 'WRONG',
];

export function renderRetentionMarkdown(rows: readonly RetentionReportRow[]): string {
  const line = (values: string[]) => `| ${values.map((v) => v.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(HEAD), line(HEAD.map(() => '---')), ...rows.map((r) => line(cells(r)))].join('\n');
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

export function renderRetentionHtml(title: string, rows: readonly RetentionReportRow[]): string {
  const colour = (r: RetentionReportRow) => (!r.ok ? '#ffcdd2' : r.afterRun === 'present' ? '#c8e6c9' : '#eeeeee');
  const body = rows
    .map(
      (r) =>
        `<tr style="background:${colour(r)}">${cells(r)
          .map((c) => `<td style="padding:2px 6px">${escapeHtml(c)}</td>`)
          .join('')}</tr>`,
    )
    .join('');
  const wrong = rows.filter((r) => !r.ok).length;
  return (
    `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
    `<body style="font:12px sans-serif"><h2>${escapeHtml(title)}</h2>` +
    `<p>${rows.length} seeded artifacts, ${rows.filter((r) => r.afterRun === 'present').length} survived, ${wrong} not as Harbor's rules say ` +
    `(green: kept, grey: deleted as expected, red: wrong).</p>` +
    `<table style="border-collapse:collapse" border="1"><tr>${HEAD.map((h) => `<th style="padding:2px 6px">${h}</th>`).join('')}</tr>${body}</table></body></html>`
  );
}
