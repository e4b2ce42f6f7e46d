import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resultSchema } from '../results/result-schema.ts';
import { loadScenario } from '../scenarios/load-scenario.ts';
import { K6_SUMMARY_MARKER } from './k6-script.ts';
import { k6SummariesToResult, parseK6Summary } from './k6-summary.ts';

const summaryText = readFileSync(new URL('./testdata/smoke-pull.k6-summary.json', import.meta.url), 'utf8');
const info = {
  target: { kind: 'offline', version: 'v2.15.2-double', source: 'harbor-project' },
  engine: 'k6' as const,
  version: 'k6 v1.8.1',
  startedAt: 't0',
  finishedAt: 't1',
};

describe('k6 summary → result schema', () => {
  it('converts the per-level sub-metrics of a k6 summary into a valid result', () => {
    const scenario = loadScenario('smoke-pull');
    const result = k6SummariesToResult([parseK6Summary(summaryText, 'fixture')], scenario, info);
    expect(resultSchema.safeParse(result).success).toBe(true);
    expect(result.levels.map((l) => l.concurrency)).toEqual([1, 4]);
    const [one, four] = result.levels.map((l) => l.runs[0]!);
    expect(one).toMatchObject({ pulls: 27, requests: 162, durationMs: 3050.7, errors: { total: 0, byClass: {} } });
    expect(one!.pullsPerSecond).toBeCloseTo(27 / 3.0507, 2);
    expect(one!.megabytesPerSecond).toBeCloseTo((27 * 1050424 + 27 * 2200) / 1e6 / 3.0507, 2);
    expect(one!.phases['manifest-head']?.total).toMatchObject({ count: 27, p50: 3.5, p95: 8, p99: 9, max: 12 });
    expect(one!.phases.blob?.total.count).toBe(54);
    expect(four).toMatchObject({ pulls: 49, errors: { total: 2, byClass: { timeout: 2 } } });
    expect(four!.phases.pull?.total.p95).toBeCloseTo(190 * 2.2, 3);
  });

  it('reads the summary from a runner log line after the marker', () => {
    const log = `time="…" level=info msg="running"\n${K6_SUMMARY_MARKER}${JSON.stringify(JSON.parse(summaryText))}\n`;
    expect(Object.keys(parseK6Summary(log, 'runner log').metrics)).toContain('hc_pulls{level:4}');
  });

  it('refuses what is not a summary, naming the source', () => {
    expect(() => parseK6Summary('{"metrics": 3}', 'summary.json')).toThrow(/^summary\.json: not a k6 summary/);
    expect(() => parseK6Summary('garbage', 'runner pod r-1')).toThrow(/^runner pod r-1: not a k6 summary/);
  });
});
