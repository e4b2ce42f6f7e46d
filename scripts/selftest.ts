// `harbor-conformance selftest`: the mutation self-test. Offline stacks whose Harbor double switches fault
// profiles at run time (its test-only control endpoint, enabled for these stacks alone): every selected check
// runs against the correct double (none may fail), then each profile runs the checks that declare it in their
// catalog (`caughtBy`; every check with --full), the state reset to the same snapshot before every run. The
// runs are one queue (selftest-queue.ts) that the stacks drain side by side. Writes selftest.json and prints
// profile → checks that caught it, the misses and the time.
// Profiles and checks come from the catalog and fault-profiles.ts: new ones need no change here.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { EnvironmentError, type Environment, type FaultControl } from '../environments/environment.ts';
import { faultProfiles } from '../environments/offline/harbor-double/faults/fault-profiles.ts';
import { snapshotState, switchFaultProfiles } from '../environments/offline/fault-control.ts';
import type { Target } from '../lib/target.ts';
import type { SecurityPolicy } from '../policies/security-policy.ts';
import { redactText, SecretRegistry } from '../lib/redact.ts';
import type { Verdict } from '../reports/check-result.ts';
import { ProgressReporter } from '../reports/progress-reporter.ts';
import { ResultsCollector } from '../reports/results-collector.ts';
import { newRunId } from '../reports/run-id.ts';
import { describeFinding, scanForSecrets } from '../reports/secret-scan.ts';
import { buildSummary } from '../reports/summary.ts';
import { loadCatalog } from '../suites/catalog.ts';
import type { CheckDefinition } from '../suites/check-definition.ts';
import { ConfigError, type RunConfig } from './config.ts';
import { applyDeploymentSettings } from './deployment-settings.ts';
import { startEnvironmentGuarded } from './environments.ts';
import { harnessVersion, readPolicy, RunControl, validatePolicy, type RunIo } from './run-command.ts';
import { repoRoot, runSuites } from './run-vitest.ts';
import {
  checksWithoutProfile,
  correctStackProblems,
  planProfiles,
  profileResult,
  selftestScore,
  type SelftestProfileResult,
} from './selftest-plan.ts';
import { saveCoreLog } from './selftest-core-log.ts';
import { provisionEstate } from './selftest-estate.ts';
import { readEstimates, writeEstimates } from './selftest-estimates.ts';
import { isCpuBound, selftestQueue, selftestStacks, takeNext } from './selftest-queue.ts';
import { selectChecks } from './selection.ts';

export interface SelftestOptions {
  suites: string[] | null;
  /** Fault profiles to run (default: every profile of the double). */
  profiles: string[] | null;
  /** Run every selected check against every profile and report undeclared catches (nightly). */
  full?: boolean;
  reportDir?: string;
  policy?: string;
  quiet: boolean;
  /** Offline stacks draining the work at once (default: selftestStacks()). */
  stacks?: number;
}

export type { SelftestProfileResult } from './selftest-plan.ts';

export interface SelftestReport {
  run_id: string;
  suites: string[];
  /** `declared` (each profile runs the checks that declare it) or `full` (every check against every profile). */
  mode: 'declared' | 'full';
  profiles: SelftestProfileResult[];
  /** Checks failing on the correct stack. */
  false_alarms: string[];
  /** Correct-stack verdicts other than the catalog expects (warn where pass is expected, or the reverse). */
  unexpected_verdicts: string[];
  /** Checks that declare no fault profile: nothing shows they can fail. The score needs this empty. */
  checks_without_profile: string[];
  /** Checks the correct stack skipped (a capability it lacks): no catch can be shown for them on this stack. */
  unproven_on_this_stack: string[];
  /** Errors outside any check and secret leaks (`<stack>: …`); any one fails the self-test. */
  errors: string[];
  /** Percentage of declared (profile, check) pairs caught, checks without a profile counting as misses. */
  score: number;
  /** Offline stacks that ran the work side by side. */
  stacks: number;
  /** Wall-clock seconds: the whole self-test, and the first stack's start within it. */
  seconds: { total: number; stack_start: number };
}

interface Lane {
  target: Target;
  faultControl: FaultControl;
}

interface SuitesRun {
  verdicts: Map<string, Verdict>;
  /** The reason of each skipped check. */
  skipReasons: Map<string, string>;
  problems: string[];
  seconds: number;
}

