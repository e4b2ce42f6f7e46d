// The short table `run` prints at the end: check id, verdict, controls.
import type { Summary } from './summary.ts';
import { targetDisclaimer } from './summary.ts';

export function renderVerdictTable(summary: Summary, options: { color?: boolean } = {}): string {
  const paint = (status: string, text: string) => {
    if (!options.color) return text;
    const code = { passed: 32, failed: 31, warn: 33, skipped: 90 }[status] ?? 0;
    return `\u001b[${code}m${text}\u001b[0m`;
  };
  const idWidth = Math.max(5, ...summary.checks.map((c) => c.id.length));
  const lines = [`${'CHECK'.padEnd(idWidth)}  ${'VERDICT'.padEnd(7)}  CONTROLS`];
  for (const c of summary.checks) {
    lines.push(`${c.id.padEnd(idWidth)}  ${paint(c.status, c.status.padEnd(7))}  ${c.controls.join(', ')}`);
    if (c.reason && c.status !== 'passed') lines.push(`${''.padEnd(idWidth)}  ${''.padEnd(7)}  ↳ ${c.reason}`);
  }
  const t = summary.totals;
  lines.push(
    '',
    `${t.passed} passed, ${t.warn} warn, ${t.failed} failed, ${t.skipped} skipped — ${targetDisclaimer(summary)}`,
  );
  return lines.join('\n');
}
