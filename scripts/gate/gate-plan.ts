// What `gate` will do, decided from the flags before anything starts: the environment, the two releases, and the
// steps. `--dry-run` prints it; the command runs it. Bad input is a GateInputError (one line, exit 2).
import {
  EMULATED_VERSIONS,
  PREVIOUS_MINOR_VERSION,
  DEFAULT_EMULATED_VERSION,
} from '../../environments/offline/harbor-double/upgrade/emulated-versions.ts';
import { officialUpgradePlan, type OfficialUpgradePlan } from './official-upgrade-plan.ts';
import { isUpgrade, releaseOf } from './release-range.ts';
import { breakagesFor, type KnownBreakage } from './known-breakages.ts';

export class GateInputError extends Error {
  override name = 'GateInputError';
}

export type GateEnv = 'offline' | 'official' | 'external';

export interface GatePlan {
  env: GateEnv;
  from: string;
  to: string;
  steps: string[];
  breakages: KnownBreakage[];
  official?: OfficialUpgradePlan;
}

export function planGate(input: { env: GateEnv; from?: string; to?: string; imageRegistry?: string }): GatePlan {
  const env = input.env;
  if (env === 'official' && (!input.from || !input.to))
    throw new GateInputError(
      'gate --env official needs --from and --to (Harbor release tags, e.g. --from v2.14.4 --to v2.15.2)',
    );
  if (env === 'external' && !input.from)
    throw new GateInputError(
      'gate --env external needs --from (the release the Harbor runs now) and --to (the candidate)',
    );
  const from = input.from ?? PREVIOUS_MINOR_VERSION;
  const to = input.to ?? DEFAULT_EMULATED_VERSION;
  for (const [flag, value] of [
    ['--from', from],
    ['--to', to],
  ] as const) {
    try {
      releaseOf(value);
    } catch {
      throw new GateInputError(`${flag} "${value}" is not a Harbor release tag: use one like v2.14.4`);
    }
    if (env === 'offline' && !(EMULATED_VERSIONS as readonly string[]).includes(value))
      throw new GateInputError(`${flag} ${value}: the offline double emulates ${EMULATED_VERSIONS.join(' and ')} only`);
  }
  if (!isUpgrade(from, to))
    throw new GateInputError(`--to ${to} is not newer than --from ${from}: the gate checks an upgrade`);
  const breakages = breakagesFor(from, to);
  if (env === 'official') {
    let official: OfficialUpgradePlan;
    try {
      official = officialUpgradePlan(from, to, input.imageRegistry);
    } catch (error) {
      throw new GateInputError((error as Error).message);
    }
    return { env, from, to, steps: official.steps, breakages, official };
  }
  const steps =
    env === 'offline'
      ? [
          `start the offline stack with the Harbor double at ${from}`,
          'seed the estate (run-id-named projects), take the inventory (API and registry, every artifact pulled byte for byte), run the --suites selection',
          'stop core/jobservice (the double); PostgreSQL, Redis, the object store and the registry keep running with their data',
          'back up the database: pg_dump -Fc in the database container',
          `start the double at ${to} on the same data (its start runs the ${to} schema migrations), wait until /api/v2.0/health is healthy`,
          'take the inventory again, run the same suites again, diff, list the known breakages and verdict changes',
          `with --rollback: stop the double, restore the backup, start it at ${from}, take the inventory again`,
          'write the gate report, remove the stack',
        ]
      : [
          'seed the estate in run-id-named projects of the external Harbor (needs --allow-mutating) and take the inventory',
          `the team upgrades the Harbor from ${from} to ${to} the way it deploys it, then runs gate --phase after --state <gate-state.json>`,
          'take the inventory again, diff, list the known breakages, write the gate report, remove the estate',
        ];
  return { env, from, to, steps, breakages };
}

export function renderPlan(plan: GatePlan): string {
  const lines = [`gate plan: ${plan.env} Harbor ${plan.from} → ${plan.to}`, ''];
  for (const [i, step] of plan.steps.entries()) lines.push(`  ${i + 1}. ${step}`);
  if (plan.official) {
    lines.push('', '  images:');
    for (const image of plan.official.images) lines.push(`    ${image.role.padEnd(12)} ${image.from} → ${image.to}`);
    lines.push('', '  carried over:');
    for (const volume of plan.official.volumes)
      lines.push(`    ${volume.role.padEnd(15)} ${volume.mountPath}  (${volume.what})`);
  }
  lines.push('', `  known breakages this jump crosses: ${plan.breakages.length === 0 ? 'none' : ''}`);
  for (const b of plan.breakages) lines.push(`    ${b.id} (${b.release}) ${b.title}`);
  return `${lines.join('\n')}\n`;
}
