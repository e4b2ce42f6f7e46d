// The `nodeFallback` section of the team's policy file: what the team expects a node with the mirror list
// [Harbor's project path, upstream] to do for each answer of Harbor (suites/node-fallback, FALLBACK-001).
// The default is the claim of the deployment documents the check was written for: "try Harbor first, fall
// back to upstream only on connection failures; if Harbor returns 401/403 (or a policy 412), no fallback".
import { z } from 'zod';

/** Where the node should get the image from: Harbor, the upstream, or nowhere (the pull fails). */
export const imageSource = z.enum(['harbor', 'upstream', 'none']);
export type ImageSource = z.infer<typeof imageSource>;

export const FALLBACK_SCENARIOS = [
  'healthy',
  'stopped',
  'black-holed',
  'bad-credentials',
  'no-pull-permission',
  'ingress-forbidden',
  'not-found',
  'vulnerable',
  'unsigned',
  'server-error',
  'bad-gateway',
] as const;
export type FallbackScenario = (typeof FALLBACK_SCENARIOS)[number];

const claim: Record<FallbackScenario, ImageSource> = {
  healthy: 'harbor',
  stopped: 'upstream',
  'black-holed': 'upstream',
  'bad-credentials': 'none',
  'no-pull-permission': 'none',
  'ingress-forbidden': 'none',
  'not-found': 'none',
  vulnerable: 'none',
  unsigned: 'none',
  'server-error': 'none',
  'bad-gateway': 'none',
};

export const nodeFallbackPolicySchema = z
  .object({
    /** Per Harbor answer, where the image must come from (default: the claim above). */
    expect: z
      .object(
        Object.fromEntries(FALLBACK_SCENARIOS.map((s) => [s, imageSource.default(claim[s])])) as {
          [K in FallbackScenario]: z.ZodDefault<typeof imageSource>;
        },
      )
      .strict()
      .default(claim),
    /**
     * Verdict when Harbor answered as Harbor does (401/403/412, 404, 5xx) and the node's resolver still did
     * something else than expected — containerd's own rule, which Harbor cannot change. `warn` (default):
     * reported with containerd's source and the configuration to change; `fail`: a hard gate.
     */
    resolverDeviation: z.enum(['warn', 'fail']).default('warn'),
    /**
     * How long a pull against a black-holed Harbor may take before it counts as not answered (s). containerd
     * has no response timeout (only a 30 s dial timeout, and a black hole accepts the connection), so a
     * pull that has not moved on to the next host within a few seconds never will.
     */
    blackHoleBoundSeconds: z.number().int().min(2).max(120).default(5),
  })
  .strict();

export type NodeFallbackPolicy = z.infer<typeof nodeFallbackPolicySchema>;
export const defaultNodeFallbackPolicy: NodeFallbackPolicy = nodeFallbackPolicySchema.parse({});
