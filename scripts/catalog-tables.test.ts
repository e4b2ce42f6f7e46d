import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../suites/catalog.ts';
import { README, renderCatalogTables, withTables } from './catalog-tables.ts';

describe('suites/README.md catalog tables', () => {
  it('are what the catalog says (else: harbor-conformance catalog-tables --write)', async () => {
    const readme = await readFile(README, 'utf8');
    expect(
      withTables(readme, renderCatalogTables(await loadCatalog())) === readme,
      'run `harbor-conformance catalog-tables --write`',
    ).toBe(true);
  });

  it('replaces only the generated section', () => {
    const once = withTables('# x\n', 'T1');
    expect(once).toContain('T1');
    const twice = withTables(`${once}\nafter\n`, 'T2');
    expect(twice).toContain('T2');
    expect(twice).not.toContain('T1');
    expect(twice).toMatch(/after\n$/);
  });
});
