// `harbor-conformance gate`: the pre-upgrade gate. The plan first (bad input is one line, exit 2; --dry-run prints
// it); then offline (offline-gate.ts: the stack, seed, inventory, upgrade in place, inventory, diff) or external
// (external-gate.ts: the same in two phases around the team's own upgrade). Official: the plan only in this build.
import type { RunFlags } from '../config.ts';
import type { RunControl, RunIo } from '../run-command.ts';
import { GateInputError, planGate, renderPlan, type GateEnv } from './gate-plan.ts';
import { runOfflineGate } from './offline-gate.ts';
import { runExternalPhase } from './external-gate.ts';

export interface GateFlags extends Pick<RunFlags, 'url' | 'username' | 'allowMutating' | 'config' | 'quiet'> {
  env?: GateEnv;
  from?: string;
  to?: string;
  dryRun?: boolean;
  reportDir?: string;
  faultProfile?: string;
  phase?: 'before' | 'after';
  state?: string;
  /** Suites run before and after the upgrade (default smoke; "none" for none). */
  suites?: string;
  /** Offline: afterwards restore the backup under --from and take the inventory again. */
  rollback?: boolean;
}

export async function runGate(flags: GateFlags, io: RunIo, control: RunControl): Promise<0 | 1 | 2> {
  const env = flags.env ?? 'offline';
  const plan = planGate({ env, ...(flags.from ? { from: flags.from } : {}), ...(flags.to ? { to: flags.to } : {}) });
  if (flags.dryRun) {
    io.out(renderPlan(plan).trimEnd());
    return 0;
  }
  if (env === 'official')
    throw new GateInputError(
      'gate --env official prints its plan only in this build (add --dry-run); run the offline gate or --env external --phase before/after',
    );
  if (flags.faultProfile && env !== 'offline') throw new GateInputError('--fault-profile is for --env offline only');
  if (env === 'external') return runExternalPhase(plan, flags, io, control);
  return runOfflineGate(plan, flags, io, control);
}
