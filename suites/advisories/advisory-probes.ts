// Behavioural probes: each confirms or rules out an advisory's exposure by what the target does, whatever
// version it reports (a build can be patched, or mislabelled). A probe is read-only, or works inside the
// run's own project and only where mutating is allowed; otherwise it reports why it did not run.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { HarborApiError } from '../../lib/harbor-api.ts';
import { RegistryClient } from '../../lib/oci/registry-client.ts';
import { RegistryError } from '../../lib/oci/registry-error.ts';
import { buildImage } from '../../fixtures/images/image-builder.ts';
import { pushImage } from '../../fixtures/images/push-image.ts';
import type { CheckContext } from '../check.ts';
import { harborApi, registryClient, registryUrl } from '../support/harbor-clients.ts';
import { createProject, deleteProjectWithRepositories } from '../support/harbor-projects.ts';

export type ProbeResult =
  | { kind: 'exposed'; observed: string }
  | { kind: 'not-exposed'; observed: string }
  /** The probe could not run or could not tell (read-only target, a precondition missing). */
  | { kind: 'inconclusive'; why: string };

export interface AdvisoryProbe {
  ghsa: string;
  /** What the probe does, for the catalog title. */
  title: string;
  /** Fault profiles of the double that have this exposure (besides the previous patch release). */
  caughtBy: string[];
  run(ctx: CheckContext): Promise<ProbeResult>;
}

/** The User-Agent values cosign and notation send (goharbor/harbor src/server/middleware/util, pre-fix). */
const SIGNING_AGENTS = ['cosign/v2.4.1 (linux; amd64)', 'notation/v1.3.0'];
const ORDINARY_AGENT = 'harbor-conformance';
const DEFAULT_ADMIN_PASSWORD = 'Harbor12345';
/** The double's fault profile of the previous patch release (every advisory fixed since, and its version). */
export const PREVIOUS_PATCH_PROFILE = 'previous-patch-v2.15.2';

