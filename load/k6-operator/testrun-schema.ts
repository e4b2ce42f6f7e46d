// The parts of k6-operator's TestRun CRD (k6.io/v1alpha1, grafana/k6-operator config/crd/bases/
// k6.io_testruns.yaml, api/v1alpha1/testrun_types.go @ v1.6) that a manifest of ours may carry, as zod:
// required fields, types, enums and the known keys of spec and of a Pod template, so a generated
// manifest with a misspelt or unknown field fails here instead of being pruned by the API server.
import { z } from 'zod';

const dnsLabel = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/)
  .max(63);
const int32 = z
  .number()
  .int()
  .min(-(2 ** 31))
  .max(2 ** 31 - 1);
const envVar = z
  .object({
    name: z.string().min(1),
    value: z.string().optional(),
    valueFrom: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
const envFrom = z
  .object({
    prefix: z.string().optional(),
    configMapRef: z.object({ name: z.string(), optional: z.boolean().optional() }).strict().optional(),
    secretRef: z.object({ name: z.string(), optional: z.boolean().optional() }).strict().optional(),
  })
  .strict();
const quantity = z.union([z.string(), z.number()]);

/** TestRunSpec.Runner / Starter / Initializer (type Pod): the CRD's property names. */
export const podSchema = z
  .object({
    disabled: z.boolean(),
    affinity: z.record(z.string(), z.unknown()),
    automountServiceAccountToken: z.string(),
    env: z.array(envVar),
    image: z.string(),
    imagePullSecrets: z.array(z.object({ name: z.string() }).strict()),
    imagePullPolicy: z.enum(['Always', 'Never', 'IfNotPresent']),
    metadata: z
      .object({
        annotations: z.record(z.string(), z.string()).optional(),
        labels: z.record(z.string(), z.string()).optional(),
      })
      .strict(),
    nodeSelector: z.record(z.string(), z.string()),
    tolerations: z.array(z.record(z.string(), z.unknown())),
    topologySpreadConstraints: z.array(z.record(z.string(), z.unknown())),
    resources: z
      .object({
        limits: z.record(z.string(), quantity).optional(),
        requests: z.record(z.string(), quantity).optional(),
        claims: z.array(z.unknown()).optional(),
      })
      .strict(),
    serviceAccountName: z.string(),
    securityContext: z.record(z.string(), z.unknown()),
    containerSecurityContext: z.record(z.string(), z.unknown()),
    envFrom: z.array(envFrom),
    readinessProbe: z.record(z.string(), z.unknown()),
    livenessProbe: z.record(z.string(), z.unknown()),
    initContainers: z.array(z.record(z.string(), z.unknown())),
    volumes: z.array(z.record(z.string(), z.unknown())),
    volumeMounts: z.array(z.record(z.string(), z.unknown())),
    priorityClassName: z.string(),
    schedulerName: z.string(),
  })
  .partial()
  .strict();

export const testRunSpecSchema = z
  .object({
    script: z
      .object({
        volumeClaim: z
          .object({ name: z.string(), file: z.string().optional(), readOnly: z.boolean().optional() })
          .strict()
          .optional(),
        configMap: z.object({ name: z.string(), file: z.string().optional() }).strict().optional(),
        localFile: z.string().optional(),
      })
      .strict(),
    parallelism: int32,
    separate: z.boolean().optional(),
    arguments: z.string().optional(),
    args: z.array(z.string()).optional(),
    ports: z.array(z.record(z.string(), z.unknown())).optional(),
    initializer: podSchema.optional(),
    starter: podSchema.optional(),
    runner: podSchema.optional(),
    quiet: z.string().optional(),
    paused: z.string().optional(),
    scuttle: z.record(z.string(), z.union([z.string(), z.boolean()])).optional(),
    cleanup: z.enum(['post']).optional(),
    testRunId: z.string().optional(),
    token: z.string().optional(),
  })
  .strict();

export const testRunSchema = z
  .object({
    apiVersion: z.literal('k6.io/v1alpha1'),
    kind: z.literal('TestRun'),
    metadata: z
      .object({
        name: dnsLabel,
        namespace: dnsLabel.optional(),
        labels: z.record(z.string(), z.string()).optional(),
        annotations: z.record(z.string(), z.string()).optional(),
      })
      .strict(),
    spec: testRunSpecSchema,
  })
  .strict();

export const testRunStages = [
  'initialization',
  'initialized',
  'created',
  'started',
  'stopped',
  'finished',
  'error',
] as const;
export type TestRunStage = (typeof testRunStages)[number];

export const testRunStatusSchema = z.object({
  stage: z.enum(testRunStages).optional(),
  testRunId: z.string().optional(),
  conditions: z
    .array(
      z
        .object({
          type: z.string(),
          status: z.enum(['True', 'False', 'Unknown']),
          reason: z.string(),
          message: z.string(),
          lastTransitionTime: z.string(),
        })
        .loose(),
    )
    .optional(),
});

export type TestRunManifest = z.infer<typeof testRunSchema>;

/** Problems of a manifest against the CRD, one line each with its path; empty when it conforms. */
export function testRunProblems(manifest: unknown): string[] {
  const parsed = testRunSchema.safeParse(manifest);
  if (parsed.success) {
    const script = parsed.data.spec.script;
    const sources = [script.configMap, script.volumeClaim, script.localFile].filter((s) => s !== undefined).length;
    return sources === 1 ? [] : ['spec.script: exactly one of configMap, volumeClaim, localFile'];
  }
  return parsed.error.issues.map(
    (i) =>
      `${i.path.join('.')}: ${i.code === 'unrecognized_keys' ? `unknown field(s) ${i.keys.join(', ')}` : i.message}`,
  );
}
