// summary.md: the run for people reading a CI job page or a pull request.
import type { Summary } from './summary.ts';
import { scannerLine, targetDisclaimer } from './summary.ts';
import { describeTool, missingToolsLine } from '../lib/tools/tool-inventory.ts';

const icon = { passed: '✅ passed', failed: '❌ failed', warn: '⚠️ warn', skipped: '⏭️ skipped' } as const;

export function renderSummaryMarkdown(summary: Summary): string {
  const t = summary.totals;
  const lines = [
    `# Harbor conformance run ${summary.run.id}`,
    '',
    `> ${targetDisclaimer(summary)}`,
    '',
    `- Environment: ${summary.run.environment}${summary.run.fault_profile ? ` (fault profile ${summary.run.fault_profile})` : ''}`,
    `- Started ${summary.run.started}, finished ${summary.run.finished}`,
    `- harbor-conformance ${summary.run.harness_version}`,
    `- Scanner: ${scannerLine(summary)}`,
    ...(summary.run.real_tools
      ? [
          `- Real tools: ${
            summary.run.real_tools
              .filter((t) => t.source !== 'missing')
              .map(describeTool)
              .join(', ') || 'none'
          }`,
          ...(missingToolsLine(summary.run.real_tools) ? [`- **${missingToolsLine(summary.run.real_tools)}**`] : []),
        ]
      : []),
    `- **${t.passed} passed, ${t.warn} warn, ${t.failed} failed, ${t.skipped} skipped** (${t.total} checks)`,
    '',
    '| Check | Suite | Verdict | Title | Controls | Reason | ms |',
    '|---|---|---|---|---|---|---:|',
    ...summary.checks.map((c) =>
      [c.id, c.suite, icon[c.status], c.title, c.controls.join('<br>'), c.reason ?? '', String(c.duration_ms)]
        .map(cell)
        .join(' | ')
        .replace(/^/, '| ')
        .replace(/$/, ' |'),
    ),
    '',
  ];
  return lines.join('\n');
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