export async function selftestCommand(
  options: SelftestOptions,
  io: RunIo,
  control = new RunControl(),
): Promise<{ exitCode: 0 | 1 | 2; runDir: string; report: SelftestReport }> {
  const startedAt = performance.now();
  const runId = newRunId();
  const runDir = options.reportDir ?? join(repoRoot, 'reports', runId);
  const catalog = await loadCatalog();
  const selection = selectChecks(catalog, options.suites, null);
  const policy = validatePolicy(options.policy ? await readPolicy(options.policy) : null, options.policy);
  const known = new Map<string, (typeof faultProfiles)[number]>(faultProfiles.map((p) => [p.name, p]));
  const unknown = (options.profiles ?? []).filter((name) => !known.has(name));
  if (unknown.length > 0)
    throw new ConfigError([
      `--profiles: unknown fault profile(s) ${unknown.join(', ')} (profiles: ${[...known.keys()].join(', ')})`,
    ]);
  const profiles = options.profiles ? options.profiles.map((name) => known.get(name)!) : [...faultProfiles];
  if (options.profiles && !options.full) {
    const selected = new Set(selection.checks.flatMap((c) => c.caughtBy as readonly string[]));
    const undeclared = options.profiles.filter((name) => !selected.has(name));
    if (undeclared.length > 0)
      throw new ConfigError([
        `--profiles: no selected check declares ${undeclared.join(', ')} (add its suite with --suites, or use --full)`,
      ]);
  }
  const checks = selection.checks;
  const suites = [...new Set(checks.map((c) => c.suite))];
  const filesOf = new Map(catalog.map((s) => [s.suite, s.files]));
  const filesFor = (selected: readonly CheckDefinition[]) => [
    ...new Set(selected.flatMap((c) => filesOf.get(c.suite) ?? [])),
  ];
  const plans = planProfiles(
    checks,
    profiles.map((p) => p.name),
    options.full ?? false,
  );

  const queue = selftestQueue(checks, plans, await readEstimates());
  const stacks = Math.min(options.stacks ?? selftestStacks(process.env, availableParallelism()), queue.length || 1);
  io.progress(
    `selftest: ${queue.length} runs (${suites.length} suites on the correct stack, ${plans.length} fault profiles) on ${stacks} offline stack(s) with fault control`,
  );
  const config: RunConfig = {
    env: 'offline',
    username: 'admin',
    allowMutating: true,
    suites: options.suites,
    checks: null,
    keep: false,
    quiet: options.quiet,
  };
  const runs = new Map<string, SuitesRun>();
  const errors: string[] = [];
  const environments: Environment[] = [];
  let stackStart = 0;
  // A lane is one stack of its own (started, set up as a team's Harbor, snapshotted) that takes items from the
  // shared queue until it is empty. The first lane starts alone (it builds the images the others reuse); the
  // others start while it already works.
  const startLane = async (index: number): Promise<Lane> => {
    const stackRunId = newRunId();
    io.progress(`selftest: stack ${index + 1} of ${stacks}: starting (${stackRunId})`);
    const environment = await startEnvironmentGuarded(
      config,
      { runId: stackRunId, faultControl: true, log: io.progress, signal: control.signal },
      (reason) => control.abort(reason),
    );
    environments.push(environment);
    const faultControl = environment.faultControl;
    if (!faultControl) throw new EnvironmentError('the offline stack came up without its fault control endpoint');
    await applyDeploymentSettings(environment.target, policy, io.progress);
    await provisionEstate(environment.target, policy);
    await snapshotState(faultControl);
    return { target: environment.target, faultControl };
  };
  let cpuBoundRunning = 0;
  const drain = async ({ target, faultControl }: Lane): Promise<void> => {
    for (let item = takeNext(queue, cpuBoundRunning); item; item = takeNext(queue, cpuBoundRunning)) {
      control.signal.throwIfAborted();
      const cpuBound = isCpuBound(item);
      if (cpuBound) cpuBoundRunning++;
      const run = await (async () => {
        await switchFaultProfiles(faultControl, item.kind === 'profile' ? [item.plan.profile] : []);
        return runChecks(
          target,
          policy,
          runDir,
          item.label,
          item.kind === 'profile' ? item.label : undefined,
          item.checks,
          filesFor(item.checks),
          control,
          io,
          options.quiet,
        );
      })().finally(() => {
        if (cpuBound) cpuBoundRunning--;
      });
      errors.push(...run.problems.map((p) => `${item.label}: ${p}`));
      runs.set(item.label, run);
    }
  };
  // A lane that fails stops the others at their next item (the abort); every lane has ended before the stacks
  // go down, and the first failure is the self-test's.
  const stopOthers = (error: unknown): never => {
    control.abort(error instanceof Error ? error : new Error(String(error)));
    throw error;
  };
  try {
    const first = await startLane(0);
    stackStart = (performance.now() - startedAt) / 1000;
    const settled = await Promise.allSettled([
      drain(first).catch(stopOthers),
      ...Array.from({ length: stacks - 1 }, (_, i) =>
        startLane(i + 1)
          .then(drain)
          .catch(stopOthers),
      ),
    ]);
    const failure = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) throw failure.reason;
  } finally {
    await mkdir(runDir, { recursive: true });
    await Promise.all(
      environments.map(async (environment, i) => {
        await saveCoreLog(environment.target, runDir, stacks > 1 ? `core-${i + 1}.log` : 'core.log').catch(() => {});
        await environment.down();
      }),
    );
  }
  await writeEstimates(runs);

  // The correct stack's verdicts, all suites together.
  const correct = new Map<string, Verdict>();
  const correctSkipReasons = new Map<string, string>();
  for (const [label, run] of runs) {
    if (!label.startsWith('correct-stack/')) continue;
    for (const [id, verdict] of run.verdicts) correct.set(id, verdict);
    for (const [id, reason] of run.skipReasons) correctSkipReasons.set(id, reason);
  }
  // A declared check skipped both on the correct stack and under its profile (a capability this stack lacks)
  // cannot show a catch here: it is reported as unproven on this stack, never counted as caught.
  const skippedOnCorrect = new Set(checks.filter((c) => correct.get(c.id) === 'skipped').map((c) => c.id));
  // The bootstrap installs every real tool: a check skipped for want of one is a broken install, not a limit
  // of this stack, and its catches must not silently drop out of the score.
  for (const id of skippedOnCorrect) {
    const reason = correctSkipReasons.get(id) ?? '';
    if (/ is not installed: /.test(reason))
      errors.push(
        `correct-stack: ${id} skipped because a real tool is missing (${reason}): its catches are not proven`,
      );
  }
  const results: SelftestProfileResult[] = [];
  const unproven: string[] = [];
  for (const plan of plans) {
    const profile = known.get(plan.profile)!;
    const run = runs.get(plan.profile) ?? { verdicts: new Map<string, Verdict>(), seconds: 0 };
    const cannotRun = plan.declared.filter((id) => skippedOnCorrect.has(id) && run.verdicts.get(id) === 'skipped');
    for (const id of cannotRun) if (!unproven.includes(id)) unproven.push(id);
    results.push(
      profileResult(
        checks,
        { ...plan, declared: plan.declared.filter((id) => !cannotRun.includes(id)) },
        {
          profile: plan.profile,
          models: `${profile.defect} Models: ${profile.modelledOn}`,
          verdicts: run.verdicts,
          seconds: run.seconds,
        },
      ),
    );
  }

  const { falseAlarms, unexpected } = correctStackProblems(checks, correct);
  const withoutProfile = checksWithoutProfile(checks);
  const report: SelftestReport = {
    run_id: runId,
    suites,
    mode: options.full ? 'full' : 'declared',
    profiles: results,
    false_alarms: falseAlarms,
    unexpected_verdicts: unexpected,
    checks_without_profile: withoutProfile,
    unproven_on_this_stack: unproven,
    errors,
    score: selftestScore(results, withoutProfile),
    stacks,
    seconds: { total: Math.round((performance.now() - startedAt) / 1000), stack_start: Math.round(stackStart) },
  };
  await mkdir(runDir, { recursive: true });
  await writeFile(join(runDir, 'selftest.json'), `${JSON.stringify(report, null, 2)}\n`);
  for (const error of report.errors) io.out(`selftest error: ${error}`);
  io.out(renderSelftestTable(report));
  io.out(`selftest.json: ${join(runDir, 'selftest.json')}`);
  const clean =
    report.false_alarms.length === 0 && report.errors.length === 0 && report.checks_without_profile.length === 0;
  return { exitCode: report.score === 100 && clean ? 0 : 1, runDir, report };
}

