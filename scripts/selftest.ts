// `harbor-conformance selftest`: the mutation self-test. One offline stack whose Harbor double switches fault
// profiles at run time (its test-only control endpoint, enabled for this stack alone): every selected check
// runs once against the correct double (none may fail), then each profile runs the checks that declare it in
// their catalog (`caughtBy`; every check with --full), the stack's state reset to the same snapshot before
// each profile. Writes selftest.json and prints profile → checks that caught it, the misses and the time.
// Profiles and checks come from the catalog and fault-profiles.ts: new ones need no change here.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EnvironmentError, type Environment } from '../environments/environment.ts';
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
  /** Wall-clock seconds: the whole self-test, and the stack start within it. */
  seconds: { total: number; stack_start: number };
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

  const stackRunId = newRunId();
  io.progress(`selftest: starting one offline stack with fault control (${stackRunId})`);
  const config: RunConfig = {
    env: 'offline',
    username: 'admin',
    allowMutating: true,
    suites: options.suites,
    checks: null,
    keep: false,
    quiet: options.quiet,
  };
  const environment: Environment = await startEnvironmentGuarded(
    config,
    { runId: stackRunId, faultControl: true, log: io.progress, signal: control.signal },
    (reason) => control.abort(reason),
  );
  const stackStart = (performance.now() - startedAt) / 1000;
  const results: SelftestProfileResult[] = [];
  const unproven: string[] = [];
  const errors: string[] = [];
  let correct: SuitesRun;
  try {
    const faultControl = environment.faultControl;
    if (!faultControl) throw new EnvironmentError('the offline stack came up without its fault control endpoint');
    const target = environment.target;
    await applyDeploymentSettings(target, policy, io.progress);
    await provisionEstate(target, policy);
    await snapshotState(faultControl);

    correct = await runChecks(
      target,
      policy,
      runDir,
      'correct-stack',
      checks,
      filesFor(checks),
      control,
      io,
      options.quiet,
    );
    errors.push(...correct.problems.map((p) => `correct-stack: ${p}`));
    // A declared check skipped both on the correct stack and under its profile (a capability this stack
    // lacks) cannot show a catch here: it is reported as unproven on this stack, never counted as caught.
    const skippedOnCorrect = new Set(checks.filter((c) => correct.verdicts.get(c.id) === 'skipped').map((c) => c.id));
    // The bootstrap installs every real tool: a check skipped for want of one is a broken install, not a
    // limit of this stack, and its catches must not silently drop out of the score.
    for (const id of skippedOnCorrect) {
      const reason = correct.skipReasons.get(id) ?? '';
      if (/ is not installed: /.test(reason))
        errors.push(
          `correct-stack: ${id} skipped because a real tool is missing (${reason}): its catches are not proven`,
        );
    }
    for (const plan of plans) {
      control.signal.throwIfAborted();
      const profile = known.get(plan.profile)!;
      await switchFaultProfiles(faultControl, [plan.profile]);
      const selected = checks.filter((c) => plan.run.includes(c.id));
      const run =
        selected.length > 0
          ? await runChecks(
              target,
              policy,
              runDir,
              plan.profile,
              selected,
              filesFor(selected),
              control,
              io,
              options.quiet,
            )
          : { verdicts: new Map(), skipReasons: new Map(), problems: [], seconds: 0 };
      errors.push(...run.problems.map((p) => `${plan.profile}: ${p}`));
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
  } finally {
    await mkdir(runDir, { recursive: true });
    await saveCoreLog(environment.target, runDir).catch(() => {});
    await environment.down();
  }

  const { falseAlarms, unexpected } = correctStackProblems(checks, correct.verdicts);
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
  const profileTarget: Target = { ...target, ...(label === 'correct-stack' ? {} : { faultProfile: label }) };
  await runSuites({
    files,
    target: profileTarget,
    run: { runId: target.runId, runDir: dir, selectedChecks: checks.map((c) => c.id), policy },
    reporters: [collector, ...(quiet ? [] : [new ProgressReporter(io.progress)])],
    onCreated: (vitest) => (control.vitest = vitest),
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
    `selftest time: ${formatSeconds(report.seconds.total)} (stack start ${formatSeconds(report.seconds.stack_start)})`,
    ...(report.errors.length > 0 ? [`errors: ${report.errors.length} (listed above and in selftest.json)`] : []),
    // the closing line CI reads: a declared catch shown passes; a miss, a false alarm, a check without a
    // profile or an error fails
    `selftest: ${caught} passed, ${declared - caught + report.false_alarms.length + report.unexpected_verdicts.length + report.checks_without_profile.length + report.errors.length} failed`,
  ].join('\n');
}

const formatSeconds = (s: number): string => (s >= 60 ? `${Math.floor(s / 60)} min ${Math.round(s % 60)} s` : `${s} s`);
