// A k6 summary (handleSummary's data, as the generated script writes it) in the harness's result schema:
// one summary per repeated run; per level, the `{level:N}` sub-metrics the script's thresholds keep.
// k6 has no HDR histograms to hand over: distributions carry its percentiles only (no `hdr`).
import { z } from 'zod';
import { machineInfo } from '../results/environment-info.ts';
import {
  errorClasses,
  type Distribution,
  type ErrorClass,
  type LoadResult,
  type PhaseName,
  type RunMetrics,
} from '../results/result-schema.ts';
import type { Scenario } from '../scenarios/scenario-schema.ts';
import { K6_SUMMARY_MARKER, k6Phases } from './k6-script.ts';

const metricSchema = z.object({ type: z.string(), values: z.record(z.string(), z.number()) });
export const k6SummarySchema = z.object({
  metrics: z.record(z.string(), metricSchema),
  state: z.object({ testRunDurationMs: z.number() }).optional(),
});
export type K6Summary = z.infer<typeof k6SummarySchema>;

const phaseOf: Record<(typeof k6Phases)[number], PhaseName> = {
  token: 'token',
  manifest_head: 'manifest-head',
  manifest_get: 'manifest-get',
  config: 'config',
  blob: 'blob',
  pull: 'pull',
};

/** The summary JSON from a runner's stdout (the line after the marker), or from hc-k6-summary.json. */
export function parseK6Summary(text: string, source: string): K6Summary {
  const line = text.split('\n').find((l) => l.startsWith(K6_SUMMARY_MARKER));
  const json = line ? line.slice(K6_SUMMARY_MARKER.length) : text;
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new Error(`${source}: not a k6 summary (${(error as Error).message})`);
  }
  const parsed = k6SummarySchema.safeParse(raw);
  if (!parsed.success)
    throw new Error(
      `${source}: not a k6 summary: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}

function distribution(values: Record<string, number> | undefined): Distribution | undefined {
  if (!values?.['count']) return undefined;
  const v = (k: string) => +(values[k] ?? 0).toFixed(3);
  return {
    count: values['count'] ?? 0,
    mean: v('avg'),
    p50: v('med'),
    p95: v('p(95)'),
    p99: v('p(99)'),
    max: v('max'),
  };
}

function count(summary: K6Summary, name: string): number {
  return summary.metrics[name]?.values['count'] ?? 0;
}

export function runFromK6Summary(summary: K6Summary, scenario: Scenario, concurrency: number): RunMetrics {
  const tag = `level:${concurrency}`;
  const phases: RunMetrics['phases'] = {};
  for (const phase of k6Phases) {
    const ttfb = distribution(summary.metrics[`hc_${phase}_ttfb{${tag}}`]?.values);
    const total = distribution(summary.metrics[`hc_${phase}_total{${tag}}`]?.values);
    if (ttfb && total) phases[phaseOf[phase]] = { ttfb, total };
  }
  const byClass: Partial<Record<ErrorClass, number>> = {};
  for (const cls of errorClasses) {
    const n = count(summary, `hc_errors{${tag},class:${cls}}`);
    if (n) byClass[cls] = n;
  }
  // The level's wall time: the longest elapsed time a VU reported, else the scenario's duration.
  const elapsedMs =
    summary.metrics[`hc_level_elapsed_ms{${tag}}`]?.values['max'] ??
    scenario.duration ??
    summary.state?.testRunDurationMs ??
    1;
  const seconds = Math.max(elapsedMs, 1) / 1000;
  const pulls = count(summary, `hc_pulls{${tag}}`);
  const requests = count(summary, `hc_requests{${tag}}`);
  const bytes = count(summary, `hc_bytes{${tag}}`);
  return {
    durationMs: +elapsedMs.toFixed(1),
    pulls,
    requests,
    bytes,
    pullsPerSecond: +(pulls / seconds).toFixed(3),
    requestsPerSecond: +(requests / seconds).toFixed(3),
    megabytesPerSecond: +(bytes / 1e6 / seconds).toFixed(3),
    phases,
    errors: { total: count(summary, `hc_errors{${tag}}`), byClass, byStatus: {} },
  };
}

export function k6SummariesToResult(
  summaries: K6Summary[],
  scenario: Scenario,
  info: {
    target: LoadResult['environment']['target'];
    engine: 'k6' | 'k6-operator';
    version: string;
    startedAt: string;
    finishedAt: string;
  },
): LoadResult {
  return {
    schema: 'harbor-conformance/load-result@1',
    scenario: { name: scenario.name, definition: scenario },
    startedAt: info.startedAt,
    finishedAt: info.finishedAt,
    environment: { target: info.target, engine: { name: info.engine, version: info.version }, machine: machineInfo() },
    levels: scenario.concurrency.map((c) => ({
      concurrency: c,
      runs: summaries.map((s) => runFromK6Summary(s, scenario, c)),
    })),
  };
}
