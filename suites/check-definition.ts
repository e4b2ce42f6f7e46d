// What a check is, as data: the catalog (`harbor-conformance list`), the reports and the suites all read
// these definitions. This module imports nothing from vitest so the catalog loads without running tests.
import type { Capabilities } from '../lib/target.ts';

export type CapabilityName = keyof Capabilities;

export interface CheckDefinition {
  /** Stable id, e.g. SMOKE-001, SCAN-003: `<SUITE>-<three digits>`. */
  id: string;
  title: string;
  /** Suite folder name under suites/, e.g. `smoke`. */
  suite: string;
  /** Controls the check evidences, e.g. `NIST SP 800-190 4.2.3`. */
  controls: string[];
  /** Creates, changes or deletes something on the target (skipped on a read-only target). */
  mutating: boolean;
  /** Capabilities the check cannot run without; missing ones skip it with the reason. */
  requires?: CapabilityName[];
  /** What the check attaches as evidence, for people reading the catalog. */
  evidence?: string[];
  /** One or two sentences telling the operator what to change when the check fails or warns. */
  remediation?: string;
  /** Fault profiles of the Harbor double this check must fail against (selftest enforces it). */
  caughtBy?: string[];
  /** `warn` is this check's expected verdict on a correct stack (a weakness Harbor ships no fix for). */
  expectWarn?: boolean;
  /** Per-check timeout (default 120 s). */
  timeoutMs?: number;
}

const checkIdPattern = /^[A-Z][A-Z0-9]*-\d{3}$/;

/**
 * A suite's checks keyed by a short name the test file uses (`smokeCatalog.ping`).
 * Validates ids and that every check names this suite, at import time.
 */
export function defineCatalog<const Keys extends string>(
  suite: string,
  checks: Record<Keys, Omit<CheckDefinition, 'suite'>>,
): Record<Keys, CheckDefinition> {
  const seen = new Set<string>();
  const out = {} as Record<Keys, CheckDefinition>;
  for (const [key, check] of Object.entries(checks) as [Keys, Omit<CheckDefinition, 'suite'>][]) {
    if (!checkIdPattern.test(check.id)) throw new Error(`suite ${suite}: check id '${check.id}' must look like SMOKE-001`);
    if (seen.has(check.id)) throw new Error(`suite ${suite}: check id ${check.id} is used twice`);
    if (check.controls.length === 0) throw new Error(`suite ${suite}: check ${check.id} names no control`);
    seen.add(check.id);
    out[key] = { ...check, suite };
  }
  return out;
}
