// Ages blobs past garbage collection's time window (GC_TIME_WINDOW_HOURS, default 2 h): Harbor only collects blobs
// whose `blob.update_time` is older than the window (goharbor/harbor src/pkg/blob/dao/dao.go
// GetBlobsNotRefedByProjectBlob@v2.15.2), so a check cannot wait for that. On a target whose environment owns the
// database container (capability faultInjection) the check moves update_time back instead; Harbor's table and the
// offline double's share the name and the column.
import { execa } from 'execa';
import type { Target } from '../../lib/target.ts';

export async function ageBlobs(target: Target, digests: readonly string[], hours: number): Promise<void> {
  const container = target.faults?.containers.database;
  if (!container) throw new Error('the target names no database container to age blobs in');
  if (!Number.isInteger(hours) || hours < 0) throw new Error('hours must be a non-negative integer');
  const list = digests.filter((d) => /^sha256:[a-f0-9]{64}$/.test(d)).map((d) => `'${d}'`);
  if (list.length === 0) return;
  const sql = `UPDATE blob SET update_time = update_time - interval '${hours} hours' WHERE digest IN (${list.join(',')})`;
  const script = 'psql -v ON_ERROR_STOP=1 -U "${POSTGRES_USER:-postgres}" -d "${POSTGRES_DB:-registry}" -c "$1"';
  const result = await execa('docker', ['exec', container, 'sh', '-c', script, 'sh', sql], {
    reject: false,
    timeout: 30_000,
  });
  if (result.exitCode !== 0)
    throw new Error(`ageing blobs in the database failed: ${String(result.stderr).split('\n')[0]}`);
}
