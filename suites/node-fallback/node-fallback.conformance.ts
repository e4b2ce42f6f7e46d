// FALLBACK-001: real containerd (Debian's 1.6 ctr and containerd 2.x's ctr) pulls through a hosts.toml mirror
// list [Harbor's project path, upstream] for each answer Harbor can give; recording fronts log what each side
// served, and the rows are compared with the team's expectation (policy `nodeFallback`, default the claim).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as allure from 'allure-js-commons';
import { describe } from 'vitest';
import type { FallbackScenario } from '../../policies/node-fallback-policy.ts';
import type { Credentials } from '../../lib/target.ts';
import { defineCheck } from '../check.ts';
import type { ProjectWorkspace } from '../support/check-fixtures.ts';
import { mapLimited } from '../support/raw-http-probe.ts';
import { catalog } from './catalog.ts';
import {
  containerdAddress,
  ctrPull,
  findContainerdClients,
  missingCtrReason,
  removeNamespace,
  type ContainerdClient,
} from './containerd-clients.ts';
import { prepareWorkspace, pushRowImage, TAG } from './fallback-workspace.ts';
import { renderFallbackTable } from './fallback-table.ts';
import { judgeRuns, type PullRun } from './fallback-verdict.ts';
import {
  renderCrioRegistriesConf,
  renderHostsToml,
  renderTalosMirrors,
  renderTalosRegistryMirrorDocument,
  type MirrorConfig,
} from './mirror-config.ts';
import {
  HARBOR_INTERNAL_ERROR,
  NGINX_BAD_GATEWAY,
  NGINX_FORBIDDEN,
  refusedPort,
  startRecordingFront,
  type FrontMode,
} from './recording-front.ts';

interface Row {
  scenario: FallbackScenario;
  /** What answers at Harbor's address: Harbor itself (forward), a fixed answer, a black hole, or nothing. */
  harbor: 'forward' | 'refused' | FrontMode;
  project: ProjectWorkspace;
  credentials: Credentials;
  /** The prevent_vul row: a vulnerable image, scanned. */
  vulnerable?: boolean;
  /** The image is only upstream (the not-found row). */
  notInHarbor?: boolean;
}

/** A healthy pull takes well under a second here; anything still running after this is a hang. */
const PULL_BOUND_MS = 15_000;
const CONCURRENT_PULLS = 10;
/** The remediation (Harbor the only mirror) is measured on these rows. */
const REMEDIATION_ROWS: readonly FallbackScenario[] = [
  'healthy',
  'no-pull-permission',
  'vulnerable',
  'unsigned',
  'server-error',
];

const RESOLVER_SOURCE =
  'containerd remotes/docker/resolver.go@v1.6.20 Resolve (a request error, 404 or any status > 399 → "trying next host") and ' +
  'fetcher.go Fetch (any error → next host); the same in core/remotes/docker/resolver.go@v2.4.2 (firstErrPriority only picks the error reported); ' +
  'no response timeout in remotes/docker/config/hosts.go (dial 30 s; 2.x adds dial_timeout per host)';

