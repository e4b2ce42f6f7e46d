import { describe, expect, it } from 'vitest';
import type { LoadResult, RunMetrics } from '../results/result-schema.ts';
import { compareResults, sample } from './compare-results.ts';

const tolerances = { throughputDropPercent: 20, p95RisePercent: 50, errorIncrease: 0 };
const dist = (p95: number) => ({ count: 10, mean: p95 / 2, p50: p95 / 2, p95, p99: p95, max: p95 });
function run(mbps: number, blobP95: number, errors = 0): RunMetrics {
  return {
    durationMs: 1000,
    pulls: 10,
    requests: 50,
    bytes: mbps * 1e6,
    pullsPerSecond: mbps / 10,
    requestsPerSecond: 50,
    megabytesPerSecond: mbps,
    phases: { blob: { ttfb: dist(blobP95 / 4), total: dist(blobP95) } },
    errors: { total: errors, byClass: errors ? { timeout: errors } : {}, byStatus: {} },
  };
}
function result(levels: Array<[number, RunMetrics[]]>): LoadResult {
  return {
    schema: 'harbor-conformance/load-result@1',
    scenario: { name: 's', definition: {} },
    startedAt: '',
    finishedAt: '',
    environment: {
      target: { kind: 'offline', version: 'v', source: 'harbor-project' },
      engine: { name: 'node', version: 'x' },
      machine: { hostname: 'h', platform: 'p', cpus: 2, cpuModel: 'c', memoryBytes: 1, loadAverage: [] },
    },
    levels: levels.map(([concurrency, runs]) => ({ concurrency, runs })),
  };
}

describe('compareResults', () => {
  const baseline = result([
    [1, [run(100, 40), run(110, 44), run(90, 36)]],
    [4, [run(300, 80), run(320, 90), run(280, 70)]],
  ]);

  it('passes a rerun within the spread', () => {
    const rerun = result([
      [1, [run(95, 42), run(105, 47), run(88, 40)]],
      [4, [run(270, 95), run(300, 85), run(260, 100)]],
    ]);
    const c = compareResults(baseline, rerun, tolerances);
    expect(c.regressions).toEqual([]);
    expect(c.rows.length).toBeGreaterThan(4);
  });

  it('flags a throughput drop and a p95 rise beyond tolerance and noise', () => {
    const throttled = result([
      [1, [run(20, 400), run(22, 380), run(19, 420)]],
      [4, [run(40, 900), run(41, 950), run(39, 880)]],
    ]);
    const c = compareResults(baseline, throttled, tolerances);
    expect(c.regressions.map((r) => `${r.concurrency} ${r.metric}`)).toEqual(
      expect.arrayContaining(['1 MB/s', '4 MB/s', '1 blob p95 ms', '4 pulls/s']),
    );
  });

  it('widens the limit by the spread of the runs: a noisy baseline does not flag a 35 % drop that a steady one flags', () => {
    const noisy = result([[1, [run(40, 40), run(160, 40), run(100, 40)]]]);
    const lower = result([[1, [run(65, 40), run(60, 40), run(70, 40)]]]);
    expect(compareResults(noisy, lower, tolerances).regressions).toEqual([]);
    const steady = result([[1, [run(100, 40), run(101, 40), run(99, 40)]]]);
    expect(compareResults(steady, lower, tolerances).regressions.map((r) => r.metric)).toContain('MB/s');
  });

  it('errors may not rise', () => {
    const c = compareResults(baseline, result([[1, [run(100, 40, 1), run(110, 44), run(90, 36)]]]), tolerances);
    expect(c.regressions.map((r) => r.metric)).toEqual(['errors per run']);
    expect(c.unmatchedLevels).toEqual([4]);
  });

  it('computes a sample spread', () => {
    expect(sample([1, 2, 3])).toMatchObject({ mean: 2, stddev: 1, min: 1, max: 3, n: 3 });
  });
});