const probes: AdvisoryProbe[] = [
  {
    ghsa: 'GHSA-wrw5-gmvj-gf23',
    title: 'a push robot pulls an unsigned, unscanned image under enable_content_trust_cosign and under prevent_vul with an ordinary and with signing-tool User-Agents (run-id project)',
    caughtBy: ['GHSA-wrw5-gmvj-gf23'],
    async run(ctx) {
      if (!ctx.target.capabilities.mutating) return { kind: 'inconclusive', why: 'the target is read-only: the probe needs its own project (--allow-mutating)' };
      if (!ctx.target.capabilities.cosign) return { kind: 'inconclusive', why: 'the target does not support cosign content trust' };
      const api = harborApi(ctx);
      const project = ctx.resourceName('ua');
      await ctx.step(`create project ${project} with enable_content_trust_cosign`, () =>
        createProject(api, project, { public: 'false', enable_content_trust_cosign: 'true' }),
      );
      ctx.cleanup(() => deleteProjectWithRepositories(api, project));
      const repository = `${project}/app`;
      const image = buildImage({ layers: [{ 'etc/harbor-conformance': `${project} unsigned\n` }] }, 'oci');
      await ctx.step(`push ${repository}:unsigned`, () => pushImage(registryClient(ctx), repository, 'unsigned', image));
      const robot = await ctx.step('create a project robot with pull and push', () =>
        api.createRobot({
          name: 'signer',
          level: 'project',
          duration: 1,
          permissions: [{ kind: 'project', namespace: project, access: [{ resource: 'repository', action: 'pull' }, { resource: 'repository', action: 'push' }] }],
        }),
      );
      ctx.secret(robot.secret);
      ctx.cleanup(() => ignoreNotFound(api.deleteRobot(robot.id)));
      const pull = async (agent: string) => {
        const client = new RegistryClient({ baseUrl: registryUrl(ctx.target), credentials: { username: robot.name, password: robot.secret }, userAgent: agent, recorder: ctx.evidence.exchanges });
        try {
          await client.getManifest(repository, 'unsigned');
          return 200;
        } catch (error) {
          if (error instanceof RegistryError) return error.status;
          throw error;
        }
      };
      // Both pull policies the advisory names: content trust, then the vulnerability policy (an unscanned
      // image under prevent_vul is refused while a scanner is registered).
      const policies: Array<{ name: string; metadata: Record<string, string> | undefined }> = [
        { name: 'enable_content_trust_cosign', metadata: undefined },
        ...(ctx.target.capabilities.scanner ? [{ name: 'prevent_vul', metadata: { enable_content_trust_cosign: 'false', prevent_vul: 'true', severity: 'low' } }] : []),
      ];
      const lines: string[] = [];
      let judged = 0;
      let exposed = false;
      for (const policy of policies) {
        if (policy.metadata) await ctx.step(`switch ${project} to ${policy.name}`, () => api.updateProjectMetadata(project, policy.metadata!));
        const ordinary = await pull(ORDINARY_AGENT);
        if (ordinary !== 412) {
          lines.push(`${policy.name}: not enforced for an ordinary User-Agent either (${ordinary}), cannot judge`);
          continue;
        }
        judged += 1;
        const bySigner = await Promise.all(SIGNING_AGENTS.map(async (agent) => `${agent}: ${await pull(agent)}`));
        if (bySigner.some((line) => line.endsWith(': 200'))) exposed = true;
        lines.push(`${policy.name}: ordinary User-Agent 412; ${bySigner.join('; ')}`);
      }
      const observed = lines.join(' | ');
      if (exposed) return { kind: 'exposed', observed };
      return judged > 0 ? { kind: 'not-exposed', observed } : { kind: 'inconclusive', why: observed };
    },
  },
  {
    ghsa: 'GHSA-qj39-pjf2-wmrc',
    title: 'manifest requests whose /v2/ path has "." or ".." segments are refused with 400 (read-only)',
    caughtBy: ['GHSA-qj39-pjf2-wmrc'],
    async run(ctx) {
      const project = ctx.resourceName('dots');
      const paths = [`/v2/${project}/app/../other/manifests/latest`, `/v2/${project}/./app/manifests/latest`];
      const answers: string[] = [];
      for (const path of paths) {
        const status = await rawGet(ctx, path);
        answers.push(`GET ${path}: ${status}`);
      }
      const observed = answers.join('; ');
      return answers.every((a) => a.endsWith(': 400')) ? { kind: 'not-exposed', observed } : { kind: 'exposed', observed };
    },
  },
  {
    ghsa: 'GHSA-hj7x-hmf2-hc2p',
    title: `the admin account refuses the installer default password ${DEFAULT_ADMIN_PASSWORD} (read-only login attempt)`,
    caughtBy: ['default-admin-password'],
    async run(ctx) {
      const response = await ctx.http.get('/api/v2.0/users/current', { auth: { basic: { username: ctx.target.admin.username, password: DEFAULT_ADMIN_PASSWORD } } });
      const observed = `GET /api/v2.0/users/current as ${ctx.target.admin.username}:${DEFAULT_ADMIN_PASSWORD} answered ${response.status}`;
      if (response.status === 200) return { kind: 'exposed', observed };
      if (response.status === 401) return { kind: 'not-exposed', observed };
      return { kind: 'inconclusive', why: observed };
    },
  },
];

export function probeFor(ghsa: string): AdvisoryProbe | undefined {
  return probes.find((p) => p.ghsa === ghsa);
}

/** Every probe's fault profile plus the previous patch, for tests that list what the suite can catch. */
export const probedProfiles = [...new Set([...probes.flatMap((p) => p.caughtBy), PREVIOUS_PATCH_PROFILE])];

/**
 * GET with the path sent exactly as written, as admin: fetch/undici resolve dot segments before sending
 * (WHATWG URL), which would hide what the server does with them. Evidence: a note per exchange.
 */
function rawGet(ctx: CheckContext, path: string): Promise<number> {
  const base = new URL(registryUrl(ctx.target));
  const send = base.protocol === 'https:' ? httpsRequest : httpRequest;
  const authorization = `Basic ${Buffer.from(`${ctx.target.admin.username}:${ctx.target.admin.password}`).toString('base64')}`;
  return new Promise((resolve, reject) => {
    const req = send(
      { host: base.hostname, port: base.port, path, method: 'GET', headers: { authorization, accept: 'application/vnd.oci.image.manifest.v1+json' }, signal: ctx.signal, timeout: 30_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          ctx.evidence.note(`GET ${path} (raw path, admin basic auth — redacted)`, `${res.statusCode} ${Buffer.concat(chunks).toString('utf8').slice(0, 300)}`);
          resolve(res.statusCode ?? 0);
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`GET ${path}: no answer in 30 s`)));
    req.on('error', reject);
    req.end();
  });
}

async function ignoreNotFound(operation: Promise<void>): Promise<void> {
  try {
    await operation;
  } catch (error) {
    if (!(error instanceof HarborApiError && error.status === 404)) throw error;
  }
}
