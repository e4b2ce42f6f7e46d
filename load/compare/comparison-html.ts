// The report a person reads: verdict, the comparison table, throughput vs concurrency and the latency
// distribution (before against after), and the environment of both results. One self-contained file.
import * as hdr from 'hdr-histogram-js';
import { busyPercent, saturationNote } from '../engine/engine-saturation.ts';
import type { LoadResult } from '../results/result-schema.ts';
import type { Comparison } from './compare-results.ts';
import { lineChart, type Series } from './svg-charts.ts';

const esc = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
const num = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2));
const percentiles = [0, 50, 75, 90, 95, 99, 99.9];

function throughputSeries(result: LoadResult, label: string, colour: string): Series {
  return {
    label,
    colour,
    points: result.levels.map((l) => {
      const v = l.runs.map((r) => r.megabytesPerSecond);
      return {
        x: l.concurrency,
        y: v.reduce((s, x) => s + x, 0) / v.length,
        range: [Math.min(...v), Math.max(...v)] as [number, number],
      };
    }),
  };
}

/** The pull-time distribution at the highest level both measured, from the merged HDR histograms. */
function latencySeries(result: LoadResult, concurrency: number, label: string, colour: string): Series | undefined {
  const level = result.levels.find((l) => l.concurrency === concurrency);
  const encoded = level?.runs.map((r) => r.phases.pull?.total.hdr).filter((h): h is string => !!h) ?? [];
  if (encoded.length === 0) return undefined;
  const merged = hdr.build({ autoResize: true });
  for (const e of encoded) merged.add(hdr.decodeFromCompressedBase64(e));
  return {
    label,
    colour,
    points: percentiles.map((p) => ({ x: 1 / (1 - p / 100), y: merged.getValueAtPercentile(p) / 1000 })),
  };
}

function environmentLine(r: LoadResult): string {
  const e = r.environment;
  return `${esc(e.target.kind)} ${esc(e.target.version)} (${esc(e.target.source)}${e.target.faultProfile ? `, fault profile <b>${esc(e.target.faultProfile)}</b>` : ''}) · engine ${esc(e.engine.name)} ${esc(e.engine.version)}${e.engine.workers ? ` × ${e.engine.workers} workers` : ''} · ${e.machine.cpus} cpus ${esc(e.machine.cpuModel)}, load ${e.machine.loadAverage.join(' ')} · ${esc(r.startedAt)}`;
}

export function comparisonHtml(current: LoadResult, baseline?: LoadResult, comparison?: Comparison): string {
  const verdict = !comparison
    ? '<p class="na">No baseline given: this run is the new baseline.</p>'
    : comparison.regressions.length === 0
      ? '<p class="ok">PASS: no metric regressed beyond its tolerance and the spread of the runs.</p>'
      : `<p class="bad">REGRESSION: ${comparison.regressions.length} metric(s) beyond tolerance: ${comparison.regressions.map((r) => `${esc(r.metric)} at c=${r.concurrency}`).join(', ')}.</p>`;
  const saturation = [saturationNote(current, 'current'), baseline ? saturationNote(baseline, 'baseline') : undefined]
    .filter((n): n is string => !!n)
    .map((n) => `<p class="warn">${esc(n)}.</p>`)
    .join('');
  const levels = current.levels
    .map((l) => l.concurrency)
    .filter((c) => !baseline || baseline.levels.some((b) => b.concurrency === c));
  const top = Math.max(...(levels.length ? levels : current.levels.map((l) => l.concurrency)));
  const throughput = [throughputSeries(current, 'current', '#1f6feb')];
  if (baseline) throughput.unshift(throughputSeries(baseline, 'baseline', '#8a8a8a'));
  const latency = [
    baseline ? latencySeries(baseline, top, 'baseline', '#8a8a8a') : undefined,
    latencySeries(current, top, 'current', '#1f6feb'),
  ].filter((s): s is Series => !!s);
  const charts = [
    lineChart(throughput, {
      title: 'Throughput vs concurrency (mean, min-max of runs)',
      xLabel: 'concurrent pulls',
      yLabel: 'MB/s',
      logX: true,
    }),
    lineChart(latency, {
      title: `Pull time distribution at c=${top} (all runs merged)`,
      xLabel: 'percentile',
      yLabel: 'ms',
      logX: true,
      xTicks: percentiles.map((p) => ({ x: 1 / (1 - p / 100), label: `p${p}` })),
    }),
  ];
  const table = comparison
    ? `<table><tr><th>c</th><th>metric</th><th>baseline mean (min-max, n)</th><th>current mean (min-max, n)</th><th>change</th><th>limit</th><th>verdict</th></tr>${comparison.rows
        .map(
          (r) =>
            `<tr class="row-${r.verdict}"><td>${r.concurrency}</td><td>${esc(r.metric)}</td><td>${num(r.baseline.mean)} (${num(r.baseline.min)}-${num(r.baseline.max)}, ${r.baseline.n})</td><td>${num(r.current.mean)} (${num(r.current.min)}-${num(r.current.max)}, ${r.current.n})</td><td>${r.changePercent >= 0 ? '+' : ''}${r.changePercent.toFixed(1)} %</td><td>${r.better === 'higher' ? '≥' : '≤'} ${num(r.limit)}</td><td>${r.verdict}</td></tr>`,
        )
        .join('')}</table>`
    : currentTable(current);
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(current.scenario.name)}: pull throughput</title><style>
body{font-family:sans-serif;margin:1.5em;max-width:1100px}table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 6px;text-align:right}
td:nth-child(2){text-align:left}.row-regression{background:#ffd7d5}.row-improved{background:#dafbe1}.ok{color:#116329;font-weight:bold}.bad{color:#cf222e;font-weight:bold}.na{color:#555}.warn{color:#9a6700;font-weight:bold}
.charts{display:flex;flex-wrap:wrap;gap:12px}</style></head><body>
<h1>Pull throughput: ${esc(current.scenario.name)}</h1>${verdict}${saturation}
<div class="charts">${charts.join('')}</div>
<h2>${comparison ? 'Comparison' : 'Result'}</h2>${table}
<h2>Environment</h2><p>current: ${environmentLine(current)}</p>${baseline ? `<p>baseline: ${environmentLine(baseline)}</p>` : ''}
<p>Limits: a throughput may not fall below baseline × (1 − tolerance) minus twice the standard error of the difference of the means; a p95 may not rise above baseline × (1 + tolerance) (at least +2 ms) plus the same noise margin; errors per run may not rise.</p>
</body></html>`;
}

function currentTable(result: LoadResult): string {
  const rows = result.levels.flatMap((l) =>
    l.runs.map(
      (r, i) =>
        `<tr><td>${l.concurrency}</td><td>run ${i + 1}</td><td>${num(r.megabytesPerSecond)}</td><td>${num(r.pullsPerSecond)}</td><td>${num(r.phases['manifest-get']?.total.p95 ?? 0)}</td><td>${num(r.phases.blob?.total.p95 ?? 0)}</td><td>${num(r.phases.pull?.total.p95 ?? 0)}</td><td>${r.errors.total}</td><td>${r.engineBusy === undefined ? '–' : busyPercent(r.engineBusy)}</td></tr>`,
    ),
  );
  return `<table><tr><th>c</th><th>run</th><th>MB/s</th><th>pulls/s</th><th>manifest GET p95 ms</th><th>blob p95 ms</th><th>pull p95 ms</th><th>errors</th><th>engine busy</th></tr>${rows.join('')}</table>`;
}
