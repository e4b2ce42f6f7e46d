// The periodic registry health check (goharbor/harbor src/controller/registry/controller.go
// StartRegularHealthCheck@v2.15.2): after a random delay of up to 5 min, every 5 min, each endpoint is checked
// and its status written when it changed; an endpoint whose check errs keeps its status. `runOnce` is the same
// round on demand (the selftest's control endpoint), so no check ever waits for the timer.
import type { DoubleServices } from '../double-services.ts';
import { allRegistryRows, updateRegistryStatus } from '../store/registries.ts';
import { checkHealth, endpointFromRow } from './registry-endpoints.ts';

export const HEALTH_CHECK_INTERVAL_MS = 5 * 60_000;

export interface HealthRound {
  id: number;
  status: string;
  changed: boolean;
  error?: string;
}

export async function runHealthRound(services: DoubleServices): Promise<HealthRound[]> {
  const results: HealthRound[] = [];
  for (const row of await allRegistryRows(services.db)) {
    try {
      const { status } = await checkHealth(endpointFromRow(services, row));
      const changed = status !== row.status;
      if (changed) await updateRegistryStatus(services.db, row.id, status);
      results.push({ id: row.id, status, changed });
    } catch (error) {
      results.push({ id: row.id, status: row.status, changed: false, error: (error as Error).message });
    }
  }
  return results;
}

export interface HealthChecker {
  runOnce(): Promise<HealthRound[]>;
  stop(): void;
}

export function startHealthChecker(
  services: DoubleServices,
  options: { intervalMs?: number; firstDelayMs?: number; log?: (line: string) => void } = {},
): HealthChecker {
  const interval = options.intervalMs ?? HEALTH_CHECK_INTERVAL_MS;
  let running: Promise<HealthRound[]> | undefined;
  const runOnce = () => {
    // One round at a time: a timer tick during an on-demand round joins it.
    running ??= runHealthRound(services).finally(() => {
      running = undefined;
    });
    return running;
  };
  const tick = () =>
    void runOnce().catch((error: unknown) =>
      options.log?.(`registry health check failed: ${(error as Error).message}`),
    );
  let timer: NodeJS.Timeout | undefined;
  const first = setTimeout(
    () => {
      tick();
      timer = setInterval(tick, interval);
      timer.unref();
    },
    options.firstDelayMs ?? Math.floor(Math.random() * interval),
  );
  first.unref();
  return {
    runOnce,
    stop() {
      clearTimeout(first);
      if (timer) clearInterval(timer);
    },
  };
}
