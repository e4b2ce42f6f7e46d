// The `performance` section of the team's policy file: what the pull-throughput suite (PERF-0xx) holds
// Harbor to. Short by default (a dozen pulls); raise `iterations` and `concurrency` for a real gate.
// The defaults are lax on purpose: they hold for the offline stack on a small shared CI machine (manifest
// GETs of seconds there); a team sets its own (a real Harbor answers manifests in tens of ms).
import { z } from 'zod';
import { parseByteSize } from '../load/scenarios/byte-size.ts';

export const pullPerformancePolicySchema = z
  .object({
    /** Concurrent pulls the thresholds hold at. */
    concurrency: z.number().int().min(1).max(256).default(2),
    /** Pulls measured (bounded; the run also stops after `maxSeconds`). */
    iterations: z.number().int().min(1).max(100_000).default(12),
    /**
     * No pull starts after this many seconds (pulls in flight finish) and no request may take longer. 30 s: a
     * healthy Harbor makes the 12 pulls in a few seconds, and one pull slower than `pullP95Ms` is already seen.
     */
    maxSeconds: z.number().int().min(5).max(3600).default(30),
    /** Size of the single layer pulled, e.g. "4MiB". */
    layerSize: z
      .string()
      .default('4MiB')
      .refine((s) => (parseByteSize(s) ?? 0) >= 1024, { error: 'a size such as "4MiB" (at least 1KiB)' }),
    /** PERF-001: p95 of manifest GET (by tag) in ms. */
    manifestGetP95Ms: z.number().positive().default(5500),
    /** PERF-002: every blob streams at least this fast (its size over its p95 time), MB/s. */
    minBlobMBps: z.number().positive().default(0.5),
    /** PERF-003: p95 of a whole pull (token to last layer) in ms, with no error of any class. */
    pullP95Ms: z.number().positive().default(30000),
  })
  .strict();

export type PullPerformancePolicy = z.infer<typeof pullPerformancePolicySchema>;
export const defaultPullPerformancePolicy: PullPerformancePolicy = pullPerformancePolicySchema.parse({});
