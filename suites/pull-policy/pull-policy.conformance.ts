// The pull-policy table: every probed cell's expected answer comes from pull-decision.ts (Harbor's manifest
// middleware order and code, goharbor/harbor src/server/middleware/{contenttrust,vulnerable,util}@v2.15.2), never from the target.
// One workspace and one walk over the table feed both checks; the table is printed and attached as HTML.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, inject } from 'vitest';
import * as allure from 'allure-js-commons';
import { defineCheck, type CheckContext } from '../check.ts';
import { harborApi, registryClient } from '../support/harbor-clients.ts';
import { mapLimited, RawHttpProber, sendPatiently } from '../support/raw-http-probe.ts';
import { catalog } from './catalog.ts';
import { decidePull, harborReleaseOf } from './pull-decision.ts';
import { settingsTable, type SettingsSpec } from './pull-settings.ts';
import { createPullWorkspace, type ProbedArtifact, type PullWorkspace } from './pull-policy-workspace.ts';

interface PullCell {
  settings: SettingsSpec;
  artifact: string;
  caller: string;
  request: string;
  rule: string;
  expected: string;
  actual: string;
  ok: boolean;
  path: string;
}

interface PullRun {
  cells: PullCell[];
  workspace: PullWorkspace;
  ms: number;
  restore: () => Promise<void>;
}

let running: Promise<PullRun> | undefined;
/** Kept as soon as it exists, so a walk that fails half-way still removes the project, images and robots. */
let createdWorkspace: PullWorkspace | undefined;

type Probe = { caller: PullWorkspace['callers'][number]; method: 'GET' | 'HEAD'; by: 'tag' | 'digest' };

/**
 * Pruned to what can differ: the caller only matters through the exemption (R1: token or basic, push, signer
 * User-Agent) and the request only through the verb and the reference. So the pull robot asks every verb ×
 * reference, and each other caller one of them, a different one each, so every verb and reference meets an exempt
 * and a non-exempt caller across the table. Without any policy the answer cannot depend on the caller: one caller.
 */
function requestsFor(spec: SettingsSpec, workspace: PullWorkspace, artifact: ProbedArtifact): Probe[] {
  const [baseline, ...others] = workspace.callers;
  // An untagged artifact (an index child) is asked by digest only: its tag probes are asked by digest instead.
  const references = artifact.tag === undefined ? (['digest'] as const) : (['tag', 'digest'] as const);
  const all: Probe[] = (['GET', 'HEAD'] as const).flatMap((method) =>
    references.map((by) => ({ caller: baseline!, method, by })),
  );
  const noPolicy = !spec.settings.preventVul && !spec.settings.cosign && !spec.settings.notation;
  if (noPolicy) return all;
  const rotation: Array<Pick<Probe, 'method' | 'by'>> = [
    { method: 'GET', by: 'tag' },
    { method: 'HEAD', by: 'digest' },
    { method: 'GET', by: 'digest' },
    { method: 'HEAD', by: 'tag' },
    { method: 'GET', by: 'tag' },
  ];
  return [
    ...all,
    ...others.map((caller, index) => {
      const { method, by } = rotation[index % rotation.length]!;
      return { caller, method, by: artifact.tag === undefined ? ('digest' as const) : by };
    }),
  ];
}
const MANIFEST_TYPES =
  'application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.v2+json, application/vnd.docker.distribution.manifest.list.v2+json';

async function apply(ctx: CheckContext, workspace: PullWorkspace, spec: SettingsSpec): Promise<void> {
  const api = harborApi(ctx);
  await api.request('PUT', `/projects/${workspace.projectId}`, {
    body: {
      metadata: spec.metadata,
      cve_allowlist: {
        project_id: workspace.projectId,
        items: spec.projectAllowlist.items.map((cve_id) => ({ cve_id })),
        expires_at: spec.projectAllowlist.expiresAt,
      },
    },
  });
  if (spec.systemAllowlist) {
    await api.request('PUT', '/system/CVEAllowlist', {
      body: {
        items: spec.systemAllowlist.items.map((cve_id) => ({ cve_id })),
        expires_at: spec.systemAllowlist.expiresAt,
      },
    });
  }
}

