// Reads the candidate table of a retention task log, as jobservice prints it (goharbor/harbor
// src/pkg/retention/job.go logResults@v2.15.2, olekukonko/tablewriter): a header row naming Digest, Tag, …,
// Retention, a row of dashes, then one row per candidate with RETAIN, DEL, ERR or IMMUTABLE.
export interface LoggedCandidate {
  digest: string;
  tags: string[];
  pushedTime: string;
  pulledTime: string;
  retention: string;
}

const cellsOf = (line: string) =>
  line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((cell) => cell.trim());

/** The rows of the first candidate table in the log; an empty list when there is none. */
export function parseTaskLogTable(log: string): LoggedCandidate[] {
  const lines = log.split('\n').map((l) => l.trim());
  const headerAt = lines.findIndex((l) => l.startsWith('|') && /\bDigest\b/.test(l) && /\bRetention\b/.test(l));
  if (headerAt < 0) return [];
  const header = cellsOf(lines[headerAt]!);
  const column = (name: string) => header.indexOf(name);
  const rows: LoggedCandidate[] = [];
  for (const line of lines.slice(headerAt + 1)) {
    if (!line.startsWith('|')) break;
    if (/^\|[-|+\s]+\|?$/.test(line)) continue;
    const cells = cellsOf(line);
    const cell = (name: string) => cells[column(name)] ?? '';
    rows.push({
      digest: cell('Digest'),
      tags: cell('Tag') === '' ? [] : cell('Tag').split(','),
      pushedTime: cell('PushedTime'),
      pulledTime: cell('PulledTime'),
      retention: cell('Retention'),
    });
  }
  return rows;
}
