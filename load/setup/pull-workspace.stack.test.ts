// The node engine against the offline stack: a scenario's workspace is set up, pulled through Harbor by a
// pull-only robot (every phase timed, every blob digest-checked), and removed.
import { inject, describe, expect, it } from 'vitest';
import { runLoad } from '../engine/node-engine.ts';
import { parseScenario } from '../scenarios/load-scenario.ts';
import { preparePullWorkspace } from './pull-workspace.ts';

const target = inject('target');

describe('pull workspace on the offline stack', () => {
  it('pulls an index and its child through Harbor with token auth, phases timed apart, no error', async () => {
    const scenario = parseScenario(
      {
        name: 'stack-smoke',
        artifacts: { count: 2, layers: ['1KiB', '1MiB'], kind: 'index' },
        concurrency: 2,
        iterations: 4,
        duration: '60s',
        repeats: 1,
      },
      'test',
    );
    const ws = await preparePullWorkspace({ target, scenario, project: `${target.runId}-loadtest` });
    try {
      expect(ws.endpoint.auth.kind).toBe('token');
      const run = await runLoad(
        {
          kind: 'pull',
          endpoint: ws.endpoint,
          artifacts: ws.artifacts,
          connection: 'new-per-pull',
          redirects: 'follow',
          requestTimeoutMs: 60_000,
        },
        { concurrency: 2, iterations: 4, durationMs: 120_000 },
      );
      expect(run.firstError).toBeUndefined();
      expect(run.metrics.pulls).toBe(4);
      const p = run.metrics.phases;
      expect(p.token?.total.count).toBe(4);
      expect(p['manifest-head']?.total.count).toBe(4);
      expect(p['manifest-get']?.total.count).toBe(8); // index + child
      expect(p.config?.total.count).toBe(4);
      expect(p.blob?.total.count).toBe(8);
      expect(run.metrics.bytes).toBeGreaterThan(4 * 1024 * 1024);
    } finally {
      await ws.remove();
    }
  }, 300_000);
});
