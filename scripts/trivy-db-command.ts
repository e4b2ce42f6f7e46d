// `harbor-conformance trivy-db build | push`: the offline Trivy DB of fixtures/advisories (fixtures/trivy-db/)
// for a team's air-gapped Trivy or Harbor adapter — as a cache directory, or pushed as the OCI artifact Trivy
// downloads with --db-repository. Push credentials come from HC_TRIVY_DB_USERNAME / HC_TRIVY_DB_PASSWORD
// (never argv); an anonymous push without them.
import type { Command } from 'commander';
import { RegistryClient } from '../lib/oci/registry-client.ts';
import { EnvironmentError } from '../environments/environment.ts';
import { ensureOfflineTrivyDb, TrivyDbUnavailable } from '../fixtures/trivy-db/offline-trivy-db.ts';
import { pushTrivyDbArtifact, TRIVY_DB_TAG } from '../fixtures/trivy-db/trivy-db-artifact.ts';

async function offlineDb(log: (line: string) => void) {
  try {
    return await ensureOfflineTrivyDb({ log });
  } catch (error) {
    if (error instanceof TrivyDbUnavailable)
      throw new EnvironmentError(`${error.message}; run scripts/tools/build-go-tools.sh trivy-db`);
    throw error;
  }
}

export function registerTrivyDbCommand(
  program: Command,
  out: (line: string) => void,
  err: (line: string) => void,
): void {
  const command = program
    .command('trivy-db')
    .description('the offline Trivy DB built from fixtures/advisories: build it, or push it as an OCI artifact');
  command
    .command('build')
    .description('build the DB (only when the advisory data changed) and print where it is')
    .action(async () => {
      const db = await offlineDb(err);
      out(
        `trivy db ${db.hash}: ${db.dbDir} (trivy.db, metadata.json; UpdatedAt ${db.metadata.UpdatedAt})${db.built ? `, built in ${db.buildSeconds?.toFixed(1)} s` : ', already built'}`,
      );
      out(`use it: copy ${db.cacheDir} to Trivy's --cache-dir and scan with --skip-db-update --offline-scan`);
    });
  command
    .command('push <registry> <repository>')
    .description(
      `push the DB as <repository>:${TRIVY_DB_TAG} to a registry URL (http(s)://host:port), for trivy --db-repository`,
    )
    .action(async (registry: string, repository: string) => {
      if (!/^https?:\/\/[^/]+\/?$/.test(registry))
        throw new EnvironmentError(
          `trivy-db push: registry ${JSON.stringify(registry)} is not an http(s)://host[:port] URL`,
        );
      const db = await offlineDb(err);
      const username = process.env.HC_TRIVY_DB_USERNAME;
      const password = process.env.HC_TRIVY_DB_PASSWORD;
      const client = new RegistryClient({
        baseUrl: registry.replace(/\/$/, ''),
        ...(username && password ? { credentials: { username, password } } : {}),
      });
      const digest = await pushTrivyDbArtifact(client, repository, db.dbDir).catch((error: Error) => {
        throw new EnvironmentError(`trivy-db push to ${registry}/${repository}: ${error.message.split('\n')[0]}`);
      });
      out(
        `pushed ${new URL(registry).host}/${repository}:${TRIVY_DB_TAG}@${digest} (DB ${db.hash}, UpdatedAt ${db.metadata.UpdatedAt})`,
      );
      out(
        `use it: trivy image --db-repository ${new URL(registry).host}/${repository}:${TRIVY_DB_TAG} … (Harbor's adapter: SCANNER_TRIVY_DB_REPOSITORY)`,
      );
    });
}
