// One result schema for every engine (node, k6, k6-operator): what `bench` writes, compares and pictures.
// Latencies are milliseconds; `hdr` (when the engine has it) is the HDR histogram of microseconds,
// compressed base64 (hdr-histogram-js encodeIntoCompressedBase64), so runs can be merged and re-read.
import { z } from 'zod';

export const phaseNames = ['token', 'manifest-head', 'manifest-get', 'config', 'blob', 'pull'] as const;
export type PhaseName = (typeof phaseNames)[number];

export const errorClasses = ['http-status', 'reset', 'timeout', 'digest-mismatch', 'other'] as const;
export type ErrorClass = (typeof errorClasses)[number];

export const distributionSchema = z.object({
  count: z.number().int().min(0),
  mean: z.number(),
  p50: z.number(),
  p95: z.number(),
  p99: z.number(),
  max: z.number(),
  hdr: z.string().optional(),
});
export type Distribution = z.infer<typeof distributionSchema>;

export const phaseMetricsSchema = z.object({ ttfb: distributionSchema, total: distributionSchema });
export type PhaseMetrics = z.infer<typeof phaseMetricsSchema>;

export const runMetricsSchema = z.object({
  durationMs: z.number(),
  pulls: z.number().int(),
  requests: z.number().int(),
  bytes: z.number(),
  pullsPerSecond: z.number(),
  requestsPerSecond: z.number(),
  megabytesPerSecond: z.number(),
  phases: z.partialRecord(z.enum(phaseNames), phaseMetricsSchema),
  /**
   * The busiest load worker's event-loop utilisation over the run, 0..1 (node engine only): near 1, the
   * engine and not the target limited the run (load/engine/engine-saturation.ts).
   */
  engineBusy: z.number().min(0).max(1).optional(),
  /** Counts per class; `byStatus` breaks http-status down ("404": 3). */
  errors: z.object({
    total: z.number().int(),
    byClass: z.partialRecord(z.enum(errorClasses), z.number().int()),
    byStatus: z.record(z.string(), z.number().int()).default({}),
  }),
});
export type RunMetrics = z.infer<typeof runMetricsSchema>;

export const environmentSchema = z.object({
  target: z.object({ kind: z.string(), version: z.string(), source: z.string(), faultProfile: z.string().optional() }),
  engine: z.object({
    name: z.enum(['node', 'k6', 'k6-operator']),
    version: z.string(),
    workers: z.number().int().optional(),
  }),
  machine: z.object({
    hostname: z.string(),
    platform: z.string(),
    cpus: z.number().int(),
    cpuModel: z.string(),
    memoryBytes: z.number(),
    loadAverage: z.array(z.number()),
  }),
});
export type ResultEnvironment = z.infer<typeof environmentSchema>;

export const resultSchema = z.object({
  schema: z.literal('harbor-conformance/load-result@1'),
  scenario: z.object({ name: z.string(), definition: z.unknown() }),
  startedAt: z.string(),
  finishedAt: z.string(),
  environment: environmentSchema,
  /** One entry per concurrency level, each with the repeated runs. */
  levels: z.array(z.object({ concurrency: z.number().int(), runs: z.array(runMetricsSchema).min(1) })).min(1),
});
export type LoadResult = z.infer<typeof resultSchema>;

export function parseResult(raw: unknown, source: string): LoadResult {
  const parsed = resultSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new Error(`${source} is not a load result: ${problems.slice(0, 5).join('; ')}`);
}
