// Test-only: `POST /_double/registries/health-check` runs one round of the periodic registry health checker now
// (registry-health-checker.ts) and answers what it found, so no check waits for Harbor's 5-minute timer. Registered
// only beside the fault control routes, behind their bearer token; Harbor has no such endpoint.
import type { FastifyInstance } from 'fastify';
import type { DoubleServices } from '../double-services.ts';
import { runHealthRound } from './registry-health-checker.ts';

export function registerRegistryHealthControlRoute(app: FastifyInstance, services: DoubleServices): void {
  app.post('/_double/registries/health-check', async () => ({ registries: await runHealthRound(services) }));
}