/** Runs these checks (their suite files only) against the target as it is now; verdicts by check id. */
async function runChecks(
  target: Target,
  policy: SecurityPolicy,
  runDir: string,
  label: string,
  faultProfile: string | undefined,
  checks: readonly CheckDefinition[],
  files: string[],
  control: RunControl,
  io: RunIo,
  quiet: boolean,
): Promise<SuitesRun> {
  const started = performance.now();
  const secrets = new SecretRegistry();
  if (target.admin.password.length >= 4) secrets.add(target.admin.password);
  const collector = new ResultsCollector((text) => redactText(text, secrets));
  const dir = join(runDir, label);
  const startedAt = new Date();
  const profileTarget: Target = { ...target, ...(faultProfile ? { faultProfile } : {}) };
  await runSuites({
    files,
    target: profileTarget,
    run: { runId: target.runId, runDir: dir, selectedChecks: checks.map((c) => c.id), policy },
    reporters: [collector, ...(quiet ? [] : [new ProgressReporter(io.progress)])],
    onCreated: (vitest) => control.track(vitest),
  });
  if (control.interruptedBy) throw new EnvironmentError(`selftest interrupted by ${control.interruptedBy}`);
  const summary = buildSummary({
    target: profileTarget,
    runId: target.runId,
    started: startedAt,
    finished: new Date(),
    harnessVersion,
    environment: 'offline (selftest)',
    checks: collector.results,
  });
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  const verdicts = new Map(collector.results.map((r) => [r.id, r.status] as const));
  const skipReasons = new Map(
    collector.results.filter((r) => r.status === 'skipped').map((r) => [r.id, r.reason ?? ''] as const),
  );
  const problems = collector.problems.map((p) => `error: ${p.where}: ${p.message}`);
  for (const leak of await scanForSecrets(dir, [target.admin.password]))
    problems.push(`secret leak: ${describeFinding({ ...leak, file: `${label}/${leak.file}` })}`);
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  const failed = collector.results.filter((r) => r.status === 'failed').map((r) => r.id);
  io.progress(
    `selftest: ${label}: ${collector.results.length} checks in ${seconds} s, failed: ${failed.join(', ') || 'none'}`,
  );
  return { verdicts, skipReasons, problems, seconds };
}