function runFor(ctx: CheckContext): Promise<PullRun> {
  running ??= (async () => {
    const started = performance.now();
    const api = harborApi(ctx);
    const original = (
      await api.request<{ items?: Array<{ cve_id: string }>; expires_at?: number | null }>(
        'GET',
        '/system/CVEAllowlist',
      )
    ).data;
    const restore = async () => {
      await api.request('PUT', '/system/CVEAllowlist', {
        body: { items: original?.items ?? [], expires_at: original?.expires_at ?? null },
      });
    };
    const workspace = await createPullWorkspace(api, registryClient(ctx), {
      project: `${ctx.runId}-pull`,
      registryHost: ctx.target.registryHost,
      admin: ctx.target.admin,
    });
    createdWorkspace = workspace;
    const release = harborReleaseOf(ctx.target.harborVersion);
    const prober = new RawHttpProber(ctx.target.url, { maxSockets: 16, timeoutMs: 120_000 });
    const cells: PullCell[] = [];
    try {
      for (const spec of settingsTable(workspace.findingIds, Math.floor(Date.now() / 1000))) {
        await apply(ctx, workspace, spec);
        const probes = workspace.artifacts.flatMap((artifact) =>
          requestsFor(spec, workspace, artifact).map((probe) => ({ artifact, ...probe })),
        );
        cells.push(
          ...(await mapLimited(probes, 16, async ({ artifact, caller, method, by }) => {
            const decision = decidePull(spec.settings, artifact.state, caller.caller, release);
            const path = `/v2/${workspace.project}/${workspace.repository}/manifests/${by === 'tag' && artifact.tag ? artifact.tag : artifact.digest}`;
            const sent = await sendPatiently(prober, {
              method,
              path,
              headers: {
                accept: MANIFEST_TYPES,
                'user-agent': caller.caller.userAgent,
                ...(caller.authorization ? { authorization: caller.authorization } : {}),
              },
            });
            const answer = sent.answer ?? { status: 0, headers: {}, body: `no answer: ${sent.error ?? 'unknown'}` };
            let message: string | undefined;
            try {
              message = (JSON.parse(answer.body) as { errors?: Array<{ message?: string }> }).errors?.[0]?.message;
            } catch {
              message = undefined;
            }
            // HEAD answers carry no body: the status alone is judged.
            const messageOk = decision.status !== 412 || method === 'HEAD' || message === decision.message;
            return {
              settings: spec,
              artifact: artifact.state.name,
              caller: caller.caller.name,
              request: `${method} by ${by}`,
              rule: decision.rule,
              expected: `${decision.status}${decision.message && method === 'GET' ? ` ${decision.message}` : ''}`,
              actual: `${answer.status}${answer.status !== 200 && message ? ` ${message}` : ''}`,
              ok: answer.status === decision.status && messageOk,
              path,
            };
          })),
        );
      }
    } finally {
      prober.close();
      await restore();
    }
    const run = { cells, workspace, ms: performance.now() - started, restore };
    const { runDir } = inject('run');
    await mkdir(join(runDir, 'evidence'), { recursive: true });
    await writeFile(join(runDir, 'evidence', 'pull-policy.html'), tableHtml(cells));
    process.stdout.write(`\n${summary(cells, run.ms)}\n`);
    return run;
  })();
  return running;
}

afterAll(async () => {
  await running?.catch(() => undefined);
  await createdWorkspace?.cleanup();
});

const escapeHtml = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** Rows: settings × artifact; columns: caller × request; green as expected, red differs (hover for both answers). */
function tableHtml(cells: readonly PullCell[]): string {
  const rows = [...new Set(cells.map((c) => `${c.settings.settings.name}\u0000${c.artifact}`))];
  const columns = [...new Set(cells.map((c) => `${c.caller}\u0000${c.request}`))];
  const index = new Map(
    cells.map((c) => [`${c.settings.settings.name}\u0000${c.artifact}\u0000${c.caller}\u0000${c.request}`, c]),
  );
  const head = columns
    .map(
      (col) =>
        `<th style="writing-mode:vertical-rl;transform:rotate(180deg);font-weight:normal">${escapeHtml(col.replace('\u0000', ' · '))}</th>`,
    )
    .join('');
  const body = rows.map((row) => {
    const tds = columns.map((col) => {
      const cell = index.get(`${row}\u0000${col}`);
      if (!cell) return '<td></td>';
      const tip = escapeHtml(`${cell.rule}: expected ${cell.expected}; got ${cell.actual}`);
      return `<td title="${tip}" style="background:${cell.ok ? '#2e7d32' : '#c62828'};color:#fff;text-align:center">${cell.expected.slice(0, 3)}</td>`;
    });
    return `<tr><th style="text-align:left;font-weight:normal;white-space:nowrap">${escapeHtml(row.replace('\u0000', ' · '))}</th>${tds.join('')}</tr>`;
  });
  const bad = cells
    .filter((c) => !c.ok)
    .map(
      (c) =>
        `<li>${escapeHtml(`${c.settings.settings.name} · ${c.artifact} · ${c.caller} · ${c.request} (${c.rule}): expected ${c.expected}; got ${c.actual} — ${c.path}`)}</li>`,
    );
  return (
    `<!doctype html><meta charset="utf-8"><body style="font:12px sans-serif"><h2>Harbor pull-policy table</h2><p>${cells.length} cells, ${bad.length} differing. Each cell shows the expected status (rule and both answers on hover).</p>` +
    `<table border="1" style="border-collapse:collapse"><tr><th></th>${head}</tr>${body.join('')}</table><h3>Differing cells</h3><ul>${bad.join('') || '<li>none</li>'}</ul></body>`
  );
}

