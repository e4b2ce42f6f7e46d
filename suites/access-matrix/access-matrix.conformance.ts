// The access matrix (facts: Harbor's RBAC tables, goharbor/harbor src/common/rbac@v2.15.2, in harbor-rbac-policies.ts).
// The whole matrix is probed once (the first check that needs it) and every check judges its slice; the
// picture of all cells is attached to each check, and written beside the evidence as access-matrix.html.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, inject } from 'vitest';
import * as allure from 'allure-js-commons';
import { defineCheck, type CheckContext } from '../check.ts';
import { harborApi, registryClient } from '../support/harbor-clients.ts';
import { RawHttpProber } from '../support/raw-http-probe.ts';
import { catalog } from './catalog.ts';
import { denialCells, planCells, runCells, type Cell, type CellArea } from './matrix-cells.ts';
import { createMatrixFixture, discoverMatrixFixture, type MatrixFixture } from './matrix-fixture.ts';
import { differingList, renderMatrixHtml, renderMatrixSummary } from './matrix-picture.ts';
import { redactText, SecretRegistry } from '../../lib/redact.ts';

interface MatrixRun {
  cells: Cell[];
  fixture: MatrixFixture;
  ms: number;
}

let running: Promise<MatrixRun> | undefined;
/** Kept as soon as it exists, so a probe run that fails half-way still removes what the fixture made. */
let createdFixture: MatrixFixture | undefined;

function matrixFor(ctx: CheckContext): Promise<MatrixRun> {
  running ??= (async () => {
    const started = performance.now();
    const options = {
      api: harborApi(ctx),
      registry: registryClient(ctx),
      baseName: `${ctx.runId}-acc`,
      admin: ctx.target.admin,
    };
    const fixture = ctx.target.capabilities.mutating
      ? await createMatrixFixture(options)
      : await discoverMatrixFixture(options);
    createdFixture = fixture;
    const prober = new RawHttpProber(ctx.target.url, { maxSockets: 16 });
    try {
      const probed = await runCells(prober, planCells(fixture, { mutating: ctx.target.capabilities.mutating }));
      const cells = [...probed, ...denialCells(probed, fixture)];
      const ms = performance.now() - started;
      const run = { cells, fixture, ms };
      await publish(run);
      return run;
    } finally {
      prober.close();
    }
  })();
  return running;
}

async function publish(run: MatrixRun): Promise<void> {
  const summary = renderMatrixSummary(run.cells, run.ms);
  process.stdout.write(`\n${summary}\n`);
  const { runDir } = inject('run');
  await mkdir(join(runDir, 'evidence'), { recursive: true });
  await writeFile(
    join(runDir, 'evidence', 'access-matrix.html'),
    redact(renderMatrixHtml('Harbor access matrix', run.cells), run.fixture),
  );
}

/**
 * Secrets never leave the run: Authorization headers are not in the picture; the fixture's passwords and robot
 * secrets (in every encoding) and any token or credential an answer body carries (a JWT of a token cell, a
 * robot secret of a create that should have been refused) are redacted.
 */
function redact(text: string, fixture: MatrixFixture): string {
  const secrets = new SecretRegistry();
  for (const secret of fixture.secrets) secrets.add(secret);
  return redactText(text, secrets);
}

afterAll(async () => {
  await running?.catch(() => undefined);
  await createdFixture?.cleanup();
});

async function judge(ctx: CheckContext, areas: CellArea[], title: string): Promise<void> {
  const run = await ctx.step('probe the whole access matrix (once per run)', () => matrixFor(ctx));
  for (const secret of run.fixture.secrets) ctx.secret(secret);
  const cells = run.cells.filter((c) => areas.includes(c.area));
  if (cells.length === 0)
    ctx.skip(`no ${areas.join('/')} cells can be asked on this target (read-only without the accounts they need)`);
  const html = redact(renderMatrixHtml(title, cells), run.fixture);
  await allure.attachment(`${title}.html`, html, { contentType: 'text/html' });
  ctx.evidence.note('matrix', renderMatrixSummary(cells, run.ms));
  const bad = cells.filter((c) => !c.ok);
  for (const cell of bad.slice(0, 60)) {
    ctx.evidence.note(
      `differs: ${cell.identity} × ${cell.operation} × ${cell.kind}`,
      `expected ${cell.expected}, got ${cell.actual}; ${cell.request.method} ${cell.request.path} → ${cell.answer?.status ?? '-'} ${cell.answer?.body.slice(0, 300) ?? ''}`,
    );
  }
  for (const cell of cells.filter((c) => c.retried).slice(0, 60)) {
    ctx.evidence.note(
      `asked again: ${cell.identity} × ${cell.operation} × ${cell.kind}`,
      `first answer ${cell.retried}; then ${cell.actual}`,
    );
  }
  const warned = cells.filter((c) => c.ok && c.warning);
  if (warned.length > 0)
    ctx.warn(
      `${warned.length} cell(s): ${warned[0]!.warning}`,
      'goharbor/harbor src/server/middleware/v2auth/auth.go@v2.15.2',
    );
  if (bad.length > 0) throw new Error(`${title}: ${differingList(bad)}`);
}

describe('access-matrix', () => {
  defineCheck(catalog.apiActions, (ctx) => judge(ctx, ['api'], 'REST operations'), { timeoutMs: 300_000 });
  defineCheck(catalog.registryVerbs, (ctx) => judge(ctx, ['registry'], '/v2 verbs'), { timeoutMs: 300_000 });
  defineCheck(catalog.tokenGrants, (ctx) => judge(ctx, ['token'], 'token service grants'), { timeoutMs: 300_000 });
  defineCheck(catalog.currentPermissions, (ctx) => judge(ctx, ['permissions'], '/users/current/permissions'), {
    timeoutMs: 300_000,
  });
  defineCheck(catalog.pathSpellings, (ctx) => judge(ctx, ['spelling'], 'path spellings of denied cells'), {
    timeoutMs: 300_000,
  });
  defineCheck(
    catalog.denialsIndistinguishable,
    (ctx) => judge(ctx, ['denial'], 'denials beside nonexistent projects'),
    { timeoutMs: 300_000 },
  );
});
