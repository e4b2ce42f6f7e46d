#!/usr/bin/env node
// harbor-conformance: run conformance suites against a Harbor and write the reports.
// Exit codes: 0 every check passed (warn counts as passed), 1 a check failed,
// 2 the run could not be made (bad configuration, environment failed, Harbor unreachable, interrupted).
import { availableParallelism } from 'node:os';
import { Command, CommanderError, Option } from 'commander';
import { EnvironmentError } from '../environments/environment.ts';
import { loadCatalog } from '../suites/catalog.ts';
import { ConfigError, environmentNames, isCi, loadRunConfig, rejectSecretsInArgv, type RunFlags } from './config.ts';
import { forgetKeptEnvironment, loadKeptEnvironment, saveKeptEnvironment } from './environment-state.ts';
import { removeKeptEnvironment, startEnvironmentGuarded } from './environments.ts';
import { harnessVersion, RunControl, runCommand, type RunIo } from './run-command.ts';
import { registerCatalogTablesCommand } from './catalog-tables-command.ts';
import { selftestCommand } from './selftest.ts';
import { selftestStacks } from './selftest-queue.ts';
import { dryRunCommand } from './dry-run-command.ts';
import { addBenchCommand } from './bench-command.ts';
import { registerGateCommand } from './gate-command.ts';
import { registerEvidenceCommands } from './evidence-command.ts';
import { registerTrivyDbCommand } from './trivy-db-command.ts';
import { newRunId } from '../reports/run-id.ts';

const name = 'harbor-conformance';
const stderr = (line: string): void => void process.stderr.write(`${line}\n`);
const stdout = (line: string): void => void process.stdout.write(`${line}\n`);

const exitCodesHelp = `
Exit codes:
  0  every check passed (a "warn" verdict counts as passed)
  1  at least one check failed
  2  the run could not be made: bad configuration, the environment failed, Harbor unreachable, interrupted

Configuration (flags override environment variables, which override the config file):
  HC_ENV, HARBOR_URL, HARBOR_USERNAME, HARBOR_PASSWORD, HC_ALLOW_MUTATING, HC_SUITES, HC_CHECKS,
  HC_REPORT_DIR, HC_POLICY, HC_FAULT_PROFILE, HC_PORT, HC_KEEP, HC_CONFIG (default file: ./harbor-conformance.config.json)
  Secrets are never taken from the command line: set HARBOR_PASSWORD or use the config file.
  CI=true makes the output quiet (verdict table and errors only).`;

function io(quiet: boolean): RunIo {
  return {
    progress: quiet ? () => {} : stderr,
    out: stdout,
    color: process.stdout.isTTY === true && !process.env.NO_COLOR,
  };
}

function runOptions(command: Command): Command {
  return command
    .addOption(new Option('--env <name>', 'environment to run against').choices(environmentNames))
    .option('--url <url>', 'Harbor URL, for --env external (or HARBOR_URL)')
    .option('--username <name>', 'admin user name, for --env external (or HARBOR_USERNAME; default admin)')
    .option(
      '--allow-mutating',
      'external: allow checks that create projects and push images (inside run-id-named projects)',
    )
    .option('--config <file>', `JSON config file (default ./harbor-conformance.config.json if present)`)
    .option('--quiet', 'progress off (default when CI=true)');
}