function summary(cells: readonly PullCell[], ms: number): string {
  const lines = [...new Set(cells.map((c) => c.settings.settings.name))].map((name) => {
    const inRow = cells.filter((c) => c.settings.settings.name === name);
    const refused = inRow.filter((c) => c.expected.startsWith('412')).length;
    const bad = inRow.filter((c) => !c.ok).length;
    return `  ${name.padEnd(52)} ${String(inRow.length).padStart(4)} cells  ${String(refused).padStart(3)} expected 412  ${String(bad).padStart(3)} differing`;
  });
  const rules = [...new Set(cells.map((c) => c.rule))].sort();
  return [
    `pull-policy table: ${cells.length} cells in ${(ms / 1000).toFixed(1)} s (rules covered: ${rules.join(', ')})`,
    ...lines,
  ].join('\n');
}

async function judge(
  ctx: CheckContext,
  select: (spec: SettingsSpec) => boolean,
  title: string,
  { needsThresholdRefusal = false } = {},
): Promise<void> {
  const run = await ctx.step('walk the pull-policy table (once per run)', () => runFor(ctx));
  for (const secret of run.workspace.secrets) ctx.secret(secret);
  const cells = run.cells.filter((c) => select(c.settings));
  await allure.attachment(`${title}.html`, tableHtml(cells), { contentType: 'text/html' });
  ctx.evidence.note('table', summary(cells, run.ms));
  // The scanned artifacts' findings are read from the target's own reports: a scanner that reports nothing
  // would make every threshold row expect 200 and let a blocker that refuses nothing pass.
  const prevention = cells.filter((c) => c.settings.settings.preventVul);
  if (needsThresholdRefusal && prevention.length > 0 && !prevention.some((c) => c.rule === 'R8 at or above threshold'))
    throw new Error(
      `${title}: no scanned artifact reports a finding at or above any probed threshold, so the table cannot tell a working vulnerability blocker from one that refuses nothing — check the scanner's vulnerability database (the fixtures carry Critical and High CVEs)`,
    );
  const bad = cells.filter((c) => !c.ok);
  for (const cell of bad.slice(0, 60))
    ctx.evidence.note(
      `differs: ${cell.settings.settings.name} · ${cell.artifact} · ${cell.caller} · ${cell.request}`,
      `${cell.rule}: expected ${cell.expected}; got ${cell.actual} (${cell.path})`,
    );
  if (bad.length > 0) {
    const shown = bad
      .slice(0, 25)
      .map(
        (c) =>
          `${c.settings.settings.name} · ${c.artifact} · ${c.caller} · ${c.request}: expected ${c.expected.slice(0, 60)}, got ${c.actual.slice(0, 60)}`,
      );
    throw new Error(`${title}: ${bad.length} differing cell(s): ${shown.join('; ')}`);
  }
}

describe('pull-policy', () => {
  defineCheck(
    catalog.contentTrust,
    (ctx) => judge(ctx, (s) => s.settings.cosign || s.settings.notation, 'content trust cells'),
    { timeoutMs: 600_000 },
  );
  defineCheck(
    catalog.vulnerabilityPrevention,
    (ctx) =>
      judge(ctx, (s) => !s.settings.cosign && !s.settings.notation, 'vulnerability prevention cells', {
        needsThresholdRefusal: true,
      }),
    { timeoutMs: 600_000 },
  );
});
