// Smoke: health, authentication and a registry round trip, as Harbor v2.15 behaves (goharbor/harbor
// src/server/v2.0/handler/systeminfo.go, src/controller/health/controller.go, src/core/service/token/token.go@v2.15.x).
import { describe, expect } from 'vitest';
import { defineCheck } from '../check.ts';
import { registryClient, registryUrl } from '../support/harbor-clients.ts';
import { findChallenge } from '../../lib/oci/auth-challenge.ts';
import { sha256Digest } from '../../lib/oci/digest.ts';
import { buildImage } from '../../fixtures/images/image-builder.ts';
import { pushImage } from '../../fixtures/images/push-image.ts';
import { catalog } from './catalog.ts';

interface HarborError {
  errors?: Array<{ code?: string; message?: string }>;
}

// Components without which Harbor cannot serve pushes and pulls; others (portal, trivy) only warn.
const essentialComponents = new Set(['core', 'database', 'jobservice', 'redis', 'registry']);

describe('smoke', () => {
  defineCheck(catalog.ping, async ({ http }) => {
    const response = await http.get('/api/v2.0/ping', { headers: { accept: 'text/plain' } });
    expect(response.status).toBe(200);
    expect(response.text()).toBe('Pong');
  });

  defineCheck(catalog.systemInfo, async ({ http, evidence }) => {
    const anonymous = await http.get('/api/v2.0/systeminfo');
    expect(anonymous.status).toBe(200);
    const anonymousInfo = anonymous.json<Record<string, unknown>>();
    expect(anonymousInfo).toHaveProperty('auth_mode');
    // Harbor returns the version only to authenticated callers; showing it to anyone helps attackers.
    expect(anonymousInfo, 'anonymous systeminfo must not reveal harbor_version').not.toHaveProperty('harbor_version');

    const admin = await http.get('/api/v2.0/systeminfo', { auth: 'admin' });
    expect(admin.status).toBe(200);
    const version = admin.json<{ harbor_version?: string }>().harbor_version;
    expect(version, 'authenticated systeminfo carries harbor_version').toMatch(/\S/);
    evidence.note('harbor_version', String(version));
  });

  defineCheck(catalog.health, async ({ http, warn }) => {
    const response = await http.get('/api/v2.0/health');
    expect(response.status).toBe(200);
    const health = response.json<{
      status?: string;
      components?: Array<{ name: string; status: string; error?: string }>;
    }>();
    expect(health.status, 'health has an overall status').toMatch(/^(healthy|unhealthy)$/);
    expect(health.components?.length ?? 0, 'health lists its components').toBeGreaterThan(0);
    const unhealthy = (health.components ?? []).filter((c) => c.status !== 'healthy');
    const essential = unhealthy.filter((c) => essentialComponents.has(c.name));
    expect(
      essential.map((c) => `${c.name}: ${c.error ?? c.status}`),
      'essential components unhealthy',
    ).toEqual([]);
    for (const c of unhealthy) {
      warn(
        `health reports ${c.name} ${c.status}${c.error ? ` (${c.error})` : ''}`,
        'GET /api/v2.0/health; goharbor/harbor src/controller/health/controller.go@v2.15.x',
      );
    }
  });

  defineCheck(catalog.adminAuth, async ({ http, target }) => {
    const response = await http.get('/api/v2.0/users/current', { auth: 'admin' });
    expect(response.status).toBe(200);
    const user = response.json<{ username?: string; sysadmin_flag?: boolean }>();
    expect(user.username).toBe(target.admin.username);
    expect(user.sysadmin_flag).toBe(true);
  });

  defineCheck(catalog.wrongPassword, async ({ http, target }) => {
    // Harbor treats wrong basic credentials as anonymous; the refusal comes from the endpoint's own check.
    const wrong = { username: target.admin.username, password: `${target.admin.password}-wrong` };
    const response = await http.get('/api/v2.0/configurations', { auth: { basic: wrong } });
    expect(response.status, 'GET /configurations with a wrong password').toBe(401);
    expect(response.json<HarborError>().errors?.[0]?.code).toBe('UNAUTHORIZED');
  });

  defineCheck(catalog.anonymousConfigurations, async ({ http }) => {
    const response = await http.get('/api/v2.0/configurations');
    expect(response.status, 'anonymous GET /configurations').toBe(401);
    expect(response.json<HarborError>().errors?.[0]?.code).toBe('UNAUTHORIZED');
  });

  defineCheck(catalog.registryChallenge, async ({ http, target }) => {
    const response = await http.get(`${registryUrl(target)}/v2/`);
    expect(response.status).toBe(401);
    const header = response.headers['www-authenticate'];
    const challenge = findChallenge(header, 'bearer');
    expect(challenge, `Bearer challenge in "${header}"`).toBeDefined();
    expect(challenge?.params.realm).toMatch(/\/service\/token$/);
    expect(challenge?.params.service).toBe('harbor-registry');
  });

  defineCheck(catalog.pushPull, async (ctx) => {
    const { evidence } = ctx;
    const project = await ctx.project();
    const repository = project.repository('smoke');
    // Content depends on the project name, so every run pushes distinct digests.
    const image = buildImage({
      layers: [{ 'harbor-conformance.txt': `harbor-conformance smoke image ${project.name}\n` }],
    });

    const pushed = await ctx.step('push with token auth', () => pushImage(ctx.registry, repository, 'smoke', image));
    evidence.digest('manifest (computed)', image.manifest.digest);
    evidence.digest('manifest (pushed)', pushed.digest);
    expect(pushed.digest, 'registry accepted the manifest under its digest').toBe(image.manifest.digest);

    await ctx.step('pull by digest', async () => {
      // A fresh client: nothing cached from the push, a pull-scoped token from the realm.
      const puller = registryClient(ctx);
      const manifest = await puller.getManifest(repository, image.manifest.digest, {
        accept: [image.manifest.mediaType],
      });
      expect(sha256Digest(manifest.bytes), 'pulled manifest bytes hash to the digest').toBe(image.manifest.digest);
      for (const blob of [image.config, ...image.layers]) {
        const bytes = await puller.getBlob(repository, blob.digest);
        expect(sha256Digest(bytes), `pulled blob ${blob.digest}`).toBe(blob.digest);
        evidence.digest(`blob ${blob.mediaType ?? 'layer'}`, blob.digest);
      }
    });
  });
});