function buildProgram(): Command {
  const program = new Command(name)
    .description('Conformance checks for the Harbor container registry, with Allure, JUnit and summary reports')
    .version(harnessVersion)
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', exitCodesHelp)
    .exitOverride();

  runOptions(
    program
      .command('run')
      .description('bring the environment up, run the suites, write the reports, tear the environment down')
      .option('--suites <names>', 'comma-separated suites to run (default: all)')
      .option('--checks <ids>', 'comma-separated check ids to run (default: all of the selected suites)')
      .option('--report-dir <dir>', 'run directory for the reports (default: reports/<run-id>)')
      .option('--policy <file>', 'security baseline policy (JSON) for the security suites')
      .option('--fault-profile <name>', 'offline: switch on a named defect of the Harbor double (to prove checks fail)')
      .option('--port <port>', 'offline: host port Harbor listens on at 127.0.0.1 (or HC_PORT; default a free one)')
      .option(
        '--scanner <engine>',
        'offline: the scanner engine, trivy (real Trivy, default) or builtin (or HC_SCANNER)',
      )
      .option('--keep', 'leave the environment up afterwards (remove it with `env down`)')
      .option('--reuse', 'run against the environment kept up by `env up` / `run --keep` (left up)')
      .option(
        '--dry-run',
        'kind: print the plan (kind config, chart version, values with secrets redacted, images to load) and create nothing',
      )
      .option(
        '--evidence',
        'afterwards, seal the run into a signed evidence bundle (key: --evidence-key, HC_EVIDENCE_KEY, or one made in .cache/)',
      )
      .option(
        '--evidence-key <file>',
        "the team's private key for --evidence (PKCS#8 PEM EC P-256, or a cosign key with COSIGN_PASSWORD)",
      ),
  )
    .addHelpText('after', exitCodesHelp)
    .action(
      async (flags: RunFlags & { reuse?: boolean; dryRun?: boolean; evidence?: boolean; evidenceKey?: string }) => {
        const { evidence, evidenceKey, dryRun, ...runFlags } = flags;
        const config = loadRunConfig(runFlags);
        if (dryRun) return void (process.exitCode = await dryRunCommand(config, (text) => process.stdout.write(text)));
        const control = new RunControl();
        onSignals((signal) => control.interrupt(signal));
        const outcome = await runCommand(
          { ...config, reuse: flags.reuse ?? false, ...(evidence ? { evidence: { keyFile: evidenceKey } } : {}) },
          io(config.quiet),
          control,
        );
        process.exitCode = outcome.exitCode;
      },
    );

  program
    .command('selftest')
    .description(
      'mutation self-test: every check against the correct offline double, then each fault profile against the checks that declare it (offline stacks side by side, profiles switched at run time)',
    )
    .option('--suites <names>', 'comma-separated suites to run (default: all)')
    .option('--profiles <names>', 'comma-separated fault profiles (default: every profile of the double)')
    .option('--full', 'run every check against every profile and report undeclared catches (nightly)')
    .option(
      '--report-dir <dir>',
      "run directory for selftest.json and each stack's results (default: reports/<run-id>)",
    )
    .option('--policy <file>', 'security baseline policy (JSON) for the security suites')
    .option(
      '--stacks <n>',
      'offline stacks draining the work side by side (or HC_SELFTEST_STACKS; default 2 on a machine with 2+ cores)',
    )
    .option('--quiet', 'progress off (default when CI=true)')
    .addHelpText(
      'after',
      '\nExit codes: 0 every declared catch seen (score 100 %), no false alarm, no check without a profile; 1 otherwise; 2 the self-test could not be made.',
    )
    .action(
      async (flags: {
        suites?: string;
        profiles?: string;
        full?: boolean;
        reportDir?: string;
        policy?: string;
        stacks?: string;
        quiet?: boolean;
      }) => {
        const config = loadRunConfig({
          ...(flags.suites ? { suites: flags.suites } : {}),
          ...(flags.policy ? { policy: flags.policy } : {}),
          ...(flags.reportDir ? { reportDir: flags.reportDir } : {}),
          ...(flags.quiet ? { quiet: true } : {}),
          env: 'offline',
        });
        const control = new RunControl();
        onSignals((signal) => control.interrupt(signal));
        const profiles = flags.profiles
          ? flags.profiles
              .split(',')
              .map((p) => p.trim())
              .filter(Boolean)
          : null;
        const outcome = await selftestCommand(
          {
            suites: config.suites,
            profiles,
            full: flags.full ?? false,
            ...(config.reportDir ? { reportDir: config.reportDir } : {}),
            ...(config.policy ? { policy: config.policy } : {}),
            quiet: config.quiet,
            stacks: selftestStacks(
              flags.stacks ? { HC_SELFTEST_STACKS: flags.stacks } : process.env,
              availableParallelism(),
            ),
          },
          io(config.quiet),
          control,
        );
        process.exitCode = outcome.exitCode;
      },
    );

  program
    .command('list')
    .description('print the check catalog (id, suite, mutating, title, controls) without running anything')
    .option('--json', 'machine-readable JSON')
    .action(async (flags: { json?: boolean }) => {
      const catalog = await loadCatalog();
      const checks = catalog.flatMap((s) => s.checks);
      if (flags.json) return stdout(JSON.stringify(checks, null, 2));
      const idWidth = Math.max(5, ...checks.map((c) => c.id.length));
      const suiteWidth = Math.max(5, ...checks.map((c) => c.suite.length));
      stdout(`${'CHECK'.padEnd(idWidth)}  ${'SUITE'.padEnd(suiteWidth)}  MUTATES  TITLE — CONTROLS`);
      for (const c of checks) {
        stdout(
          `${c.id.padEnd(idWidth)}  ${c.suite.padEnd(suiteWidth)}  ${(c.mutating ? 'yes' : 'no').padEnd(7)}  ${c.title} — ${c.controls.join(', ')}`,
        );
      }
      stdout(`${checks.length} checks in ${catalog.length} suite(s)`);
    });

  registerCatalogTablesCommand(program);
  addBenchCommand(program, { io, onSignals });
  registerGateCommand(program, { io, onSignals });
  registerEvidenceCommands(program, stdout, stderr);

  const env = program
    .command('env')
    .description('keep an environment up while developing checks')
    .addHelpText('after', exitCodesHelp);
  runOptions(
    env
      .command('up')
      .description('start an environment and leave it up (state in .cache/harbor-conformance/, 0600)')
      .option('--fault-profile <name>', 'offline: switch on a named defect of the Harbor double')
      .option('--port <port>', 'offline: host port Harbor listens on at 127.0.0.1 (default a free one)')
      .option('--scanner <engine>', 'offline: the scanner engine, trivy (real Trivy, default) or builtin'),
  ).action(async (flags: RunFlags) => {
    const config = loadRunConfig(flags);
    const existing = await loadKeptEnvironment();
    if (existing)
      throw new EnvironmentError(
        `an environment is already kept up (${existing.env} ${existing.runId}); run \`${name} env down\` first`,
      );
    const control = new RunControl();
    onSignals((signal) => control.interrupt(signal));
    const runId = newRunId();
    const environment = await startEnvironmentGuarded(
      config,
      {
        runId,
        ...(config.faultProfile ? { faultProfile: config.faultProfile } : {}),
        ...(config.port ? { harborPort: config.port } : {}),
        ...(config.scanner ? { scanner: config.scanner } : {}),
        log: io(config.quiet).progress,
        signal: control.signal,
      },
      (reason) => control.abort(reason),
    );
    await saveKeptEnvironment({
      env: config.env,
      runId,
      startedAt: new Date().toISOString(),
      target: environment.target,
    });
    const t = environment.target;
    stdout(`${config.env} Harbor ${t.harborVersion} up at ${t.url} (registry ${t.registryHost}, run id ${runId})`);
    stdout(`next: ${name} run --reuse · ${name} env status · ${name} env down`);
  });

  env
    .command('status')
    .description('show the kept environment and whether its Harbor answers')
    .action(async () => {
      const kept = await loadKeptEnvironment();
      if (!kept) return stdout('no environment is kept up');
      const answer = await fetch(`${kept.target.url}/api/v2.0/ping`, { signal: AbortSignal.timeout(5_000) })
        .then(async (r) => `ping ${r.status} ${(await r.text()).slice(0, 20)}`)
        .catch((error: Error) => `unreachable (${(error.cause as Error | undefined)?.message ?? error.message})`);
      stdout(
        `${kept.env} Harbor ${kept.target.harborVersion} at ${kept.target.url}, run id ${kept.runId}, up since ${kept.startedAt}: ${answer}`,
      );
    });

  env
    .command('down')
    .description('remove the kept environment')
    .action(async () => {
      const kept = await loadKeptEnvironment();
      if (!kept) return stdout('no environment is kept up');
      await removeKeptEnvironment(kept.env, kept.runId, stderr);
      await forgetKeptEnvironment();
      stdout(`removed the ${kept.env} environment ${kept.runId}`);
    });

  registerTrivyDbCommand(program, stdout, stderr);
  return program;
}

