// One retention scenario end to end: seed the repositories with known push and pull times, create the
// immutable rules and the retention policy, dry run (the log must mark exactly what the rules give, nothing is
// deleted), run (the same marks, exactly the DEL set deleted — the manifests gone from the registry too),
// then pull every survivor completely by digest and by each of its tags. Every difference is collected, the
// table of the seeded artifacts and their fate is attached, and the check fails with all differences at once.
import * as allure from 'allure-js-commons';
import type { CheckContext } from '../check.ts';
import { pullCompletely } from '../support/complete-pulls.ts';
import { pullManifest } from '../support/manifest-pulls.ts';
import { mapLimited } from '../support/raw-http-probe.ts';
import {
  expectedRetention,
  type ImmutableRuleSpec,
  isImmutableArtifact,
  type Retention,
  type RetentionRuleBody,
  type SeededArtifact,
  seededTimes,
} from './expected-retention.ts';
import { type RetentionReportRow, renderRetentionHtml, renderRetentionMarkdown } from './retention-report.ts';
import {
  type PushedArtifact,
  type RetentionRunReport,
  type RetentionWorkspace,
  retentionProject,
} from './retention-workspace.ts';

export interface SeedSpec {
  tags: string[];
  pushedDaysAgo: number;
  pulledDaysAgo?: number;
}

export interface RetentionScenario {
  /** Repository names without the project, e.g. `app`, `team/a/b/c`. */
  repositories: readonly string[];
  artifacts: readonly SeedSpec[];
  rules: readonly RetentionRuleBody[];
  immutable: readonly ImmutableRuleSpec[];
  /** Push or pull times decide (every template but `always`): needs the target's test clock. */
  needsClock: boolean;
  /** A schedule for the policy (6-field cron); empty: manual only. */
  cron?: string;
  /** More checks on the created policy (its API answers); returns the differences found. */
  afterPolicy?: (ws: RetentionWorkspace, policyId: number) => Promise<string[]>;
}

export const WAIT_FREE =
  'needs seeded push and pull times (the test clock of the offline stack); a real Harbor runs only the wait-free scenarios (RET-005, RET-007)';

const days = (at: number | undefined, now: number) =>
  at === undefined ? 'never' : `${Math.round((now - at) / 86_400_000)} d ago`;

