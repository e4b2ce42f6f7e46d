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
import type { Credentials } from '../../lib/target.ts';
import type { CheckContext } from '../check.ts';
import { harborApi, registryClient, registryUrl } from '../support/harbor-clients.ts';
import type { FaultProfileName } from '../../environments/offline/harbor-double/faults/fault-profiles.ts';
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
  caughtBy: FaultProfileName[];
  run(ctx: CheckContext): Promise<ProbeResult>;
}

/** The User-Agent values cosign and notation send (goharbor/harbor src/server/middleware/util, pre-fix). */
const SIGNING_AGENTS = ['cosign/v2.4.1 (linux; amd64)', 'notation/v1.3.0'];
const ORDINARY_AGENT = 'harbor-conformance';
const DEFAULT_ADMIN_PASSWORD = 'Harbor12345';
/** The double's fault profile of the previous patch release (every advisory fixed since, and its version). */
import { PREVIOUS_PATCH_PROFILE } from '../../environments/offline/harbor-double/faults/previous-patch.ts';
export { PREVIOUS_PATCH_PROFILE };

const probes: AdvisoryProbe[] = [
  {
    ghsa: 'GHSA-wrw5-gmvj-gf23',
    title:
      'a push robot pulls an unsigned, unscanned image under enable_content_trust_cosign and under prevent_vul with an ordinary and with signing-tool User-Agents (run-id project)',
    caughtBy: ['GHSA-wrw5-gmvj-gf23'],
    async run(ctx) {
      if (!ctx.target.capabilities.mutating)
        return {
          kind: 'inconclusive',
          why: 'the target is read-only: the probe needs its own project (--allow-mutating)',
        };
      if (!ctx.target.capabilities.cosign)
        return { kind: 'inconclusive', why: 'the target does not support cosign content trust' };
      const api = harborApi(ctx);
      const project = ctx.resourceName('ua');
      await ctx.step(`create project ${project} with enable_content_trust_cosign`, () =>
        createProject(api, project, { public: 'false', enable_content_trust_cosign: 'true' }),
      );
      ctx.cleanup(() => deleteProjectWithRepositories(api, project));
      const repository = `${project}/app`;
      const image = buildImage({ layers: [{ 'etc/harbor-conformance': `${project} unsigned\n` }] }, 'oci');
      await ctx.step(`push ${repository}:unsigned`, () =>
        pushImage(registryClient(ctx), repository, 'unsigned', image),
      );
      const robot = await ctx.step('create a project robot with pull and push', () =>
        api.createRobot({
          name: 'signer',
          level: 'project',
          duration: 1,
          permissions: [
            {
              kind: 'project',
              namespace: project,
              access: [
                { resource: 'repository', action: 'pull' },
                { resource: 'repository', action: 'push' },
              ],
            },
          ],
        }),
      );
      ctx.secret(robot.secret);
      ctx.cleanup(() => ignoreNotFound(api.deleteRobot(robot.id)));
      const pull = async (agent: string) => {
        const client = new RegistryClient({
          baseUrl: registryUrl(ctx.target),
          credentials: { username: robot.name, password: robot.secret },
          userAgent: agent,
          recorder: ctx.evidence.exchanges,
        });
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
        ...(ctx.target.capabilities.scanner
          ? [
              {
                name: 'prevent_vul',
                metadata: { enable_content_trust_cosign: 'false', prevent_vul: 'true', severity: 'low' },
              },
            ]
          : []),
      ];
      const lines: string[] = [];
      let judged = 0;
      let exposed = false;
      for (const policy of policies) {
        if (policy.metadata)
          await ctx.step(`switch ${project} to ${policy.name}`, () =>
            api.updateProjectMetadata(project, policy.metadata!),
          );
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
    title:
      'a robot of one run-id project reads a manifest of another private one through /v2/<its project>/app/../../<other>/… (where mutating is allowed; ' +
      'else: dot-segment paths must be refused with 400, read-only)',
    caughtBy: ['GHSA-qj39-pjf2-wmrc'],
    async run(ctx) {
      // A 400 is the fix. A 200 for another project's manifest is the exposure. Anything else cannot tell:
      // a proxy in front of core may have resolved the dots already (nginx normalises the URI it matches).
      const judge = (
        answers: Array<{ line: string; status: number }>,
        exposedWhen: (status: number) => boolean,
      ): ProbeResult => {
        const observed = answers.map((a) => a.line).join('; ');
        if (answers.some((a) => exposedWhen(a.status))) return { kind: 'exposed', observed };
        if (answers.every((a) => a.status === 400)) return { kind: 'not-exposed', observed };
        return {
          kind: 'inconclusive',
          why: `${observed} (neither 400 nor a cross-project read: the path may be normalised before core)`,
        };
      };
      if (!ctx.target.capabilities.mutating) {
        const project = ctx.resourceName('dots');
        const answers = [];
        for (const path of [`/v2/${project}/app/../other/manifests/latest`, `/v2/${project}/./app/manifests/latest`]) {
          const status = await rawGet(ctx, path, ctx.target.admin);
          answers.push({ line: `GET ${path} (admin): ${status}`, status });
        }
        return judge(answers, (status) => status === 200);
      }
      const api = harborApi(ctx);
      const own = ctx.resourceName('own');
      const other = ctx.resourceName('other');
      for (const name of [own, other]) {
        await ctx.step(`create private project ${name}`, () => createProject(api, name, { public: 'false' }));
        ctx.cleanup(() => deleteProjectWithRepositories(api, name));
      }
      const image = buildImage({ layers: [{ 'etc/harbor-conformance': `${other} private\n` }] }, 'oci');
      await ctx.step(`push ${other}/app:probe`, () => pushImage(registryClient(ctx), `${other}/app`, 'probe', image));
      const robot = await ctx.step(`create a robot with pull on ${own} only`, () =>
        api.createRobot({
          name: 'reader',
          level: 'project',
          duration: 1,
          permissions: [{ kind: 'project', namespace: own, access: [{ resource: 'repository', action: 'pull' }] }],
        }),
      );
      ctx.secret(robot.secret);
      ctx.cleanup(() => ignoreNotFound(api.deleteRobot(robot.id)));
      const credentials = { username: robot.name, password: robot.secret };
      const direct = await rawGet(ctx, `/v2/${other}/app/manifests/probe`, credentials);
      if (direct === 200)
        return {
          kind: 'inconclusive',
          why: `the robot of ${own} reads ${other} directly (${direct}): authorisation itself is broken, not this advisory`,
        };
      const answers = [{ line: `GET /v2/${other}/app/manifests/probe (robot of ${own}): ${direct}`, status: -1 }];
      for (const path of [
        `/v2/${own}/app/../../${other}/app/manifests/probe`,
        `/v2/${own}/app/%2e%2e/%2e%2e/${other}/app/manifests/probe`,
      ]) {
        const status = await rawGet(ctx, path, credentials);
        answers.push({ line: `GET ${path} (robot of ${own}): ${status}`, status });
      }
      const [control, ...traversals] = answers;
      const verdict = judge(traversals, (status) => status === 200);
      if (verdict.kind === 'inconclusive') return { ...verdict, why: `${control!.line}; ${verdict.why}` };
      return { ...verdict, observed: `${control!.line}; ${verdict.observed}` };
    },
  },
  {
    ghsa: 'GHSA-hj7x-hmf2-hc2p',
    title: `the admin account refuses the installer default password ${DEFAULT_ADMIN_PASSWORD} (read-only login attempt)`,
    caughtBy: ['default-admin-password'],
    async run(ctx) {
      const response = await ctx.http.get('/api/v2.0/users/current', {
        auth: { basic: { username: ctx.target.admin.username, password: DEFAULT_ADMIN_PASSWORD } },
      });
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
 * GET with the path sent exactly as written, with basic auth: fetch/undici resolve dot segments before sending
 * (WHATWG URL), which would hide what the server does with them. Evidence: a note per exchange.
 */
function rawGet(ctx: CheckContext, path: string, credentials: Credentials): Promise<number> {
  const base = new URL(registryUrl(ctx.target));
  const send = base.protocol === 'https:' ? httpsRequest : httpRequest;
  const authorization = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
  return new Promise((resolve, reject) => {
    const req = send(
      {
        host: base.hostname,
        port: base.port,
        path,
        method: 'GET',
        headers: { authorization, accept: 'application/vnd.oci.image.manifest.v1+json' },
        signal: ctx.signal,
        timeout: 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          ctx.evidence.note(
            `GET ${path} (raw path, basic auth as ${credentials.username} — redacted)`,
            `${res.statusCode} ${Buffer.concat(chunks).toString('utf8').slice(0, 300)}`,
          );
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
