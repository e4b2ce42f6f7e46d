// The double's upgrade step: what runs, inside the migration transaction, when a newer release starts on an older
// release's database (database.ts migrate → afterMigrations). A correct double only migrates the schema; the
// lossy-migration fault profiles add what Harbor's own upgrades once did to data, so the pre-upgrade gate
// (scripts/gate/) can prove its inventory diff catches the loss. They take effect here, at the start of the upgraded
// core, as a migration does — not per request: switching them on a running double changes nothing.
import type pg from 'pg';
import type { ActiveFaults, FaultProfileName } from '../faults/fault-profiles.ts';
import { V2_15_FIRST_MIGRATION } from './emulated-versions.ts';

/** The profiles that act here: the pre-upgrade gate catches them (scripts/gate/gate.stack.test.ts), no catalog check. */
export const UPGRADE_STEP_PROFILES = [
  'lossy-migration-drops-scan-reports',
  'lossy-migration-disables-replication-policies',
] as const satisfies readonly FaultProfileName[];

export interface UpgradeStepResult {
  /** The database came from an older release (not a fresh install) and the v2.15 step ran on it. */
  upgraded: boolean;
  /** What a lossy profile did, for the core's log. */
  lost: string[];
}

export async function runUpgradeStep(
  client: pg.PoolClient,
  step: { previous: number; applied: number[] },
  faults: ActiveFaults,
): Promise<UpgradeStepResult> {
  const upgraded = step.previous > 0 && step.applied.some((v) => v >= V2_15_FIRST_MIGRATION);
  const lost: string[] = [];
  if (!upgraded) return { upgraded, lost };
  if (faults.has('lossy-migration-drops-scan-reports')) {
    // goharbor/harbor make/migrations/postgresql/0050_2.2.0_schema.up.sql@v2.15.2 ends with `DELETE FROM scan_report`
    const dropped = await client.query('DELETE FROM scan_report');
    lost.push(`deleted ${dropped.rowCount ?? 0} scan report(s)`);
  }
  if (faults.has('lossy-migration-disables-replication-policies')) {
    // goharbor/harbor make/migrations/postgresql/0110_2.8.0_schema.up.sql@v2.15.2 sets enabled = false (and
    // rewrites the description) on the replication rules it judged obsolete
    const disabled = await client.query(
      "UPDATE replication_policy SET enabled = false, description = 'disabled by the upgrade' WHERE enabled",
    );
    lost.push(`disabled ${disabled.rowCount ?? 0} replication policy(ies)`);
  }
  return { upgraded, lost };
}
