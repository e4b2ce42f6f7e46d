// Writes summary.json, summary.md and summary.html into the run directory.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Summary } from './summary.ts';
import { renderSummaryHtml } from './summary-html.ts';
import { renderSummaryMarkdown } from './summary-markdown.ts';

export async function writeSummaries(runDir: string, summary: Summary): Promise<string[]> {
  await mkdir(runDir, { recursive: true });
  const files = {
    'summary.json': `${JSON.stringify(summary, null, 2)}\n`,
    'summary.md': renderSummaryMarkdown(summary),
    'summary.html': renderSummaryHtml(summary),
  };
  for (const [name, content] of Object.entries(files)) await writeFile(join(runDir, name), content);
  return Object.keys(files).map((name) => join(runDir, name));
}
