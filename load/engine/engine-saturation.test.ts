import { describe, expect, it } from 'vitest';
import type { LoadResult, RunMetrics } from '../results/result-schema.ts';
import { isEngineBound, saturationNote } from './engine-saturation.ts';

const run = (engineBusy?: number): RunMetrics => ({
  durationMs: 1000,
  pulls: 1,
  requests: 1,
  bytes: 1,
  pullsPerSecond: 1,
  requestsPerSecond: 1,
  megabytesPerSecond: 1,
  ...(engineBusy === undefined ? {} : { engineBusy }),
  phases: {},
  errors: { total: 0, byClass: {}, byStatus: {} },
});
const result = (levels: Array<[number, Array<number | undefined>]>) =>
  ({ levels: levels.map(([concurrency, runs]) => ({ concurrency, runs: runs.map(run) })) }) as unknown as LoadResult;

describe('engine saturation', () => {
  it('counts a run as engine-bound from 90 % busy; results of engines without the figure never are', () => {
    expect(isEngineBound(run(0.9))).toBe(true);
    expect(isEngineBound(run(0.89))).toBe(false);
    expect(isEngineBound(run())).toBe(false);
  });

  it('names the bound runs, their levels and the busiest worker, or says nothing', () => {
    expect(saturationNote(result([[4, [0.2, 0.5]]]), 'current')).toBeUndefined();
    const note = saturationNote(
      result([
        [1, [0.3]],
        [8, [0.95, 0.97]],
        [16, [0.99]],
      ]),
      'current',
    );
    expect(note).toContain('current: the load engine was CPU-bound in 3 of 4 run(s) (c=8, 16; busiest worker 99 %');
  });
});
