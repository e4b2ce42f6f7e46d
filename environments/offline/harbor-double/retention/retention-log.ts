// The retention task log as jobservice writes it (goharbor/harbor src/pkg/retention/job.go logResults@v2.15.2):
// log lines `<RFC3339> [LEVEL] [/pkg/retention/job.go:<line>]: <message>` and the candidate table rendered by
// olekukonko/tablewriter v0 with borders left and right only, "|" as centre separator, headers centred and
// cells padded by one space; numbers are right-aligned, everything else left-aligned (tablewriter's default
// alignment). Times are `2006/01/02 15:04:05` in the job's local zone (UTC in the official images), empty
// for a time at or before the epoch.
import type { RetentionCandidate } from './retention-evaluation.ts';

export type LogMark = 'RETAIN' | 'DEL' | 'ERR' | 'IMMUTABLE';

const HEADER = ['Digest', 'Tag', 'Kind', 'Labels', 'PushedTime', 'PulledTime', 'CreatedTime', 'Retention'];
const NUMBER = /^-?(?:\d{1,3}(?:,\d{3})*|\d+)(?:\.\d+)?$/;

/** job.go t(): Unix seconds as `2006/01/02 15:04:05`, '' when not after the epoch. */
export function tableTime(unixSeconds: number): string {
  if (unixSeconds <= 0) return '';
  const d = new Date(unixSeconds * 1000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

function centre(text: string, width: number): string {
  const gap = width - text.length;
  const left = Math.floor(gap / 2);
  return ' '.repeat(left) + text + ' '.repeat(gap - left);
}

export function renderRetentionTable(
  candidates: readonly RetentionCandidate[],
  marks: ReadonlyMap<string, LogMark>,
): string {
  const rows = candidates.map((c) => [
    c.digest,
    c.tags.join(','),
    'image',
    '',
    tableTime(c.pushedTime),
    tableTime(c.pulledTime),
    tableTime(c.creationTime),
    marks.get(c.digest) ?? 'RETAIN',
  ]);
  const widths = HEADER.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const lines = [
    line(HEADER.map((h, i) => centre(h, widths[i]!))),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.map((r) =>
      line(r.map((cell, i) => (NUMBER.test(cell) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))),
    ),
  ];
  return `${lines.join('\n')}\n`;
}

/** One jobservice log line. */
export function logLine(at: Date, level: 'INFO' | 'ERROR', line: number, message: string): string {
  return `${at.toISOString().replace(/\.\d{3}Z$/, 'Z')} [${level}] [/pkg/retention/job.go:${line}]: ${message}\n`;
}
