// The clients and names one gate works with: Harbor's API and the registry as the admin, and the prefix every seeded
// object's name starts with (the run id), so seeding, inventory and removal find exactly the gate's objects.
import { HarborApiClient } from '../../lib/harbor-api.ts';
import { RegistryClient } from '../../lib/oci/registry-client.ts';
import type { Target } from '../../lib/target.ts';
import { registryUrl } from '../../suites/support/harbor-clients.ts';
import type { Inventory } from './inventory.ts';
import { takeInventory } from './inventory.ts';

export interface GateSession {
  target: Target;
  api: HarborApiClient;
  registry: RegistryClient;
  prefix: string;
}

export function gateSession(target: Target, runId: string): GateSession {
  const credentials = target.admin;
  return {
    target,
    api: new HarborApiClient({ baseUrl: target.url, credentials }),
    registry: new RegistryClient({ baseUrl: registryUrl(target), credentials }),
    prefix: `${runId}-gate`,
  };
}

/** systeminfo's harbor_version as the admin sees it. */
export async function reportedHarborVersion(session: GateSession): Promise<string> {
  return String((await session.api.systemInfo()).harbor_version ?? 'unknown');
}

export async function inventoryOf(session: GateSession): Promise<Inventory> {
  // fresh registry tokens: the upgraded core may sign with the same key, but its token cache is gone
  const registry = new RegistryClient({ baseUrl: registryUrl(session.target), credentials: session.target.admin });
  return takeInventory(session.api, registry, session.prefix, await reportedHarborVersion(session));
}
