// The fault profiles switched on in a running double. Enforcement points ask `services.faults.has(name)`;
// the start setting (HARBOR_DOUBLE_FAULT_PROFILE) or the control endpoint (fault-control-routes.ts) sets them.
import type { ActiveFaults, FaultProfileName } from './fault-profiles.ts';

export class FaultSwitch implements ActiveFaults {
  #active: ReadonlySet<FaultProfileName>;

  constructor(initial: Iterable<FaultProfileName> = []) {
    this.#active = new Set(initial);
  }

  has(name: FaultProfileName): boolean {
    return this.#active.has(name);
  }

  get active(): FaultProfileName[] {
    return [...this.#active];
  }

  /** Replaces the active set (every profile off when empty). */
  set(names: Iterable<FaultProfileName>): void {
    this.#active = new Set(names);
  }
}
