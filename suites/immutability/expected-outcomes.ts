// Several attempts judged at once: each row says what was tried, what came back and what Harbor answers, and
// one failure lists every row that differs (so a report shows the whole class of paths, not the first one).
import { type Outcome, show } from './immutability-workspace.ts';

export interface Expected {
  status: number;
  code?: string;
  message?: string | RegExp;
}

export interface OutcomeRow {
  what: string;
  got: Outcome;
  want: Expected | 'accepted';
}

function matches(got: Outcome, want: Expected | 'accepted'): boolean {
  if (want === 'accepted') return got.status >= 200 && got.status < 300;
  if (got.status !== want.status) return false;
  if (want.code !== undefined && got.code !== want.code) return false;
  if (want.message === undefined) return true;
  return typeof want.message === 'string' ? got.message === want.message : want.message.test(got.message);
}

const showWant = (want: Expected | 'accepted'): string =>
  want === 'accepted'
    ? '2xx'
    : `${want.status}${want.code ? ` ${want.code}` : ''}${want.message !== undefined ? ` ${typeof want.message === 'string' ? `"${want.message}"` : String(want.message)}` : ''}`;

export function outcomeTable(rows: readonly OutcomeRow[]): string {
  return rows
    .map((r) => `${matches(r.got, r.want) ? 'ok  ' : 'FAIL'} ${r.what}: ${show(r.got)} (Harbor: ${showWant(r.want)})`)
    .join('\n');
}

/** Throws one error naming every row whose answer is not Harbor's; `context` says what the rows share. */
export function expectOutcomes(rows: readonly OutcomeRow[], context: string): void {
  const wrong = rows.filter((r) => !matches(r.got, r.want));
  if (wrong.length > 0)
    throw new Error(
      `${context}: ${wrong.length} of ${rows.length} answers differ from Harbor's\n${outcomeTable(rows)}`,
    );
}
