// What the trivy-scanner image is made of beyond its Dockerfile: the host's trivy and trivy-db (built from
// their pinned Go modules) and the offline DB of fixtures/advisories. The tag hashes the binaries' bytes
// and the DB's content hash, so the image is rebuilt only when one of them changes.
import { join } from 'node:path';
import { missingToolReason, resolveGoTool } from '../../../lib/tools/go-tools.ts';
import { ensureOfflineTrivyDb, type OfflineTrivyDb } from '../../../fixtures/trivy-db/offline-trivy-db.ts';
import { EnvironmentError } from '../../environment.ts';
import { fileSha256 } from './content-hash.ts';
import type { ExtraFile } from './offline-images.ts';

export interface TrivyScannerInputs {
  extras: ExtraFile[];
  buildArgs: Record<string, string>;
  db: OfflineTrivyDb;
  /** Trivy's version, e.g. 0.74.0 (from the pinned module). */
  trivyVersion: string;
}

/** `github.com/aquasecurity/trivy@v0.74.0` → `0.74.0`; a trivy from PATH is `Unknown` until asked. */
export function versionOfPin(pinned: string | undefined): string {
  return /@v?([^@]+)$/.exec(pinned ?? '')?.[1] ?? 'Unknown';
}

export function trivyToolsPresent(): boolean {
  return resolveGoTool('trivy') !== null && resolveGoTool('trivy-db') !== null;
}

let memo: Promise<TrivyScannerInputs> | undefined;

export function trivyScannerInputs(log?: (line: string) => void): Promise<TrivyScannerInputs> {
  memo ??= (async () => {
    const trivy = resolveGoTool('trivy');
    const trivyDb = resolveGoTool('trivy-db');
    if (!trivy)
      throw new EnvironmentError(
        `${missingToolReason('trivy')}; run scripts/tools/build-go-tools.sh trivy trivy-db, or use --scanner builtin`,
      );
    if (!trivyDb)
      throw new EnvironmentError(
        `${missingToolReason('trivy-db')}; run scripts/tools/build-go-tools.sh trivy trivy-db, or use --scanner builtin`,
      );
    const db = await ensureOfflineTrivyDb(log ? { log } : {});
    const trivyVersion = versionOfPin(trivy.pinned);
    const extras: ExtraFile[] = [
      { name: 'trivy', source: trivy.path, hashAs: await fileSha256(trivy.path) },
      { name: 'trivy.db', source: join(db.dbDir, 'trivy.db'), hashAs: `trivy-db ${db.hash}` },
      { name: 'metadata.json', source: join(db.dbDir, 'metadata.json'), hashAs: `trivy-db ${db.hash}` },
    ];
    return { extras, buildArgs: { TRIVY_VERSION: trivyVersion }, db, trivyVersion };
  })();
  memo.catch(() => (memo = undefined));
  return memo;
}
