// Which vulnerability DB the official stack's Trivy adapter scans with. Default: the offline DB built here
// from fixtures/advisories (fixtures/trivy-db/), copied into the adapter's cache with SCANNER_TRIVY_SKIP_UPDATE,
// SKIP_JAVA_DB_UPDATE and OFFLINE_SCAN on — nothing is downloaded, and reports list exactly the fixture CVEs.
// HC_TRIVY_DB_DIR (a pre-seeded cache of the team's) or HC_TRIVY_DB_REPOSITORY (a mirror to download from,
// e.g. where `harbor-conformance trivy-db push` put this DB) choose otherwise; without trivy-db built here
// the adapter downloads the public DB, and the fixture set becomes a lower bound.
import { ensureOfflineTrivyDb, TrivyDbUnavailable } from '../../fixtures/trivy-db/offline-trivy-db.ts';

export interface TrivyDbChoice {
  input: { seededDbDir?: string; dbRepositories?: string[] };
  /** The adapter scans with exactly fixtures/advisories. */
  fixtureDb: boolean;
}

export async function chooseTrivyDb(
  given: { dir?: string | undefined; repositories?: string[] | undefined },
  log: (line: string) => void,
): Promise<TrivyDbChoice> {
  if (given.dir || given.repositories?.length) {
    return {
      input: {
        ...(given.dir ? { seededDbDir: given.dir } : {}),
        ...(given.repositories?.length ? { dbRepositories: given.repositories } : {}),
      },
      fixtureDb: false,
    };
  }
  try {
    const db = await ensureOfflineTrivyDb({ log });
    log(
      `trivy-adapter: offline DB of fixtures/advisories (${db.hash}, built ${db.metadata.UpdatedAt}); no DB download`,
    );
    return { input: { seededDbDir: db.cacheDir }, fixtureDb: true };
  } catch (error) {
    if (!(error instanceof TrivyDbUnavailable)) throw error;
    log(
      `trivy-adapter: ${error.message}; it downloads the public DB instead (the fixture CVEs are then a lower bound)`,
    );
    return { input: {}, fixtureDb: false };
  }
}
