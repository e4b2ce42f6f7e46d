// `harbor-conformance catalog-tables [--write]`: checks (or rewrites) the generated tables of suites/README.md.
import type { Command } from 'commander';
import { loadCatalog } from '../suites/catalog.ts';
import { syncCatalogTables } from './catalog-tables.ts';

export function registerCatalogTablesCommand(program: Command): void {
  program
    .command('catalog-tables')
    .description('check that the tables in suites/README.md (profile → checks, expected verdicts) match the catalog')
    .option('--write', 'rewrite them from the catalog')
    .action(async (flags: { write?: boolean }) => {
      const current = await syncCatalogTables(await loadCatalog(), flags.write ?? false);
      if (flags.write) process.stdout.write('suites/README.md: catalog tables written\n');
      else if (!current) {
        process.stderr.write(
          'harbor-conformance: suites/README.md tables differ from the catalog: run `harbor-conformance catalog-tables --write`\n',
        );
        process.exitCode = 1;
      } else process.stdout.write('suites/README.md: catalog tables are current\n');
    });
}
