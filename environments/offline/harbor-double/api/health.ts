// GET /api/v2.0/health (goharbor/harbor src/controller/health/controller.go@v2.15.x): always 200; components sorted by name; overall healthy only
// when all are. Harbor checks every 10 s in the background; the double checks on demand (5 s timeout
// each) so an injected fault shows at once.
//
// Components, as Harbor names them: core and jobservice are the double itself (healthy while it
// answers); database (SELECT 1), redis (PING), registry (GET <REGISTRY_URL>/); trivy only when
// WITH_TRIVY=true (GET <TRIVY_ADAPTER_URL>/probe/healthy). The offline topology has no portal and no
// registryctl: they are checked when PORTAL_URL / REGISTRY_CONTROLLER_URL are set, otherwise reported
// healthy as parts the double stands in for.
import { request } from 'undici';
import type { DoubleServices } from '../double-services.ts';

export interface ComponentHealth {
  name: string;
  status: 'healthy' | 'unhealthy';
  error?: string;
}

const TIMEOUT_MS = 5_000;

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error('failed to check the health status: timeout')), TIMEOUT_MS).unref(),
    ),
  ]);
}

async function httpCheck(url: string): Promise<string | undefined> {
  try {
    const response = await request(url, { method: 'GET', headersTimeout: TIMEOUT_MS, bodyTimeout: TIMEOUT_MS });
    await response.body.dump();
    return response.statusCode === 200 ? undefined : `received unexpected status code: ${response.statusCode}`;
  } catch (error) {
    return `failed to check health: ${(error as Error).message}`;
  }
}

async function check(name: string, probe: () => Promise<string | undefined>): Promise<ComponentHealth> {
  let error: string | undefined;
  try {
    error = await withTimeout(probe());
  } catch (thrown) {
    const message = (thrown as Error).message;
    error = message.startsWith('failed to') ? message : `failed to check health: ${message}`;
  }
  return error === undefined ? { name, status: 'healthy' } : { name, status: 'unhealthy', error };
}

export async function overallHealth(
  services: DoubleServices,
): Promise<{ status: string; components: ComponentHealth[] }> {
  const { config } = services;
  const checks: Array<Promise<ComponentHealth>> = [
    check('core', async () => undefined),
    check('jobservice', async () => undefined),
    check('database', async () => {
      await services.db.query('SELECT 1');
      return undefined;
    }),
    check('redis', async () => {
      const pong = await services.redis.ping();
      return pong === 'PONG' ? undefined : `unexpected PING reply: ${pong}`;
    }),
    check('registry', () => services.registry.healthError()),
    check('portal', async () => (config.portalUrl ? httpCheck(config.portalUrl) : undefined)),
    check('registryctl', async () =>
      config.registryControllerUrl ? httpCheck(`${config.registryControllerUrl}/api/health`) : undefined,
    ),
  ];
  if (config.withTrivy) checks.push(check('trivy', () => httpCheck(`${config.trivyAdapterUrl}/probe/healthy`)));
  const components = (await Promise.all(checks)).sort((a, b) => a.name.localeCompare(b.name));
  return { status: components.every((c) => c.status === 'healthy') ? 'healthy' : 'unhealthy', components };
}
