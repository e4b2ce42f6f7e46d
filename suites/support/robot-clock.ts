// Ages a robot account past its expiry. Harbor's API cannot: `duration` is -1 or ≥ 1 day, counted from the
// robot's creation (goharbor/harbor src/controller/robot/controller.go@v2.15.x), so an expired robot only exists after a day. On a target whose
// environment owns the containers (capability faultInjection), the check moves expires_at in the database
// instead — Harbor's column is `expiresat`, the offline double's `expires_at`; whichever exists is set.
import { execa } from 'execa';
import type { Target } from '../../lib/target.ts';

export async function ageRobotPastExpiry(target: Target, robotId: number, expiresAt: number): Promise<void> {
  const container = target.faults?.containers.database;
  if (!container) throw new Error(`the target names no database container to age robot ${robotId} in`);
  if (!Number.isInteger(robotId) || !Number.isInteger(expiresAt))
    throw new Error('robot id and expiry must be integers');
  const sql = `DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'robot' AND column_name = 'expiresat') THEN
    UPDATE robot SET expiresat = ${expiresAt} WHERE id = ${robotId};
  ELSE
    UPDATE robot SET expires_at = ${expiresAt} WHERE id = ${robotId};
  END IF;
END $$;`;
  const script = 'psql -v ON_ERROR_STOP=1 -U "${POSTGRES_USER:-postgres}" -d "${POSTGRES_DB:-registry}" -c "$1"';
  const result = await execa('docker', ['exec', container, 'sh', '-c', script, 'sh', sql], {
    reject: false,
    timeout: 30_000,
  });
  if (result.exitCode !== 0)
    throw new Error(`ageing robot ${robotId} in the database failed: ${String(result.stderr).split('\n')[0]}`);
}