export async function runRetentionScenario(ctx: CheckContext, scenario: RetentionScenario): Promise<void> {
  const clock = ctx.target.testClock !== undefined;
  if (scenario.needsClock && !clock) ctx.skip(WAIT_FREE);
  const ws = await retentionProject(ctx);
  for (const rule of scenario.immutable) await ws.createImmutableRule(rule);
  const seededAt = Date.now();
  const pushed: PushedArtifact[] = [];
  await ctx.step(
    `seed ${scenario.repositories.join(', ')} with ${scenario.artifacts.length} artifacts each`,
    async () => {
      const seeded: SeededArtifact[] = scenario.artifacts.map((spec, index) => ({
        label: spec.tags.length > 0 ? spec.tags.join(',') : `(untagged #${index + 1})`,
        tags: spec.tags,
        ...seededTimes(seededAt, spec.pushedDaysAgo, spec.pulledDaysAgo),
      }));
      const repositories = await mapLimited(scenario.repositories, 2, (repository) => ws.pushAll(repository, seeded));
      pushed.push(...repositories.flat());
      if (clock) await mapLimited(pushed, 4, (artifact) => ws.setTimes(artifact));
    },
  );
  const policyId = await ws.createPolicy(scenario.rules, scenario.cron ?? '');
  const problems: string[] = scenario.afterPolicy ? await scenario.afterPolicy(ws, policyId) : [];
  const expectedFor = () => {
    const now = Date.now();
    const marks = new Map<PushedArtifact, Retention | 'untouched'>();
    for (const repository of scenario.repositories) {
      const inRepo = pushed.filter((a) => a.repository === repository);
      const decided = expectedRetention(repository, inRepo, scenario.rules, scenario.immutable, now);
      for (const a of inRepo) marks.set(a, (decided?.get(a) as Retention | undefined) ?? 'untouched');
    }
    return marks;
  };
  const expected = expectedFor();
  const covered = scenario.repositories.filter((r) =>
    pushed.some((a) => a.repository === r && expected.get(a) !== 'untouched'),
  );

  const judge = (run: RetentionRunReport, what: string) => {
    const byRepo = new Map(run.tasks.map((t) => [t.repository, t]));
    const extra = run.tasks.filter((t) => !covered.includes(t.repository)).map((t) => t.repository);
    if (extra.length > 0) problems.push(`${what}: tasks for repositories no rule covers: ${extra.join(', ')}`);
    for (const repository of covered) {
      const task = byRepo.get(repository);
      if (!task) {
        problems.push(`${what}: no task for ${repository}, which the rules cover`);
        continue;
      }
      const inRepo = pushed.filter((a) => a.repository === repository);
      if (task.status !== 'Success') problems.push(`${what}: task of ${repository} ended ${task.status}`);
      const deleting = inRepo.filter((a) => expected.get(a) === 'DEL').length;
      if (task.total !== inRepo.length || task.retained !== inRepo.length - deleting)
        problems.push(
          `${what}: task of ${repository} says total ${task.total}, retained ${task.retained}; the rules give total ${inRepo.length}, retained ${inRepo.length - deleting}`,
        );
      for (const a of inRepo) {
        const logged = task.rows.find((r) => r.digest === a.digest)?.retention ?? 'not in the log';
        if (logged !== expected.get(a))
          problems.push(`${what}: ${repository} ${a.label} logged ${logged}, the rules give ${expected.get(a)}`);
      }
    }
  };
  const present = async () => {
    const now = new Set<string>();
    for (const repository of scenario.repositories)
      for (const digest of await ws.digests(repository)) now.add(`${repository}@${digest}`);
    return (a: PushedArtifact) => now.has(`${a.repository}@${a.digest}`);
  };

  const dry = await ctx.step('dry run', () => ws.run(policyId, true, covered.length));
  judge(dry, 'dry run');
  const afterDry = await present();
  for (const a of pushed.filter((p) => !afterDry(p)))
    problems.push(`dry run deleted ${a.repository} ${a.label} (${a.digest})`);

  const run = await ctx.step('run', () => ws.run(policyId, false, covered.length));
  judge(run, 'run');
  const afterRun = await present();
  const pulls = new Map<PushedArtifact, string>();
  // blobs shared by a repository's artifacts are fetched whole once per repository (first survivor first)
  const verified = new Map(scenario.repositories.map((r) => [r, new Set<string>()]));
  const firstSurvivors = scenario.repositories.map((r) =>
    pushed.find((a) => a.repository === r && expected.get(a) !== 'DEL'),
  );
  await ctx.step('pull every survivor completely, and the deleted ones by digest', async () => {
    await mapLimited(
      firstSurvivors.filter((a) => a !== undefined),
      2,
      (a) => pullCompletely(ctx.registry, ws.project.repository(a.repository), a.digest, verified.get(a.repository)),
    );
    await mapLimited(pushed, 4, async (a) => {
      const full = ws.project.repository(a.repository);
      const shouldSurvive = expected.get(a) !== 'DEL';
      if (afterRun(a) !== shouldSurvive)
        problems.push(
          `run: ${a.repository} ${a.label} is ${afterRun(a) ? 'still listed' : 'gone'}, the rules give ${expected.get(a)}`,
        );
      if (!shouldSurvive) {
        const gone = await pullManifest(ctx.registry, full, a.digest, 'GET');
        pulls.set(a, gone.status === 404 ? '404 (deleted)' : `manifest still served: ${gone.status}`);
        if (gone.status !== 404)
          problems.push(`run: the deleted ${a.repository} ${a.label} still pulls by digest (${gone.status})`);
        return;
      }
      // the whole image by digest, then every tag must still name that digest
      const whole = await pullCompletely(ctx.registry, full, a.digest, verified.get(a.repository));
      const byTag = await Promise.all(a.tags.map((tag) => pullManifest(ctx.registry, full, tag, 'GET')));
      const broken = [
        ...(whole.failure !== undefined || whole.digest !== a.digest
          ? [`${a.digest}: ${whole.failure ?? `got ${whole.digest}`}`]
          : []),
        ...byTag
          .filter((o) => o.digest !== a.digest)
          .map((o) => `${o.reference}: ${o.status} ${o.code} ${o.digest ?? ''}`.trim()),
      ];
      pulls.set(
        a,
        broken.length === 0 ? `whole (${whole.blobs} blobs; ${a.tags.length} tag(s) → digest)` : broken.join('; '),
      );
      for (const b of broken) problems.push(`run: the retained ${a.repository} ${a.label} does not pull whole: ${b}`);
    });
  });

  const logged = (report: RetentionRunReport, a: PushedArtifact) =>
    report.tasks.find((t) => t.repository === a.repository)?.rows.find((r) => r.digest === a.digest)?.retention ??
    (expected.get(a) === 'untouched' ? 'no task' : 'missing');
  const rows: RetentionReportRow[] = pushed.map((a) => ({
    repository: a.repository,
    artifact: a.label,
    digest: a.digest,
    pushed: days(a.pushedAt, seededAt),
    pulled: days(a.pulledAt, seededAt),
    immutable: isImmutableArtifact(scenario.immutable, a.repository, a),
    expected: expected.get(a) ?? '',
    dryRunLog: logged(dry, a),
    afterDryRun: afterDry(a) ? 'present' : 'gone',
    runLog: logged(run, a),
    afterRun: afterRun(a) ? 'present' : 'gone',
    pull: pulls.get(a) ?? '',
    ok: !problems.some((p) => p.includes(`${a.repository} ${a.label}`)),
  }));
  const title = `${ctx.check.id} retention of the seeded artifacts`;
  ctx.evidence.note('retention of the seeded artifacts', renderRetentionMarkdown(rows));
  ctx.evidence.note(
    'retention of the seeded artifacts (JSON)',
    JSON.stringify({ policy: ws.policyBody(scenario.rules, scenario.cron ?? ''), rows }),
  );
  await allure.attachment(`${title}.html`, renderRetentionHtml(title, rows), { contentType: 'text/html' });
  if (problems.length > 0)
    throw new Error(
      `retention differs from Harbor's rules (${problems.length}):\n${problems.join('\n')}\n\n${renderRetentionMarkdown(rows)}`,
    );
}
