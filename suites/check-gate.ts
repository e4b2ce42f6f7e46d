// Whether a check may run against a target, and if not, the reason the report shows.
import type { Target } from '../lib/target.ts';
import type { CheckDefinition } from './check-definition.ts';

export function skipReasonFor(check: CheckDefinition, target: Target): string | undefined {
  if (check.mutating && !target.capabilities.mutating) {
    return `mutating check skipped: the ${target.kind} target is read-only (allow changes with --allow-mutating)`;
  }
  const missing = (check.requires ?? []).filter((capability) => !target.capabilities[capability]);
  if (missing.length > 0) return `the ${target.kind} target lacks capability ${missing.join(', ')}`;
  return undefined;
}
