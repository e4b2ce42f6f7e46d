// The offline stack's upgrade in place, as one step of the gate: stop the double, back up the database (or, to
// repeat an upgrade from the same state, restore that backup), start the double at --to on the same data and wait
// until Harbor says healthy.
import type Docker from 'dockerode';
import {
  backupDatabase,
  restoreDatabase,
  startCore,
  stopCore,
  waitUntilHealthy,
} from '../../environments/offline/core-upgrade.ts';

export interface OfflineUpgrade {
  docker: Docker;
  runId: string;
  /** Harbor's URL (the new core keeps the host port). */
  url: string;
  to: string;
  /** Fault profile(s) of the upgraded double (the lossy-migration profiles act in its upgrade step). */
  faultProfile?: string;
  /** Restore the backup taken by an earlier upgrade instead of taking one: the same upgrade again. */
  restoreBackup?: boolean;
  healthTimeoutMs?: number;
  signal?: AbortSignal;
}

export async function upgradeOfflineInPlace(
  step: OfflineUpgrade,
): Promise<{ backupBytes?: number; coreContainerId: string }> {
  const stopped = await stopCore(step.docker, step.runId);
  let backupBytes: number | undefined;
  if (step.restoreBackup) await restoreDatabase(step.docker, step.runId);
  else backupBytes = await backupDatabase(step.docker, step.runId);
  step.signal?.throwIfAborted();
  const coreContainerId = await startCore(step.docker, stopped, {
    harborVersion: step.to,
    faultProfile: step.faultProfile ?? '',
  });
  await waitUntilHealthy(step.url, step.healthTimeoutMs ?? 90_000, step.signal);
  return { coreContainerId, ...(backupBytes !== undefined ? { backupBytes } : {}) };
}