export function renderSelftestTable(report: SelftestReport): string {
  const alarms =
    report.false_alarms.length === 0 ? 'no false alarm' : `FALSE ALARMS: ${report.false_alarms.join(', ')}`;
  const rows: [string, string][] = [['(correct stack)', alarms]];
  for (const p of report.profiles) {
    const caught = p.caught_by.length > 0 ? p.caught_by.join(', ') : 'NOT CAUGHT';
    const missed = p.missed.length > 0 ? `; MISSED: ${p.missed.join(', ')}` : '';
    const extra = p.undeclared_catches.length > 0 ? `; undeclared: ${p.undeclared_catches.join(', ')}` : '';
    rows.push([p.name, `${caught}${missed}${extra}`]);
  }
  const width = Math.max(7, ...rows.map(([name]) => name.length));
  const declared = report.profiles.reduce((n, p) => n + p.declared.length, 0);
  const caught = report.profiles.reduce((n, p) => n + p.declared.filter((id) => p.caught_by.includes(id)).length, 0);
  return [
    `${'PROFILE'.padEnd(width)}  CAUGHT BY`,
    ...rows.map(([name, by]) => `${name.padEnd(width)}  ${by}`),
    ...(report.checks_without_profile.length > 0
      ? [`checks without a fault profile: ${report.checks_without_profile.join(', ')}`]
      : []),
    ...(report.unproven_on_this_stack.length > 0
      ? [
          `unproven on this stack (skipped on the correct stack, so no profile can show a catch): ${report.unproven_on_this_stack.join(', ')}`,
        ]
      : []),
    ...(report.unexpected_verdicts.length > 0
      ? [`unexpected verdicts on the correct stack: ${report.unexpected_verdicts.join('; ')}`]
      : []),
    `score: ${report.score} % (${caught}/${declared} declared catches; ${report.profiles.length} fault profiles; suites ${report.suites.join(', ')}), ` +
      `false alarms: ${report.false_alarms.length}, checks without a profile: ${report.checks_without_profile.length}`,
    `selftest time: ${formatSeconds(report.seconds.total)} (${report.stacks === 1 ? '1 stack' : `${report.stacks} stacks side by side`}; the first up in ${formatSeconds(report.seconds.stack_start)})`,
    ...(report.errors.length > 0 ? [`errors: ${report.errors.length} (listed above and in selftest.json)`] : []),
    // the closing line CI reads: a declared catch shown passes; a miss, a false alarm, a check without a
    // profile or an error fails
    `selftest: ${caught} passed, ${declared - caught + report.false_alarms.length + report.unexpected_verdicts.length + report.checks_without_profile.length + report.errors.length} failed`,
  ].join('\n');
}

const formatSeconds = (s: number): string => (s >= 60 ? `${Math.floor(s / 60)} min ${Math.round(s % 60)} s` : `${s} s`);
