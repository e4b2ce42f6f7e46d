// Baseline against current, metric by metric and level by level, with tolerances that account for the
// spread between repeated runs: a difference counts only beyond the tolerance AND beyond the noise
// (two standard errors of the difference of the means). Errors may not rise.
import { phaseNames, type LoadResult, type PhaseName, type RunMetrics } from '../results/result-schema.ts';

export interface Tolerances {
  throughputDropPercent: number;
  p95RisePercent: number;
  errorIncrease: number;
}

/** p95 changes below this many ms are never regressions (timer and scheduler jitter on loopback). */
export const P95_FLOOR_MS = 2;

export interface Sample {
  mean: number;
  stddev: number;
  min: number;
  max: number;
  n: number;
}

export interface ComparisonRow {
  concurrency: number;
  metric: string;
  better: 'higher' | 'lower';
  baseline: Sample;
  current: Sample;
  /** The value the current mean may not cross. */
  limit: number;
  changePercent: number;
  verdict: 'ok' | 'regression' | 'improved';
}

export interface Comparison {
  rows: ComparisonRow[];
  regressions: ComparisonRow[];
  /** Levels only one side measured. */
  unmatchedLevels: number[];
}

export function sample(values: number[]): Sample {
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / Math.max(1, n);
  const variance = n > 1 ? values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1) : 0;
  return { mean, stddev: Math.sqrt(variance), min: Math.min(...values), max: Math.max(...values), n };
}

const noise = (a: Sample, b: Sample) => 2 * Math.sqrt(a.stddev ** 2 / a.n + b.stddev ** 2 / b.n);

type Extractor = {
  metric: string;
  better: 'higher' | 'lower';
  value: (r: RunMetrics) => number | undefined;
  kind: 'throughput' | 'p95' | 'errors';
};

function extractors(): Extractor[] {
  const list: Extractor[] = [
    { metric: 'MB/s', better: 'higher', value: (r) => r.megabytesPerSecond, kind: 'throughput' },
    { metric: 'pulls/s', better: 'higher', value: (r) => r.pullsPerSecond, kind: 'throughput' },
    { metric: 'errors per run', better: 'lower', value: (r) => r.errors.total, kind: 'errors' },
  ];
  for (const phase of phaseNames) {
    list.push({
      metric: `${phase} p95 ms`,
      better: 'lower',
      value: (r) => r.phases[phase as PhaseName]?.total.p95,
      kind: 'p95',
    });
  }
  return list;
}

function judge(
  e: Extractor,
  baseline: Sample,
  current: Sample,
  t: Tolerances,
): { limit: number; verdict: ComparisonRow['verdict'] } {
  const margin = noise(baseline, current);
  if (e.kind === 'errors') {
    const limit = baseline.mean + t.errorIncrease;
    return { limit, verdict: current.mean > limit ? 'regression' : current.mean < baseline.mean ? 'improved' : 'ok' };
  }
  if (e.better === 'higher') {
    const limit = baseline.mean * (1 - t.throughputDropPercent / 100) - margin;
    const better = current.mean > baseline.mean * (1 + t.throughputDropPercent / 100) + margin;
    return { limit, verdict: current.mean < limit ? 'regression' : better ? 'improved' : 'ok' };
  }
  const limit = Math.max(baseline.mean * (1 + t.p95RisePercent / 100), baseline.mean + P95_FLOOR_MS) + margin;
  const better = current.mean < baseline.mean * (1 - t.p95RisePercent / 100) - margin - P95_FLOOR_MS;
  return { limit, verdict: current.mean > limit ? 'regression' : better ? 'improved' : 'ok' };
}

export function compareResults(baseline: LoadResult, current: LoadResult, tolerances: Tolerances): Comparison {
  const rows: ComparisonRow[] = [];
  const baseLevels = new Map(baseline.levels.map((l) => [l.concurrency, l.runs]));
  const currentLevels = new Map(current.levels.map((l) => [l.concurrency, l.runs]));
  const unmatchedLevels = [...new Set([...baseLevels.keys(), ...currentLevels.keys()])].filter(
    (c) => !baseLevels.has(c) || !currentLevels.has(c),
  );
  for (const [concurrency, currentRuns] of currentLevels) {
    const baseRuns = baseLevels.get(concurrency);
    if (!baseRuns) continue;
    for (const e of extractors()) {
      const b = baseRuns.map(e.value).filter((v): v is number => v !== undefined);
      const c = currentRuns.map(e.value).filter((v): v is number => v !== undefined);
      if (b.length === 0 || c.length === 0) continue;
      const bs = sample(b);
      const cs = sample(c);
      const { limit, verdict } = judge(e, bs, cs, tolerances);
      rows.push({
        concurrency,
        metric: e.metric,
        better: e.better,
        baseline: bs,
        current: cs,
        limit,
        changePercent: bs.mean === 0 ? (cs.mean === 0 ? 0 : 100) : ((cs.mean - bs.mean) / bs.mean) * 100,
        verdict,
      });
    }
  }
  return { rows, regressions: rows.filter((r) => r.verdict === 'regression'), unmatchedLevels };
}
