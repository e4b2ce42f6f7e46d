// Pull throughput against the team's policy (policy file, `performance`): a short, bounded load run on the
// node engine (127.0.0.1 or the target's URL only), judged phase by phase.
import { afterAll, describe, expect } from 'vitest';
import { busyPercent, isEngineBound } from '../../load/engine/engine-saturation.ts';
import { defineCheck, type CheckContext } from '../check.ts';
import { catalog } from './catalog.ts';
import { measurePulls, removeMeasurementWorkspace, type PullMeasurement } from './pull-measurement.ts';

async function measured(ctx: CheckContext): Promise<PullMeasurement> {
  const policy = ctx.policy.performance;
  const m = await ctx.step(
    `${policy.iterations} pulls of a ${policy.layerSize} image at concurrency ${policy.concurrency}`,
    () => measurePulls(ctx.target, ctx.runId, policy),
  );
  for (const s of m.secrets) ctx.secret(s);
  const r = m.run.metrics;
  ctx.evidence.note(
    'throughput',
    `${r.pulls} pulls in ${(r.durationMs / 1000).toFixed(1)} s: ${r.pullsPerSecond} pulls/s, ${r.requestsPerSecond} requests/s, ${r.megabytesPerSecond} MB/s, ${m.run.workers} worker(s), engine busy ${busyPercent(r.engineBusy ?? 0)}${isEngineBound(r) ? " — CPU-bound: these figures are the load engine's limit on this machine, not the target's" : ''}`,
  );
  const phases = Object.fromEntries(
    Object.entries(r.phases).map(([phase, p]) => [
      phase,
      {
        ttfb: { p50: p.ttfb.p50, p95: p.ttfb.p95 },
        total: { p50: p.total.p50, p95: p.total.p95, p99: p.total.p99, max: p.total.max, count: p.total.count },
      },
    ]),
  );
  ctx.evidence.note('phases (ms)', JSON.stringify(phases));
  ctx.evidence.note(
    'errors',
    JSON.stringify({ ...r.errors, ...(m.run.firstError ? { first: m.run.firstError } : {}) }),
  );
  return m;
}

describe('pull-throughput', () => {
  afterAll(() => removeMeasurementWorkspace());

  defineCheck(
    catalog.manifestLatency,
    async (ctx) => {
      const m = await measured(ctx);
      const manifest = m.run.metrics.phases['manifest-get']?.total;
      expect(
        manifest?.count ?? 0,
        `manifest GETs measured (first error: ${m.run.firstError ?? 'none'})`,
      ).toBeGreaterThan(0);
      expect(
        manifest?.p95,
        `manifest GET p95 (ms) at ${m.policy.concurrency} concurrent pulls, policy limit ${m.policy.manifestGetP95Ms}`,
      ).toBeLessThanOrEqual(m.policy.manifestGetP95Ms);
    },
    { timeoutMs: catalog.manifestLatency.timeoutMs },
  );

  defineCheck(
    catalog.blobRate,
    async (ctx) => {
      const m = await measured(ctx);
      const blob = m.run.metrics.phases.blob?.total;
      expect(blob?.count ?? 0, `blobs measured (first error: ${m.run.firstError ?? 'none'})`).toBeGreaterThan(0);
      const rate = m.layerBytes / 1e6 / ((blob?.p95 ?? Infinity) / 1000);
      ctx.evidence.note('blob rate at p95 (MB/s)', rate.toFixed(2));
      expect(
        rate,
        `MB/s of a ${m.policy.layerSize} blob at its p95 time (${blob?.p95} ms), policy minimum ${m.policy.minBlobMBps}`,
      ).toBeGreaterThanOrEqual(m.policy.minBlobMBps);
    },
    { timeoutMs: catalog.blobRate.timeoutMs },
  );

  defineCheck(
    catalog.pullTime,
    async (ctx) => {
      const m = await measured(ctx);
      const r = m.run.metrics;
      expect(r.errors, `errors by class (first: ${m.run.firstError ?? 'none'})`).toMatchObject({ total: 0 });
      expect(r.pulls, 'pulls completed').toBe(m.policy.iterations);
      expect(r.phases.pull?.total.p95, `pull p95 (ms), policy limit ${m.policy.pullP95Ms}`).toBeLessThanOrEqual(
        m.policy.pullP95Ms,
      );
    },
    { timeoutMs: catalog.pullTime.timeoutMs },
  );
});
