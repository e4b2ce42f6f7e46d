// Small inline SVG charts (no library, opens offline): lines with min-max whiskers, on linear or log axes.
export interface Series {
  label: string;
  colour: string;
  /** x, y (mean) and optional [min, max] whisker. */
  points: Array<{ x: number; y: number; range?: [number, number] }>;
}

export interface ChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  /** x axis on a log scale (concurrency 1-2-4-…, percentiles as 1/(1-p)). */
  logX?: boolean;
  /** Tick labels for x values (default the values). */
  xTicks?: Array<{ x: number; label: string }>;
  width?: number;
  height?: number;
}

const esc = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));

export function lineChart(series: Series[], o: ChartOptions): string {
  const width = o.width ?? 520;
  const height = o.height ?? 300;
  const m = { left: 60, right: 16, top: 30, bottom: 44 };
  const all = series.flatMap((s) => s.points);
  if (all.length === 0)
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="40"><text x="4" y="20">${esc(o.title)}: no data</text></svg>`;
  const fx = (x: number) => (o.logX ? Math.log10(Math.max(x, 1e-9)) : x);
  const xs = all.map((p) => fx(p.x));
  let [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  if (x0 === x1) [x0, x1] = [x0 - 1, x1 + 1];
  const y1 = Math.max(...all.map((p) => p.range?.[1] ?? p.y)) * 1.1 || 1;
  const px = (x: number) => m.left + ((fx(x) - x0) / (x1 - x0)) * (width - m.left - m.right);
  const py = (y: number) => height - m.bottom - (y / y1) * (height - m.top - m.bottom);
  const parts: string[] = [];
  parts.push(`<text x="${width / 2}" y="18" text-anchor="middle" font-weight="bold">${esc(o.title)}</text>`);
  parts.push(
    `<line x1="${m.left}" y1="${height - m.bottom}" x2="${width - m.right}" y2="${height - m.bottom}" stroke="#444"/>`,
  );
  parts.push(`<line x1="${m.left}" y1="${m.top}" x2="${m.left}" y2="${height - m.bottom}" stroke="#444"/>`);
  for (let i = 0; i <= 4; i++) {
    const y = (y1 / 4) * i;
    parts.push(
      `<line x1="${m.left}" y1="${py(y)}" x2="${width - m.right}" y2="${py(y)}" stroke="#ddd"/><text x="${m.left - 4}" y="${py(y) + 4}" text-anchor="end">${fmt(y)}</text>`,
    );
  }
  const ticks = o.xTicks ?? [...new Set(all.map((p) => p.x))].map((x) => ({ x, label: String(x) }));
  for (const t of ticks)
    parts.push(`<text x="${px(t.x)}" y="${height - m.bottom + 16}" text-anchor="middle">${esc(t.label)}</text>`);
  parts.push(`<text x="${width / 2}" y="${height - 6}" text-anchor="middle">${esc(o.xLabel)}</text>`);
  parts.push(
    `<text x="14" y="${height / 2}" text-anchor="middle" transform="rotate(-90 14 ${height / 2})">${esc(o.yLabel)}</text>`,
  );
  series.forEach((s, i) => {
    const path = s.points.map((p, j) => `${j ? 'L' : 'M'}${px(p.x).toFixed(1)},${py(p.y).toFixed(1)}`).join(' ');
    parts.push(`<path d="${path}" fill="none" stroke="${s.colour}" stroke-width="2"/>`);
    for (const p of s.points) {
      parts.push(
        `<circle cx="${px(p.x).toFixed(1)}" cy="${py(p.y).toFixed(1)}" r="3" fill="${s.colour}"><title>${esc(s.label)}: ${fmt(p.y)}</title></circle>`,
      );
      if (p.range)
        parts.push(
          `<line x1="${px(p.x)}" x2="${px(p.x)}" y1="${py(p.range[0])}" y2="${py(p.range[1])}" stroke="${s.colour}" stroke-width="1.5"/>`,
        );
    }
    parts.push(
      `<rect x="${m.left + 10}" y="${m.top + 4 + i * 16}" width="12" height="4" fill="${s.colour}"/><text x="${m.left + 26}" y="${m.top + 10 + i * 16}">${esc(s.label)}</text>`,
    );
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">${parts.join('')}</svg>`;
}
