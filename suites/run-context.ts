// What the CLI provides to every conformance suite through vitest's `provide`/`inject`.
import type { SecurityPolicy } from '../policies/security-policy.ts';
import type { Target } from '../lib/target.ts';

export interface RunContext {
  runId: string;
  /** Absolute run directory (reports/<run-id>/); checks write evidence/<ID>.json there. */
  runDir: string;
  /** Check ids the user selected (--checks); null runs every check of the selected suites. */
  selectedChecks: string[] | null;
  /** The security baseline (--policy, else policies/default-policy.json), parsed and validated once by the CLI. */
  policy: SecurityPolicy;
}

declare module 'vitest' {
  interface ProvidedContext {
    target: Target;
    run: RunContext;
  }
}
