// Registers `harbor-conformance gate` (scripts/gate/run-gate.ts): the pre-upgrade gate.
import { Option, type Command } from 'commander';
import { EnvironmentError } from '../environments/environment.ts';
import { GateInputError } from './gate/gate-plan.ts';
import { runGate, type GateFlags } from './gate/run-gate.ts';
import { RunControl, type RunIo } from './run-command.ts';

export interface GateDeps {
  io: (quiet: boolean) => RunIo;
  onSignals: (handler: (signal: string) => void) => void;
}

export function registerGateCommand(program: Command, deps: GateDeps): void {
  program
    .command('gate')
    .description(
      'pre-upgrade gate: seed an estate, upgrade Harbor in place from --from to --to, prove nothing was lost or silently changed',
    )
    .addOption(
      new Option('--env <name>', 'offline (default), official (plan only) or external').choices([
        'offline',
        'official',
        'external',
      ]),
    )
    .option(
      '--from <version>',
      'the release running now (offline default: the older release the double emulates, v2.14.4)',
    )
    .option('--to <version>', 'the candidate release (offline default: v2.15.3)')
    .option(
      '--dry-run',
      'print the plan (steps, images per version, carried-over volumes, known breakages) and start nothing',
    )
    .option(
      '--suites <names>',
      'suites run before and after the upgrade, verdict changes listed (default smoke; none for none)',
    )
    .option('--rollback', 'offline: afterwards restore the backup under --from and check the estate is whole again')
    .option('--report-dir <dir>', 'where the gate report goes (default reports/<run-id>)')
    .option(
      '--fault-profile <names>',
      'offline: fault profile(s) of the upgraded double, e.g. lossy-migration-drops-scan-reports',
    )
    .addOption(
      new Option(
        '--phase <phase>',
        'external: before (seed, inventory) or after (inventory, diff, report, clean up)',
      ).choices(['before', 'after']),
    )
    .option('--state <file>', 'external --phase after: the gate-state.json --phase before wrote')
    .option('--url <url>', 'external: Harbor URL (or HARBOR_URL)')
    .option('--username <name>', 'external: admin user (or HARBOR_USERNAME; password in HARBOR_PASSWORD)')
    .option('--allow-mutating', 'external: let the gate create its run-id-named projects, robots and policies')
    .option('--config <file>', 'JSON config file (default ./harbor-conformance.config.json if present)')
    .option('--quiet', 'progress off (default when CI=true)')
    .addHelpText(
      'after',
      '\nExit codes: 0 nothing lost or changed unannounced, 1 a gate finding, 2 the gate could not be made (bad input, environment).',
    )
    .action(async (flags: GateFlags) => {
      const control = new RunControl();
      deps.onSignals((signal) => control.interrupt(signal));
      try {
        process.exitCode = await runGate(flags, deps.io(flags.quiet === true || process.env.CI === 'true'), control);
      } catch (error) {
        if (error instanceof GateInputError) throw new EnvironmentError(error.message);
        throw error;
      }
    });
}