let signalsInstalled = false;
function onSignals(handler: (signal: string) => void): void {
  if (signalsInstalled) return;
  signalsInstalled = true;
  let count = 0;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      count += 1;
      if (count === 1) {
        stderr(`${name}: ${signal} received, stopping and tearing the environment down (again to force)`);
        handler(signal);
      } else {
        stderr(`${name}: forced exit; the environment may be left running (${name} env down / docker)`);
        process.exit(2);
      }
    });
  }
}

export async function main(argv: string[]): Promise<number> {
  try {
    rejectSecretsInArgv(argv.slice(2));
    await buildProgram().parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    return reportFailure(error);
  }
}

function reportFailure(error: unknown): number {
  if (error instanceof CommanderError) {
    // Help and version exit 0; commander already printed its one-line complaint otherwise.
    return error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version'
      ? 0
      : 2;
  }
  if (error instanceof ConfigError) {
    for (const problem of error.problems) stderr(`${name}: ${problem}`);
    return 2;
  }
  if (error instanceof EnvironmentError) {
    stderr(`${name}: ${error.message}`);
    return 2;
  }
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  stderr(
    `${name}: the run could not be made: ${message}${process.env.HC_DEBUG ? `\n${(error as Error).stack}` : ' (HC_DEBUG=1 shows the stack)'}`,
  );
  return 2;
}

if (import.meta.main) {
  const code = await main(process.argv);
  // Output to a pipe is written asynchronously and process.exit drops what the pipe has not taken yet (`list --json`
  // was cut at 64 KiB): let both streams drain first.
  for (const stream of [process.stdout, process.stderr])
    await new Promise<void>((resolve) => stream.write('', () => resolve()));
  // Vitest workers or sockets may keep the loop alive; the verdict is final here.
  process.exit(code);
}

export { isCi };
