// api-routed-to-portal: a reverse proxy in front of Harbor that sends every path to the portal, so /api/v2.0/*
// answers with the UI's index.html (200, text/html) whatever the caller. Harbor's own proxy routes /api/,
// /service/, /v2/ and /c/ to core (goharbor/harbor make/photon/prepare/templates/nginx/nginx.http.conf.jinja@v2.15.x).
import type { FastifyInstance } from 'fastify';
import type { DoubleServices } from '../double-services.ts';

const PORTAL_INDEX =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Harbor</title><base href="/">' +
  '<meta name="viewport" content="width=device-width, initial-scale=1"></head><body><harbor-app></harbor-app></body></html>';

export function registerPortalMisrouting(app: FastifyInstance, services: DoubleServices): void {
  app.addHook('onRequest', async (request, reply) => {
    if (!services.faults.has('api-routed-to-portal') || !request.url.startsWith('/api/')) return;
    return reply.status(200).header('content-type', 'text/html').send(PORTAL_INDEX);
  });
}
