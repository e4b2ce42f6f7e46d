// The OCI distribution-spec conformance program against the target's /v2, once per run, in a run-id
// project with a robot account of its own (pull, push, delete on the project's repositories); each of the
// spec's four workflow categories is a check that reads its part of the program's results. Its evidence is
// the program's own log of each test, redacted like every other evidence.
import { join } from 'node:path';
import { afterAll, describe, inject } from 'vitest';
import { HarborApiClient } from '../../lib/harbor-api.ts';
import type { Target } from '../../lib/target.ts';
import { missingToolReason, resolveGoTool } from '../../lib/tools/go-tools.ts';
import { defineCheck, type CheckContext } from '../check.ts';
import type { CheckDefinition } from '../check-definition.ts';
import { createProject, deleteProjectWithRepositories } from '../support/harbor-projects.ts';
import { catalog } from './catalog.ts';
import { type ConformanceProgramRun, runConformanceProgram } from './conformance-program.ts';
import { type ProgramTest, type SpecCategory, judgeCategory } from './conformance-results.ts';
import { distribution28Limitations } from './registry-limitations.ts';

const SPEC = 'https://github.com/opencontainers/distribution-spec/blob/main/spec.md';
const MAX_EVIDENCE_TESTS = 40;

interface SharedRun {
  run: ConformanceProgramRun;
  project: string;
  robotSecret: string;
}

let shared: Promise<SharedRun> | undefined;
const teardown: Array<() => Promise<void>> = [];

afterAll(async () => {
  for (const fn of teardown.reverse()) await fn();
});

/** The program runs once; the first check to ask starts it, the others wait for the same run. */
function conformanceRun(ctx: CheckContext): Promise<SharedRun> {
  shared ??= startRun(ctx.target, ctx.runId);
  return shared;
}

async function startRun(target: Target, runId: string): Promise<SharedRun> {
  const program = resolveGoTool('oci-conformance');
  if (!program) throw new Error(missingToolReason('oci-conformance'));
  const api = new HarborApiClient({ baseUrl: target.url, credentials: target.admin });
  const project = `${runId}-ocid`;
  await createProject(api, project, { public: 'false' });
  teardown.push(() => deleteProjectWithRepositories(api, project));
  const robot = await api.createRobot({
    name: 'ocid',
    level: 'project',
    duration: 1,
    permissions: [
      {
        kind: 'project',
        namespace: project,
        access: ['pull', 'push', 'delete'].map((action) => ({ resource: 'repository', action })),
      },
    ],
  });
  teardown.push(() => api.deleteRobot(robot.id).catch(() => undefined)); // deleting the project removes it too
  const context = inject('run');
  const run = await runConformanceProgram({
    program,
    registryHost: target.registryHost,
    tls: target.url.startsWith('https:') ? 'enabled' : 'disabled',
    repositories: [`${project}/repo1`, `${project}/repo2`],
    credentials: { username: robot.name, password: robot.secret },
    mutating: target.capabilities.mutating,
    resultsDir: join(context?.runDir ?? '.', 'oci-conformance'),
    timeoutMs: 1_740_000,
  });
  return { run, project, robotSecret: robot.secret };
}

const categoryTitle: Record<SpecCategory, string> = {
  pull: 'pull',
  push: 'push',
  discovery: 'content discovery',
  management: 'content management',
};

async function judge(ctx: CheckContext, category: SpecCategory): Promise<void> {
  const program = resolveGoTool('oci-conformance');
  if (!program) ctx.skip(missingToolReason('oci-conformance'));
  const { run, robotSecret } = await ctx.step(
    'the OCI conformance program against /v2 (one run for OCID-001…004)',
    () => conformanceRun(ctx),
  );
  ctx.secret(robotSecret);
  const verdict = judgeCategory(run.tests, category, distribution28Limitations);
  const counts = countByStatus(verdict.tests);
  ctx.evidence.note(
    'program',
    `${program!.path} (${program!.source === 'built' ? program!.pinned : 'from PATH'}), ${Math.round(run.seconds)} s, exit ${run.exitCode}`,
  );
  ctx.evidence.note(`${categoryTitle[category]} tests by status`, JSON.stringify(counts));
  ctx.evidence.note('program summary', run.summary.slice(run.summary.indexOf('OCI Conformance Result')));
  for (const test of [...verdict.unexplained, ...verdict.limited.map((l) => l.test)].slice(0, MAX_EVIDENCE_TESTS)) {
    ctx.evidence.note(`${test.status}: ${test.name}`, `${test.errors}\n\n${test.log.slice(0, 6000)}`);
  }
  if (verdict.tests.length === 0)
    throw new Error(`the conformance program ran no ${categoryTitle[category]} test (see its summary in the evidence)`);
  if (counts.passed === 0 && verdict.failed.length === 0)
    ctx.skip(`the conformance program skipped every ${categoryTitle[category]} test (${JSON.stringify(counts)})`);
  if (verdict.unexplained.length > 0) {
    const lines = verdict.unexplained.slice(0, 12).map((t) => `${t.name}: ${t.errors.split('\n')[0]}`);
    throw new Error(
      `${verdict.unexplained.length} of ${verdict.tests.length} ${categoryTitle[category]} tests of the OCI conformance program failed (${SPEC}):\n${lines.join('\n')}`,
    );
  }
  const limitations = [...new Set(verdict.limited.map((l) => l.limitation))];
  for (const limitation of limitations) {
    const tests = verdict.limited.filter((l) => l.limitation === limitation).length;
    ctx.warn(
      `${limitation.fact} (${tests} test${tests === 1 ? '' : 's'} of the OCI conformance program)`,
      limitation.source,
    );
  }
}

function countByStatus(tests: readonly ProgramTest[]): Record<ProgramTest['status'], number> {
  const counts = { passed: 0, failed: 0, skipped: 0, error: 0 };
  for (const t of tests) counts[t.status] += 1;
  return counts;
}

describe('oci-distribution', () => {
  const checks: Array<[CheckDefinition, SpecCategory]> = [
    [catalog.pull, 'pull'],
    [catalog.push, 'push'],
    [catalog.discovery, 'discovery'],
    [catalog.management, 'management'],
  ];
  for (const [check, category] of checks)
    defineCheck(check, (ctx) => judge(ctx, category), { timeoutMs: check.timeoutMs ?? 1_800_000 });
});
