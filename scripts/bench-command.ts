// `harbor-conformance bench --scenario S [--baseline FILE]`: bring the environment up (or reuse the kept
// one), push the scenario's artifacts into a run-id project, run it on the node engine (every level,
// repeated), write result.json, baseline.json and comparison.html, and with --baseline compare by
// tolerance: exit 1 on a regression, 2 when the run could not be made.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { EnvironmentError, type Environment } from '../environments/environment.ts';
import type { OfflineEnvironment } from '../environments/offline/offline-environment.ts';
import { redactText, SecretRegistry } from '../lib/redact.ts';
import { compareResults, type Comparison } from '../load/compare/compare-results.ts';
import { comparisonHtml } from '../load/compare/comparison-html.ts';
import { saturationNote } from '../load/engine/engine-saturation.ts';
import { runScenario } from '../load/engine/run-scenario.ts';
import { progressPrinter } from '../load/engine/progress-line.ts';
import { parseResult, type LoadResult } from '../load/results/result-schema.ts';
import { loadScenario, ScenarioError } from '../load/scenarios/load-scenario.ts';
import { preparePullWorkspace, WorkspaceError, type DirectRegistry } from '../load/setup/pull-workspace.ts';
import { newRunId } from '../reports/run-id.ts';
import { environmentNames, loadRunConfig, type RunFlags } from './config.ts';
import { loadKeptEnvironment } from './environment-state.ts';
import { startEnvironmentGuarded } from './environments.ts';
import { RunControl, type RunIo } from './run-command.ts';

interface BenchFlags extends RunFlags {
  scenario: string;
  baseline?: string;
  reuse?: boolean;
}

export interface BenchDeps {
  io: (quiet: boolean) => RunIo;
  onSignals: (handler: (signal: string) => void) => void;
}

function isOffline(environment: Environment): environment is OfflineEnvironment {
  return 'stack' in environment;
}

async function readBaseline(file: string): Promise<LoadResult> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new ScenarioError(`--baseline ${file}`, [
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'file not found'
        : `not valid JSON (${(error as Error).message})`,
    ]);
  }
  try {
    return parseResult(raw, `--baseline ${file}`);
  } catch (error) {
    throw new ScenarioError(`--baseline ${file}`, [(error as Error).message]);
  }
}

function printComparison(comparison: Comparison, out: (line: string) => void): void {
  const shown = comparison.rows.filter((r) => r.verdict !== 'ok' || /MB\/s|pull p95|errors/.test(r.metric));
  out(
    `${'c'.padStart(4)}  ${'metric'.padEnd(20)} ${'baseline'.padStart(10)} ${'current'.padStart(10)} ${'change'.padStart(9)}  verdict`,
  );
  for (const r of shown) {
    out(
      `${String(r.concurrency).padStart(4)}  ${r.metric.padEnd(20)} ${r.baseline.mean.toFixed(2).padStart(10)} ${r.current.mean.toFixed(2).padStart(10)} ${`${r.changePercent >= 0 ? '+' : ''}${r.changePercent.toFixed(1)}%`.padStart(9)}  ${r.verdict}`,
    );
  }
}

