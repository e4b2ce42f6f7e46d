// What a check is, as data: the catalog (`harbor-conformance list`), the reports, the selftest and the suites
// all read these definitions. This module imports nothing from vitest so the catalog loads without running tests.
import type { FaultProfileName } from '../environments/offline/harbor-double/faults/fault-profiles.ts';
import type { Capabilities } from '../lib/target.ts';

export type CapabilityName = keyof Capabilities;

/** Checks run for two minutes unless their catalog entry says otherwise. */
export const DEFAULT_CHECK_TIMEOUT_MS = 120_000;

/** A check as a suite's catalog.ts writes it. */
export interface CheckEntry {
  /** Stable id, e.g. SMOKE-001, SCAN-003: `<SUITE>-<three digits>`. */
  id: string;
  title: string;
  /** Controls the check evidences, e.g. `NIST SP 800-190 4.2.3`. */
  controls: string[];
  /** Creates, changes or deletes something on the target (skipped on a read-only target). */
  mutating: boolean;
  /** Capabilities the check cannot run without; missing ones skip it with the reason. */
  requires?: CapabilityName[];
  /** What the check attaches as evidence, for people reading the catalog. */
  evidence?: string[];
  /** One or two sentences telling the operator what to change when the check fails or warns (every report shows it). */
  remediation: string;
  /**
   * Fault profiles of the Harbor double this check must fail against (at least one; selftest enforces it).
   * For a check whose expected verdict is `warn`: the profiles under which its verdict is not `warn`.
   */
  caughtBy: readonly FaultProfileName[];
  /** `warn` is this check's expected verdict on a correct stack (a weakness Harbor ships no fix for). */
  expectWarn?: boolean;
  /** Per-check timeout in ms, when more than the default 120 s. */
  timeoutMs?: number;
  /**
   * The check's work keeps the target's CPUs busy (the OCI conformance program's thousands of uploads through the
   * registry and the object store), not waiting: the selftest never runs two such runs side by side on one machine.
   */
  cpuBound?: boolean;
}

/** A check as the catalog holds it: its suite named, the run expectations filled in. */
export interface CheckDefinition extends CheckEntry {
  /** Suite folder name under suites/, e.g. `smoke`. */
  suite: string;
  expectWarn: boolean;
  timeoutMs: number;
  cpuBound: boolean;
}

const checkIdPattern = /^[A-Z][A-Z0-9]*-\d{3}$/;

/**
 * A suite's checks keyed by a short name the test file uses (`smokeCatalog.ping`).
 * Validates ids, controls, remediation and expected fault profiles at import time.
 */
export function defineCatalog<const Keys extends string>(
  suite: string,
  checks: Record<Keys, CheckEntry>,
): Record<Keys, CheckDefinition> {
  const seen = new Set<string>();
  const out = {} as Record<Keys, CheckDefinition>;
  for (const [key, check] of Object.entries(checks) as [Keys, CheckEntry][]) {
    const problem = (what: string) => new Error(`suite ${suite}: check ${check.id} ${what}`);
    if (!checkIdPattern.test(check.id))
      throw new Error(`suite ${suite}: check id '${check.id}' must look like SMOKE-001`);
    if (seen.has(check.id)) throw problem('is used twice');
    if (check.controls.length === 0) throw problem('names no control');
    if (check.remediation.trim().length < 20)
      throw problem('needs a remediation: one or two sentences for the operator');
    if (check.caughtBy.length === 0) throw problem('names no fault profile it must catch (caughtBy)');
    seen.add(check.id);
    out[key] = {
      ...check,
      suite,
      expectWarn: check.expectWarn ?? false,
      timeoutMs: check.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS,
      cpuBound: check.cpuBound ?? false,
    };
  }
  return out;
}
