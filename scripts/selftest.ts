// `harbor-conformance selftest`: the mutation self-test. Runs the suites once against the correct offline
// stack (every check must pass) and once per fault profile of the Harbor double (at least one check must
// fail), then writes selftest.json in the run directory and prints profile → checks that caught it.
// The double reads its fault profile at start, so every profile gets a stack of its own; the next one is
// started while the checks run on the current one.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { faultProfiles } from '../environments/offline/harbor-double/faults/fault-profiles.ts';
import { redactText, SecretRegistry } from '../lib/redact.ts';
import { ResultsCollector } from '../reports/results-collector.ts';
import { scanForSecrets } from '../reports/secret-scan.ts';
import { newRunId } from '../reports/run-id.ts';
import { buildSummary } from '../reports/summary.ts';
import { loadCatalog } from '../suites/catalog.ts';
import { ConfigError, type RunConfig } from './config.ts';
import { applyDeploymentSettings } from './deployment-settings.ts';
import { startEnvironmentGuarded } from './environments.ts';
import { harnessVersion, readPolicy, RunControl, validatePolicy, type RunIo } from './run-command.ts';
import { repoRoot, runSuites } from './run-vitest.ts';
import { selectChecks } from './selection.ts';
import { EnvironmentError, type Environment } from '../environments/environment.ts';

export interface SelftestOptions {
  suites: string[] | null;
  /** Fault profiles to run (default: every profile of the double). */
  profiles: string[] | null;
  reportDir?: string;
  policy?: string;
  quiet: boolean;
}

export interface SelftestProfileResult {
  name: string;
  /** What the profile models: the real Harbor defect or misconfiguration. */
  models: string;
  caught_by: string[];
}

export interface SelftestReport {
  run_id: string;
  suites: string[];
  profiles: SelftestProfileResult[];
  /** Checks failing on the correct stack. */
  false_alarms: string[];
  /** Errors outside any check and secret leaks, on any stack (`<stack>: …`); any one fails the self-test. */
  errors: string[];
  /** Percentage of fault profiles caught by at least one check. */
  score: number;
}

interface StackRun {
  failed: string[];
  problems: string[];
}

