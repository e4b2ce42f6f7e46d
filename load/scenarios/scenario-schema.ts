// A load scenario is data: what is pulled (artifacts and their layer sizes), from where, as whom, how
// hard (concurrency or a sweep), for how long, warm or cold, and how connections and redirects behave.
// Validated here; every problem is reported as one line naming its JSON path.
import { z } from 'zod';
import { GiB, KiB, parseByteSize } from './byte-size.ts';

const byteSize = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const bytes = parseByteSize(value);
  if (bytes === undefined) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a size: write e.g. "1KiB", "10MiB", "1GiB"` });
    return z.NEVER;
  }
  if (bytes < KiB || bytes > GiB) {
    ctx.addIssue({ code: 'custom', message: `layer sizes go from 1KiB to 1GiB (got ${value})` });
    return z.NEVER;
  }
  return bytes;
});

const duration = z.string().transform((value, ctx) => {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(value.trim());
  if (!match) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a duration: write e.g. "500ms", "10s", "2m"` });
    return z.NEVER;
  }
  const ms = Number(match[1]) * ({ ms: 1, s: 1000, m: 60_000 } as const)[match[2] as 'ms' | 's' | 'm'];
  if (ms > 30 * 60_000) {
    ctx.addIssue({ code: 'custom', message: `durations are bounded to 30m (got ${value})` });
    return z.NEVER;
  }
  return ms;
});

const concurrency = z.number().int().min(1).max(1024);

export const scenarioSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'name: lower-case letters, digits and dashes' }),
    description: z.string().optional(),
    /** Only pulls are measured so far; pushes and scans are planned as their own operations. */
    operation: z.literal('pull').default('pull'),
    artifacts: z
      .object({
        /** Distinct artifacts (different digests), pulled round-robin. */
        count: z.number().int().min(1).max(100),
        /** Layer sizes bottom-up, each from 1KiB to 1GiB. */
        layers: z.array(byteSize).min(1).max(16),
        /** single-arch: one image manifest; index: an OCI index over linux/amd64 and linux/arm64 images. */
        kind: z.enum(['single-arch', 'index']).default('single-arch'),
      })
      .strict(),
    /** harbor-project: through Harbor's core; proxy-cache: a proxy-cache project; registry-direct: the registry behind core. */
    source: z.enum(['harbor-project', 'proxy-cache', 'registry-direct']).default('harbor-project'),
    /** robot: a project robot with pull permission (token auth); admin; anonymous (public project). */
    auth: z.enum(['robot', 'admin', 'anonymous']).default('robot'),
    /** One level, or a sweep measured level by level. */
    concurrency: z
      .union([concurrency, z.array(concurrency).min(1).max(12)])
      .transform((c) => (Array.isArray(c) ? c : [c])),
    /** Each level runs for this long … */
    duration: duration.optional(),
    /** … or for this many pulls (whichever is given; both: whichever comes first). */
    iterations: z.number().int().min(1).max(1_000_000).optional(),
    /** warm: the same artifacts again and again; cold: each artifact once per run, the registry's layer-info cache flushed before it. */
    cache: z.enum(['warm', 'cold']).default('warm'),
    /** keep-alive: connections reused across pulls; new-per-pull: a fresh connection for every pull. */
    connection: z.enum(['keep-alive', 'new-per-pull']).default('keep-alive'),
    /** follow: blob redirects (to object storage) are followed; no-follow: the redirect itself is the answer. */
    redirects: z.enum(['follow', 'no-follow']).default('follow'),
    /** Repeated runs per level: the comparison uses the spread between them. */
    repeats: z.number().int().min(1).max(20).default(3),
    /** A request without an answer for this long counts as a timeout error. */
    requestTimeout: duration.default(30_000),
    /** Worker threads for the node engine (each with its own connection pool); auto picks from cores and concurrency. */
    workers: z.union([z.literal('auto'), z.number().int().min(1).max(64)]).default('auto'),
    /** Regression tolerances used by `bench --baseline`. */
    tolerances: z
      .object({
        /** Throughput (MB/s, pulls/s) may not drop more than this percentage … */
        throughputDropPercent: z.number().min(0).max(100).default(25),
        /** … p95 of any phase may not rise more than this percentage … */
        p95RisePercent: z.number().min(0).max(1000).default(50),
        /** … and errors may not rise by more than this count. */
        errorIncrease: z.number().int().min(0).default(0),
      })
      .strict()
      .default({ throughputDropPercent: 25, p95RisePercent: 50, errorIncrease: 0 }),
  })
  .strict()
  .superRefine((scenario, ctx) => {
    if (scenario.duration === undefined && scenario.iterations === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['duration'],
        message: 'give a duration (e.g. "10s") or iterations (e.g. 200): load is always bounded',
      });
    }
    if (scenario.source === 'registry-direct' && scenario.auth === 'anonymous') {
      ctx.addIssue({
        code: 'custom',
        path: ['auth'],
        message: 'the registry behind core takes only its basic-auth credential: use robot or admin (both map to it)',
      });
    }
  });

/** A scenario as written (JSON). */
export type ScenarioInput = z.input<typeof scenarioSchema>;
/** A validated scenario: sizes in bytes, durations in ms, concurrency always a list. */
export type Scenario = z.output<typeof scenarioSchema>;
