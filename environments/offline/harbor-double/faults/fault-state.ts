// Deployment state some fault profiles model (a misconfiguration of the estate rather than of Harbor's code),
// put in place when the profile is switched on through the control endpoint. Profiles that change behaviour
// need nothing here: their enforcement points ask `services.faults.has(name)`.
import type { DoubleServices } from '../double-services.ts';
import type { FaultProfileName } from './fault-profiles.ts';

export async function applyProfileState(services: DoubleServices, names: ReadonlySet<FaultProfileName>): Promise<void> {
  void services;
  void names;
}