export async function selftestCommand(options: SelftestOptions, io: RunIo, control = new RunControl()): Promise<{ exitCode: 0 | 1 | 2; runDir: string; report: SelftestReport }> {
  const runId = newRunId();
  const runDir = options.reportDir ?? join(repoRoot, 'reports', runId);
  const catalog = await loadCatalog();
  const selection = selectChecks(catalog, options.suites, null);
  const rawPolicy = options.policy ? await readPolicy(options.policy) : null;
  const policy = validatePolicy(rawPolicy, options.policy);
  const known = new Map(faultProfiles.map((p) => [p.name, p]));
  const unknown = (options.profiles ?? []).filter((name) => !known.has(name));
  if (unknown.length > 0) throw new ConfigError([`--profiles: unknown fault profile(s) ${unknown.join(', ')} (profiles: ${[...known.keys()].join(', ')})`]);
  const profiles = options.profiles ? options.profiles.map((name) => known.get(name)!) : [...faultProfiles];
  const suites = [...new Set(selection.checks.map((c) => c.suite))];

  const startStack = (faultProfile: string | undefined): Promise<Environment> => {
    control.signal.throwIfAborted();
    const stackRunId = newRunId();
    io.progress(`selftest: ${faultProfile ?? 'correct-stack'}: starting an offline stack (${stackRunId})`);
    const config: RunConfig = { env: 'offline', username: 'admin', allowMutating: true, suites: options.suites, checks: null, keep: false, quiet: options.quiet };
    return startEnvironmentGuarded(
      config,
      { runId: stackRunId, ...(faultProfile ? { faultProfile } : {}), log: io.progress, signal: control.signal },
      (reason) => control.abort(reason),
    );
  };

  const checkStack = async (environment: Environment, label: string, onSuitesStarted: () => void): Promise<StackRun> => {
    const target = environment.target;
    const secrets = new SecretRegistry();
    if (target.admin.password.length >= 4) secrets.add(target.admin.password);
    await applyDeploymentSettings(target, policy, io.progress);
    const collector = new ResultsCollector((text) => redactText(text, secrets));
    const dir = join(runDir, label);
    const started = new Date();
    await runSuites({
      files: selection.files,
      target,
      run: { runId: target.runId, runDir: dir, selectedChecks: null, policy: rawPolicy },
      reporters: [collector],
      onCreated: (vitest) => {
        control.vitest = vitest;
        onSuitesStarted();
      },
    });
    if (control.interruptedBy) throw new EnvironmentError(`selftest interrupted by ${control.interruptedBy}`);
    const summary = buildSummary({ target, runId: target.runId, started, finished: new Date(), harnessVersion, environment: 'offline (selftest)', checks: collector.results });
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
    const failed = collector.results.filter((r) => r.status === 'failed').map((r) => r.id);
    const problems = collector.problems.map((p) => `error: ${p.where}: ${p.message}`);
    for (const leak of await scanForSecrets(dir, [target.admin.password])) problems.push(`secret leak: the admin password is in ${label}/${leak.file}`);
    io.progress(`selftest: ${label}: ${collector.results.length} checks, failed: ${failed.join(', ') || 'none'}`);
    return { failed, problems };
  };

  // Stacks start ahead (a stack takes ~12 s to come up, its checks a few seconds): `lookahead` of them are
  // coming up while the checks run on the current one. Later ones are started from onCreated, after vitest
  // has set up its signal handling, so it never takes a starting stack's Ctrl-C handler away.
  const stacks: Array<string | undefined> = [undefined, ...profiles.map((p) => p.name)];
  const lookahead = selftestLookahead();
  const starting: Array<Promise<Environment>> = [];
  let nextStack = 0;
  const fill = () => {
    while (starting.length < lookahead && nextStack < stacks.length && !control.signal.aborted) {
      const environment = startStack(stacks[nextStack++]);
      environment.catch(() => {});
      starting.push(environment);
    }
  };
  const runs: StackRun[] = [];
  fill();
  try {
    for (let index = 0; index < stacks.length; index++) {
      const environment: Environment = await starting.shift()!;
      try {
        runs.push(await checkStack(environment, stacks[index] ?? 'correct-stack', fill));
      } finally {
        await environment.down();
      }
      fill();
    }
  } finally {
    for (const environment of starting.splice(0)) await environment.then((e) => e.down(), () => {});
  }

  const [correct, ...profileRuns] = runs as [StackRun, ...StackRun[]];
  const results: SelftestProfileResult[] = profiles.map((profile, index) => {
    const run = profileRuns[index]!;
    return { name: profile.name, models: `${profile.defect} Models: ${profile.modelledOn}`, caught_by: run.failed };
  });
  const caught = results.filter((r) => r.caught_by.length > 0).length;
  const report: SelftestReport = {
    run_id: runId,
    suites,
    profiles: results,
    false_alarms: correct.failed,
    errors: runs.flatMap((run, index) => run.problems.map((problem) => `${stacks[index] ?? 'correct-stack'}: ${problem}`)),
    score: results.length === 0 ? 100 : Math.round((caught / results.length) * 1000) / 10,
  };
  await mkdir(runDir, { recursive: true });
  await writeFile(join(runDir, 'selftest.json'), `${JSON.stringify(report, null, 2)}\n`);
  for (const error of report.errors) io.out(`selftest error: ${error}`);
  io.out(renderSelftestTable(report));
  io.out(`selftest.json: ${join(runDir, 'selftest.json')}`);
  const exitCode = report.score === 100 && report.false_alarms.length === 0 && report.errors.length === 0 ? 0 : 1;
  return { exitCode, runDir, report };
}

export function renderSelftestTable(report: SelftestReport): string {
  const rows: [string, string][] = [['(correct stack)', report.false_alarms.length === 0 ? 'no false alarm' : `FALSE ALARMS: ${report.false_alarms.join(', ')}`]];
  for (const profile of report.profiles) rows.push([profile.name, profile.caught_by.length > 0 ? profile.caught_by.join(', ') : 'NOT CAUGHT']);
  const width = Math.max(7, ...rows.map(([name]) => name.length));
  const caught = report.profiles.filter((p) => p.caught_by.length > 0).length;
  return [
    `${'PROFILE'.padEnd(width)}  CAUGHT BY`,
    ...rows.map(([name, by]) => `${name.padEnd(width)}  ${by}`),
    `score: ${report.score} % (${caught}/${report.profiles.length} fault profiles caught; suites ${report.suites.join(', ')}), false alarms: ${report.false_alarms.length}`,
    ...(report.errors.length > 0 ? [`errors: ${report.errors.length} (listed above and in selftest.json)`] : []),
  ].join('\n');
}

/** How many stacks come up ahead of the one being checked (HC_SELFTEST_LOOKAHEAD, default 2). */
export function selftestLookahead(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env.HC_SELFTEST_LOOKAHEAD ?? 2);
  return Number.isInteger(value) && value >= 1 && value <= 8 ? value : 2;
}
