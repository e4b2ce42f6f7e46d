import { describe, expect, it } from 'vitest';
import type { LoadResult, RunMetrics } from '../results/result-schema.ts';
import { compareResults } from './compare-results.ts';
import { comparisonHtml } from './comparison-html.ts';

const run = (mbps: number): RunMetrics => ({
  durationMs: 1000,
  pulls: 10,
  requests: 50,
  bytes: mbps * 1e6,
  pullsPerSecond: 10,
  requestsPerSecond: 50,
  megabytesPerSecond: mbps,
  phases: {
    pull: {
      ttfb: { count: 10, mean: 5, p50: 5, p95: 9, p99: 9, max: 9 },
      total: { count: 10, mean: 5, p50: 5, p95: 9, p99: 9, max: 9 },
    },
  },
  errors: { total: 0, byClass: {}, byStatus: {} },
});
const result = (mbps: number, faultProfile?: string): LoadResult => ({
  schema: 'harbor-conformance/load-result@1',
  scenario: { name: 'smoke-pull', definition: {} },
  startedAt: 's',
  finishedAt: 'f',
  environment: {
    target: {
      kind: 'offline',
      version: 'v2.15.2-double',
      source: 'harbor-project',
      ...(faultProfile ? { faultProfile } : {}),
    },
    engine: { name: 'node', version: 'n' },
    machine: { hostname: 'h', platform: 'p', cpus: 2, cpuModel: 'c', memoryBytes: 1, loadAverage: [1] },
  },
  levels: [1, 4].map((concurrency) => ({
    concurrency,
    runs: [run(mbps * concurrency), run(mbps * concurrency * 1.05)],
  })),
});

describe('comparison report', () => {
  it('shows the verdict, the table, both charts and both environments', () => {
    const baseline = result(100);
    const current = result(20, 'registry-path-throttled');
    const html = comparisonHtml(
      current,
      baseline,
      compareResults(baseline, current, { throughputDropPercent: 25, p95RisePercent: 50, errorIncrease: 0 }),
    );
    expect(html).toContain('REGRESSION');
    expect(html).toMatch(/<tr class="row-regression"><td>1<\/td><td>MB\/s<\/td>/);
    expect(html.match(/<svg /g)?.length).toBe(2);
    expect(html).toContain('Throughput vs concurrency');
    expect(html).toContain('fault profile <b>registry-path-throttled</b>');
  });

  it('without a baseline it is the result alone, ready to be the next baseline', () => {
    const html = comparisonHtml(result(100));
    expect(html).toContain('this run is the new baseline');
    expect(html).not.toContain('REGRESSION');
    expect(html).not.toContain('CPU-bound');
  });

  it('says when the engine, not the target, limited a run', () => {
    const current = result(100);
    current.levels[1]!.runs[0]!.engineBusy = 0.97;
    const html = comparisonHtml(current);
    expect(html).toContain('<p class="warn">current: the load engine was CPU-bound in 1 of 4 run(s) (c=4;');
    expect(html).toContain('<td>97 %</td>');
  });
});
