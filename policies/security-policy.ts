// The security baseline the suites check against: a JSON file the team edits (policies/default-policy.json
// is the secure default; `--policy FILE` replaces it), validated here once per run by the CLI. Checks read
// the parsed result as `ctx.policy`.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { defaultPullPerformancePolicy, pullPerformancePolicySchema } from './pull-performance-policy.ts';
import { defaultNodeFallbackPolicy, nodeFallbackPolicySchema } from './node-fallback-policy.ts';
import { defaultRetentionPolicy, retentionPolicySchema } from './retention-policy.ts';

export const defaultPolicyFile = new URL('./default-policy.json', import.meta.url);

const bool = z.enum(['true', 'false']);
const severity = z.enum(['none', 'low', 'medium', 'high', 'critical']);
const permission = z
  .string()
  .regex(/^[a-z-]+:[a-z-]+$/, { error: 'permissions look like resource:action, e.g. robot:create' });

export const securityPolicySchema = z
  .object({
    description: z.string().optional(),
    /** System settings as Harbor names them in /configurations; harness-provisioned stacks are deployed with them. */
    system: z
      .object({
        self_registration: z.boolean(),
        project_creation_restriction: z.enum(['everyone', 'adminonly']),
      })
      .partial()
      .strict()
      .default({}),
    robots: z
      .object({
        /** Robots with duration -1 (expires_at -1) are allowed. */
        allowNeverExpiring: z.boolean().default(false),
        /** Longest lifetime a robot may be given, in days (null: no limit). */
        maxDurationDays: z.number().int().positive().nullable().default(90),
        allowSystemLevel: z.boolean().default(false),
        /** Robots whose permissions cover every project (namespace "*"). */
        allowAllProjects: z.boolean().default(false),
        /** System-scope permissions no robot may hold (administrative, configuration-like). */
        forbiddenSystemPermissions: z.array(permission).default([]),
      })
      .strict()
      .default({
        allowNeverExpiring: false,
        maxDurationDays: 90,
        allowSystemLevel: false,
        allowAllProjects: false,
        forbiddenSystemPermissions: [],
      }),
    projectBaseline: z
      .object({
        /** Project metadata every project must carry, as Harbor stores it (strings). */
        metadata: z
          .object({
            auto_scan: bool,
            prevent_vul: bool,
            severity,
            enable_content_trust: bool,
            enable_content_trust_cosign: bool,
            reuse_sys_cve_allowlist: bool,
          })
          .partial()
          .strict(),
        /** Project names the baseline does not apply to. */
        exempt: z.array(z.string()).default([]),
      })
      .strict()
      .default({ metadata: {}, exempt: [] }),
    scanner: z
      .object({ requireDefault: z.boolean().default(true) })
      .strict()
      .default({ requireDefault: true }),
    schedules: z
      .object({
        garbageCollection: z.boolean().default(false),
        retentionForEveryProject: z.boolean().default(false),
      })
      .strict()
      .default({ garbageCollection: false, retentionForEveryProject: false }),
    /** Pull-throughput thresholds (suites/pull-throughput, policies/pull-performance-policy.ts). */
    performance: pullPerformancePolicySchema.default(defaultPullPerformancePolicy),
    /** Node mirror fallback expectations (suites/node-fallback, policies/node-fallback-policy.ts). */
    nodeFallback: nodeFallbackPolicySchema.default(defaultNodeFallbackPolicy),
    /** The tag retention rules the team runs, tried on a seeded copy (suites/retention RET-006, policies/retention-policy.ts). */
    retention: retentionPolicySchema.default(defaultRetentionPolicy),
  })
  .strict();

export type SecurityPolicy = z.infer<typeof securityPolicySchema>;

export class PolicyError extends Error {
  override name = 'PolicyError';
  readonly problems: string[];
  constructor(source: string, problems: string[]) {
    super(`${source}: ${problems.join('; ')}`);
    this.problems = problems.map((p) => `${source}: ${p}`);
  }
}

/** Validates a parsed policy; every problem names its JSON path. */
export function parseSecurityPolicy(raw: unknown, source: string): SecurityPolicy {
  const parsed = securityPolicySchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new PolicyError(
    source,
    parsed.error.issues.map((issue) => {
      const path = issue.path.join('.');
      const message = issue.code === 'unrecognized_keys' ? `unknown key(s) ${issue.keys.join(', ')}` : issue.message;
      return path ? `${path}: ${message}` : message;
    }),
  );
}

export function loadDefaultPolicy(): SecurityPolicy {
  return parseSecurityPolicy(JSON.parse(readFileSync(defaultPolicyFile, 'utf8')), 'policies/default-policy.json');
}

/** The run's policy (--policy), or the default one when none was given. */
export function policyForRun(raw: unknown): SecurityPolicy {
  return raw === null || raw === undefined ? loadDefaultPolicy() : parseSecurityPolicy(raw, '--policy');
}