describe('node-fallback', () => {
  defineCheck(catalog.mirrorFallback, async (ctx) => {
    const found = await findContainerdClients();
    for (const reason of found.missing) ctx.evidence.note('containerd client missing', reason);
    // Debian's ctr (the containerd of Debian nodes) is required; 2.x is added where it could be built.
    if (!found.debian) ctx.skip(missingCtrReason());
    const address =
      containerdAddress() ??
      ctx.skip(
        'no containerd socket (HC_CONTAINERD_ADDRESS, /var/run/docker/containerd/containerd.sock, /run/containerd/containerd.sock)',
      );
    const upstream =
      ctx.target.peers.plainRegistry ??
      ctx.skip('the environment has no plain registry beside Harbor to act as the upstream');
    ctx.evidence.note('containerd clients', found.clients.map((c) => `${c.label}: ${c.binary}`).join('; '));

    const ws = await ctx.step('prepare Harbor and the upstream', () => prepareWorkspace(ctx, upstream));
    const wrongSecret = `wrong-${Math.random().toString(36).slice(2, 12)}`;
    ctx.secret(wrongSecret);
    const rows: Row[] = [
      { scenario: 'healthy', harbor: 'forward', project: ws.plain, credentials: ws.robots.plain },
      { scenario: 'stopped', harbor: 'refused', project: ws.plain, credentials: ws.robots.plain },
      {
        scenario: 'black-holed',
        harbor: { kind: 'black-hole' },
        project: ws.plain,
        credentials: ws.robots.plain,
      },
      {
        scenario: 'bad-credentials',
        harbor: 'forward',
        project: ws.plain,
        // per client (below): Harbor's login lock holds a principal 1.5 s per failure, so it must not be shared
        credentials: { username: '', password: wrongSecret },
      },
      {
        scenario: 'no-pull-permission',
        harbor: 'forward',
        project: ws.plain,
        credentials: ws.robots.noPull,
      },
      {
        scenario: 'ingress-forbidden',
        harbor: NGINX_FORBIDDEN,
        project: ws.plain,
        credentials: ws.robots.plain,
      },
      { scenario: 'not-found', harbor: 'forward', project: ws.plain, credentials: ws.robots.plain, notInHarbor: true },
      ...(ws.vulnerable && ws.robots.vulnerable
        ? [
            {
              scenario: 'vulnerable' as const,
              harbor: 'forward' as const,
              project: ws.vulnerable,
              credentials: ws.robots.vulnerable,
              vulnerable: true,
            },
          ]
        : []),
      { scenario: 'unsigned', harbor: 'forward', project: ws.cosign, credentials: ws.robots.cosign },
      {
        scenario: 'server-error',
        harbor: HARBOR_INTERNAL_ERROR,
        project: ws.plain,
        credentials: ws.robots.plain,
      },
      {
        scenario: 'bad-gateway',
        harbor: NGINX_BAD_GATEWAY,
        project: ws.plain,
        credentials: ws.robots.plain,
      },
    ];

    const tmp = await mkdtemp(join(tmpdir(), `${ctx.runId}-node-fallback-`));
    ctx.cleanup(() => rm(tmp, { recursive: true, force: true }));
    const remover = found.clients[0]!.binary;
    const namespaces = found.clients.map((_, i) => `${ctx.runId}-fallback-${i + 1}`);
    for (const ns of namespaces)
      ctx.cleanup(() => ctx.step(`remove containerd namespace ${ns}`, () => removeNamespace(remover, address, ns)));

    // Over TLS a black hole also stalls the handshake, which containerd's transport gives up after 10 s
    // (TLSHandshakeTimeout: remotes/docker/config/hosts.go@v1.6.20, core/remotes/docker/registry.go@v2.4.2):
    // against an https Harbor the bound must outlast it, or a fallback after it would be missed.
    const boundMs = Math.max(
      ctx.policy.nodeFallback.blackHoleBoundSeconds * 1000,
      ctx.target.url.startsWith('https:') ? 15_000 : 0,
    );
    let example: string | undefined;
    const pullRow = async (
      client: ContainerdClient,
      clientIndex: number,
      row: Row,
      repo: string,
      harborOnly: boolean,
    ): Promise<PullRun> => {
      const harborFront =
        row.harbor === 'refused'
          ? null
          : await startRecordingFront(
              'harbor',
              row.harbor === 'forward' ? { kind: 'forward', to: ctx.target.url } : row.harbor,
            );
      const upstreamFront = await startRecordingFront('upstream', { kind: 'forward', to: upstream.url });
      try {
        const config: MirrorConfig = {
          upstreamHost: upstreamFront.host,
          upstreamUrl: upstreamFront.url,
          harborUrl: harborFront?.url ?? `http://${await refusedPort()}`,
          harborProject: row.project.name,
          fallbackToUpstream: !harborOnly,
        };
        const hostsDir = join(tmp, `${clientIndex}-${harborOnly ? 'h-' : ''}${row.scenario}`);
        await mkdir(join(hostsDir, upstreamFront.host), { recursive: true });
        const hostsToml = renderHostsToml(config);
        await writeFile(join(hostsDir, upstreamFront.host, 'hosts.toml'), hostsToml);
        if (row.scenario === 'healthy' && !harborOnly && example === undefined) example = hostsToml;
        const ref = `${upstreamFront.host}/${repo}:${TAG}`;
        const outcome = await ctrPull(client, {
          address,
          namespace: namespaces[clientIndex]!,
          ref,
          hostsDir,
          credentials: credentialsFor(row, clientIndex),
          boundMs: row.scenario === 'black-holed' ? boundMs : PULL_BOUND_MS,
        });
        const run: PullRun = {
          scenario: row.scenario,
          containerd: client.label,
          mirrors: harborOnly ? 'harbor-only' : 'harbor-then-upstream',
          pulled: outcome.exitCode === 0,
          timedOut: outcome.timedOut,
          ms: outcome.ms,
          ...(outcome.error ? { error: outcome.error } : {}),
          requests: [...(harborFront?.requests ?? []), ...upstreamFront.requests],
        };
        ctx.evidence.note(
          `${client.label} ${harborOnly ? 'Harbor only ' : ''}${row.scenario}`,
          JSON.stringify({ ref, user: credentialsFor(row, clientIndex).username, ...run }),
        );
        ctx.evidence.timing(
          `${client.label} ${harborOnly ? 'Harbor only ' : ''}${row.scenario}: time to answer`,
          outcome.ms,
        );
        return run;
      } finally {
        await harborFront?.close();
        await upstreamFront.close();
      }
    };

    // A robot whose secret was rotated: the node still has the old one (one robot per client, see above).
    const stale = await Promise.all(
      found.clients.map((_, i) => ctx.robot({ project: ws.plain, name: `rotated${i + 1}` })),
    );
    const credentialsFor = (row: Row, i: number): Credentials =>
      row.scenario === 'bad-credentials' ? { username: stale[i]!.name, password: wrongSecret } : row.credentials;
    const base = ctx.runId.toLowerCase();
    const jobs = found.clients.flatMap((client, i) => [
      ...rows.map((row) => ({ client, i, row, harborOnly: false, repo: `${base}/c${i + 1}-${row.scenario}` })),
      // The remediation measured too: Harbor as the node's only source.
      ...rows
        .filter((row) => REMEDIATION_ROWS.includes(row.scenario))
        .map((row) => ({ client, i, row, harborOnly: true, repo: `${base}/c${i + 1}-h-${row.scenario}` })),
    ]);
    // The slow ones first (black holes run to the bound; bad credentials wait out the login lock per retry; a
    // vulnerable image waits for its scan), each pull right after its own push, so the quick ones go by meanwhile.
    const slow = (job: (typeof jobs)[number]) =>
      Number(['black-holed', 'bad-credentials', 'vulnerable'].includes(job.row.scenario));
    jobs.sort((a, b) => slow(b) - slow(a));
    const runs = await ctx.step(
      `push ${jobs.length} images to Harbor and the upstream (one per pull) and pull each (${CONCURRENT_PULLS} at once)`,
      () =>
        mapLimited(jobs, CONCURRENT_PULLS, async (job) => {
          await pushRowImage(ctx, ws, {
            repo: job.repo,
            project: job.row.project,
            vulnerable: job.row.vulnerable ?? false,
            inHarbor: !job.row.notInHarbor,
          });
          return pullRow(job.client, job.i, job.row, job.repo, job.harborOnly);
        }),
    );
    const order = (run: PullRun) =>
      found.clients.findIndex((c) => c.label === run.containerd) * 1000 +
      (run.mirrors === 'harbor-only' ? 100 : 0) +
      rows.findIndex((r) => r.scenario === run.scenario);
    runs.sort((a, b) => order(a) - order(b));

    const healthy = runs.filter((r) => r.scenario === 'healthy' && !r.pulled);
    for (const run of healthy)
      if (run.requests.length === 0)
        throw new Error(`${run.containerd} could not pull at all: ${run.error ?? 'no error'}`);

    const verdict = judgeRuns(runs, ctx.policy.nodeFallback);
    const table = renderFallbackTable(verdict.rows);
    const teams: MirrorConfig = {
      upstreamHost: 'docker.io',
      upstreamUrl: 'https://registry-1.docker.io',
      harborUrl: 'https://harbor.example.com',
      harborProject: 'dockerhub',
      fallbackToUpstream: true,
    };
    const fixed: MirrorConfig = { ...teams, fallbackToUpstream: false };
    const configs = [
      `## The mirror configuration measured (containerd hosts.toml, one run's)\n\n\`\`\`toml\n${example ?? ''}\`\`\``,
      `## The same for docker.io as teams write it\n\n### containerd /etc/containerd/certs.d/docker.io/hosts.toml\n\n\`\`\`toml\n${renderHostsToml(teams)}\`\`\`\n\n### Talos machine config (machine.registries.mirrors)\n\n\`\`\`yaml\n${renderTalosMirrors(teams)}\`\`\`\n\n### Talos 1.12+ RegistryMirrorConfig document\n\n\`\`\`yaml\n${renderTalosRegistryMirrorDocument(teams)}\`\`\`\n\n### CRI-O /etc/containers/registries.conf.d/harbor.conf\n\n\`\`\`toml\n${renderCrioRegistriesConf(teams)}\`\`\``,
      `## What to change: Harbor as the only source (its proxy-cache project reaches the upstream)\n\n\`\`\`toml\n${renderHostsToml(fixed)}\`\`\`\n\n\`\`\`yaml\n${renderTalosMirrors(fixed)}\`\`\`\n\n\`\`\`yaml\n${renderTalosRegistryMirrorDocument(fixed)}\`\`\`\n\n\`\`\`toml\n${renderCrioRegistriesConf(fixed)}\`\`\``,
    ].join('\n\n');
    const report = `# Node fallback (FALLBACK-001)\n\n${table}\n${configs}\n`;
    ctx.evidence.note('node-fallback table', table);
    ctx.evidence.note('mirror configurations', configs);
    await allure.attachment('node-fallback.md', report, { contentType: 'text/markdown' });
    console.log(`\n${table}`);

    const defects = verdict.rows.filter((r) => r.verdict === 'Harbor defect');
    const deviations = verdict.rows.filter((r) => r.verdict === 'resolver deviation');
    const describeRow = (r: (typeof verdict.rows)[number]) =>
      `${r.run.containerd} ${r.run.scenario}: ${r.reasons.join('; ')}`;
    if (defects.length > 0)
      throw new Error(
        `Harbor's answers let a node take refused images from the upstream (or served them):\n${defects.map(describeRow).join('\n')}\n\n${table}`,
      );
    if (deviations.length > 0) {
      const bypassed = [...new Set(deviations.filter((r) => r.bypass).map((r) => r.run.scenario))];
      const fact =
        `the node did not do what the team expects on ${deviations.length} of ${runs.length} pulls although Harbor answered as Harbor does` +
        (bypassed.length > 0 ? `; it pulled from the upstream the image Harbor refused (${bypassed.join(', ')})` : '') +
        `: ${deviations.map(describeRow).join(' | ')}`;
      if (ctx.policy.nodeFallback.resolverDeviation === 'fail') throw new Error(`${fact}\n\n${table}`);
      ctx.warn(fact, RESOLVER_SOURCE);
    }
  });
});
