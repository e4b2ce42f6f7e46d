// The node-fallback table a person reads: Harbor's answer → where the node got the image → verdict.
import type { JudgedRow } from './fallback-verdict.ts';

export const SCENARIO_TITLES: Record<string, string> = {
  healthy: 'healthy (200)',
  stopped: 'stopped (connection refused)',
  'black-holed': 'black-holed (accepts, never answers)',
  'bad-credentials': '401: bad credentials',
  'no-pull-permission': '403: robot without pull permission',
  'ingress-forbidden': '403: ingress allow-list (front)',
  'not-found': '404: image missing in the project',
  vulnerable: '412: vulnerable image, prevent_vul',
  unsigned: '412: unsigned image, cosign content trust',
  'server-error': '500: core error (masked UNKNOWN)',
  'bad-gateway': '502: front, core down',
};

const cell = (text: string) => text.replace(/\|/g, '\\|');

export function renderFallbackTable(rows: readonly JudgedRow[]): string {
  const header = [
    'containerd',
    'mirrors',
    'Harbor answer',
    'Harbor answered (manifests)',
    'pull',
    'manifest from',
    'blobs from',
    'time',
    'expected',
    'verdict',
  ];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const row of rows) {
    const { run, facts } = row;
    lines.push(
      `| ${[
        run.containerd,
        run.mirrors === 'harbor-only' ? 'Harbor only' : 'Harbor, upstream',
        SCENARIO_TITLES[run.scenario] ?? run.scenario,
        facts.harborAnswers.join('; ') || (run.scenario === 'stopped' ? 'connection refused' : 'no request'),
        run.pulled ? 'succeeded' : run.timedOut ? 'no answer at the bound' : 'failed',
        facts.manifestFrom ??
          (facts.source !== 'none' ? `${facts.source} (tag resolved there; stopped at the bound)` : '—'),
        facts.blobsFrom.join(' + ') || '—',
        `${(run.ms / 1000).toFixed(1)} s`,
        row.expected,
        `${row.verdict}${row.bypass ? ' (refused image pulled from upstream)' : ''}`,
      ]
        .map(cell)
        .join(' | ')} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}
