// HDR histograms per phase (TTFB and total, microseconds), encodable so worker threads hand them over.
import * as hdr from 'hdr-histogram-js';
import type { Histogram } from 'hdr-histogram-js';
import { phaseNames, type Distribution, type PhaseMetrics, type PhaseName } from '../results/result-schema.ts';

const newHistogram = (): Histogram =>
  hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 60 * 60 * 1e6,
    numberOfSignificantValueDigits: 3,
    autoResize: true,
  });

export type EncodedPhases = Partial<Record<PhaseName, { ttfb: string; total: string }>>;

export class PhaseHistograms {
  private readonly phases = new Map<PhaseName, { ttfb: Histogram; total: Histogram }>();

  private of(phase: PhaseName): { ttfb: Histogram; total: Histogram } {
    let entry = this.phases.get(phase);
    if (!entry) {
      entry = { ttfb: newHistogram(), total: newHistogram() };
      this.phases.set(phase, entry);
    }
    return entry;
  }

  /** Times in milliseconds (performance.now() differences). */
  record(phase: PhaseName, ttfbMs: number, totalMs: number): void {
    const entry = this.of(phase);
    entry.ttfb.recordValue(Math.max(1, Math.round(ttfbMs * 1000)));
    entry.total.recordValue(Math.max(1, Math.round(totalMs * 1000)));
  }

  encode(): EncodedPhases {
    const out: EncodedPhases = {};
    for (const [phase, { ttfb, total }] of this.phases) {
      out[phase] = { ttfb: hdr.encodeIntoCompressedBase64(ttfb), total: hdr.encodeIntoCompressedBase64(total) };
    }
    return out;
  }

  add(encoded: EncodedPhases): void {
    for (const phase of phaseNames) {
      const e = encoded[phase];
      if (!e) continue;
      const entry = this.of(phase);
      entry.ttfb.add(hdr.decodeFromCompressedBase64(e.ttfb));
      entry.total.add(hdr.decodeFromCompressedBase64(e.total));
    }
  }

  metrics(): Partial<Record<PhaseName, PhaseMetrics>> {
    const out: Partial<Record<PhaseName, PhaseMetrics>> = {};
    for (const phase of phaseNames) {
      const entry = this.phases.get(phase);
      if (entry) out[phase] = { ttfb: distribution(entry.ttfb), total: distribution(entry.total) };
    }
    return out;
  }
}

const ms = (us: number) => +(us / 1000).toFixed(3);

export function distribution(h: Histogram): Distribution {
  return {
    count: h.totalCount,
    mean: ms(h.totalCount ? h.mean : 0),
    p50: ms(h.getValueAtPercentile(50)),
    p95: ms(h.getValueAtPercentile(95)),
    p99: ms(h.getValueAtPercentile(99)),
    max: ms(h.maxValue),
    hdr: hdr.encodeIntoCompressedBase64(h),
  };
}

/** The latency (ms) at each percentile, for the distribution picture. */
export function percentileCurve(encoded: string, percentiles: readonly number[]): number[] {
  const h = hdr.decodeFromCompressedBase64(encoded);
  return percentiles.map((p) => ms(h.getValueAtPercentile(p)));
}