export async function benchCommand(flags: BenchFlags, io: RunIo, control: RunControl): Promise<0 | 1 | 2> {
  const scenario = loadScenario(flags.scenario);
  const baseline = flags.baseline ? await readBaseline(flags.baseline) : undefined;
  const config = loadRunConfig({ ...flags, env: flags.env ?? 'offline' });
  if (config.env === 'external' && !config.allowMutating) {
    throw new EnvironmentError(
      'bench pushes its artifacts into a run-id project: pass --allow-mutating to let it do so on an external Harbor',
    );
  }
  const runId = newRunId();
  const runDir = resolve(config.reportDir ?? join('reports', runId));
  let environment: Environment | undefined;
  let kept = false;
  const secrets = new SecretRegistry();
  const say = (line: string) => io.progress(redactText(line, secrets));
  try {
    if (flags.reuse) {
      const state = await loadKeptEnvironment();
      if (!state)
        throw new EnvironmentError('no environment is kept up: run `harbor-conformance env up` first, or drop --reuse');
      environment = { target: state.target, down: async () => {} };
      kept = true;
    } else {
      environment = await startEnvironmentGuarded(
        config,
        {
          runId,
          ...(config.faultProfile ? { faultProfile: config.faultProfile } : {}),
          ...(config.port ? { harborPort: config.port } : {}),
          log: say,
          signal: control.signal,
        },
        (reason) => control.abort(reason),
      );
    }
    const target = environment.target;
    secrets.add(target.admin.password);
    const direct: DirectRegistry | undefined = isOffline(environment)
      ? {
          url: environment.stack.registry.getUrl(),
          credentials: {
            username: environment.stack.registry.getUsername(),
            password: environment.stack.registry.getPassword(),
          },
        }
      : undefined;
    say(`bench ${scenario.name}: pushing ${scenario.artifacts.count} artifact(s) into ${runId}-load`);
    const workspace = await preparePullWorkspace({
      target,
      scenario,
      project: `${runId}-load`,
      ...(direct ? { direct } : {}),
      log: say,
    });
    for (const s of workspace.secrets) secrets.add(s);
    try {
      const printer = progressPrinter('pulling', process.stderr);
      const offline = isOffline(environment) ? environment : undefined;
      const result = await runScenario({
        scenario,
        plan: {
          kind: 'pull',
          endpoint: workspace.endpoint,
          artifacts: workspace.artifacts,
          connection: scenario.connection,
          redirects: scenario.redirects,
          requestTimeoutMs: scenario.requestTimeout,
        },
        target: {
          kind: target.kind,
          version: target.harborVersion,
          source: scenario.source,
          ...(target.faultProfile ? { faultProfile: target.faultProfile } : {}),
        },
        // cold: the registry's layer-info cache (Redis db 1, as Harbor's installer configures it) is emptied first
        ...(offline
          ? { beforeRun: async () => void (await offline.stack.redis.exec(['redis-cli', '-n', '1', 'FLUSHDB'])) }
          : {}),
        onProgress: (label, p) => printer.update(p, label),
        onRunDone: (label, summary) => {
          printer.end();
          say(`${label}: ${summary}`);
        },
        signal: control.signal,
      });
      await mkdir(runDir, { recursive: true });
      const json = redactText(JSON.stringify(result, null, 2), secrets);
      await writeFile(join(runDir, 'result.json'), json);
      await writeFile(join(runDir, 'baseline.json'), json);
      const comparison = baseline ? compareResults(baseline, result, scenario.tolerances) : undefined;
      await writeFile(join(runDir, 'comparison.html'), comparisonHtml(result, baseline, comparison));
      if (comparison) printComparison(comparison, io.out);
      for (const note of [saturationNote(result, 'this run'), baseline && saturationNote(baseline, 'the baseline')])
        if (note) io.out(`note: ${note}`);
      io.out(
        `result: ${join(runDir, 'result.json')} · baseline for next time: ${join(runDir, 'baseline.json')} · report: ${join(runDir, 'comparison.html')}`,
      );
      if (!comparison) return 0;
      if (comparison.regressions.length === 0) {
        io.out(`PASS: ${scenario.name} within tolerance of ${flags.baseline}`);
        return 0;
      }
      io.out(
        `REGRESSION: ${comparison.regressions.map((r) => `${r.metric} at c=${r.concurrency} ${r.changePercent.toFixed(0)}%`).join('; ')}`,
      );
      return 1;
    } finally {
      await workspace
        .remove()
        .catch((error: Error) => say(`could not remove project ${workspace.project}: ${error.message}`));
    }
  } finally {
    if (environment && !kept) await environment.down();
  }
}

export function addBenchCommand(program: Command, deps: BenchDeps): void {
  program
    .command('bench')
    .description(
      'pull-throughput scenario on the node engine: result, HTML comparison and baseline; --baseline compares (exit 1 on a regression)',
    )
    .requiredOption('--scenario <name|file>', 'a shipped scenario (load/scenarios/<name>.json) or a scenario file')
    .option('--baseline <file>', 'a result.json/baseline.json of an earlier run to compare with')
    .addOption(new Option('--env <name>', 'environment to run against (default offline)').choices(environmentNames))
    .option('--url <url>', 'Harbor URL, for --env external (or HARBOR_URL)')
    .option('--allow-mutating', 'external: allow the bench to create its run-id project')
    .option(
      '--fault-profile <name>',
      'offline: switch on a named defect of the Harbor double (e.g. registry-path-throttled)',
    )
    .option('--port <port>', 'offline: host port Harbor listens on at 127.0.0.1')
    .option('--report-dir <dir>', 'where result.json, baseline.json and comparison.html go (default reports/<run-id>)')
    .option('--reuse', 'run against the environment kept up by `env up` (registry-direct needs a fresh offline stack)')
    .option('--config <file>', 'JSON config file (default ./harbor-conformance.config.json if present)')
    .option('--quiet', 'progress off (default when CI=true)')
    .addHelpText(
      'after',
      '\nExit codes: 0 result written (and within tolerance of --baseline), 1 a metric regressed, 2 the bench could not be made.',
    )
    .action(async (flags: BenchFlags) => {
      const control = new RunControl();
      deps.onSignals((signal) => control.interrupt(signal));
      try {
        process.exitCode = await benchCommand(
          flags,
          deps.io(flags.quiet === true || process.env.CI === 'true'),
          control,
        );
      } catch (error) {
        if (error instanceof ScenarioError) {
          for (const problem of error.problems) process.stderr.write(`harbor-conformance: ${problem}\n`);
          process.exitCode = 2;
          return;
        }
        if (error instanceof WorkspaceError) throw new EnvironmentError(error.message);
        throw error;
      }
    });
}
