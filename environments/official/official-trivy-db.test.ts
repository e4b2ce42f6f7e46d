import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveGoTool } from '../../lib/tools/go-tools.ts';
import { trivySettings } from './official-component-specs.ts';
import { chooseTrivyDb } from './official-trivy-db.ts';

describe("the official Trivy adapter's vulnerability DB", () => {
  it('is the one the team names when HC_TRIVY_DB_DIR or HC_TRIVY_DB_REPOSITORY is set (then not the fixture set)', async () => {
    expect(await chooseTrivyDb({ dir: '/srv/trivy-cache' }, () => {})).toEqual({
      input: { seededDbDir: '/srv/trivy-cache' },
      fixtureDb: false,
    });
    expect(await chooseTrivyDb({ repositories: ['mirror.example/trivy-db'] }, () => {})).toEqual({
      input: { dbRepositories: ['mirror.example/trivy-db'] },
      fixtureDb: false,
    });
  });

  it.skipIf(!resolveGoTool('trivy-db'))(
    'is by default the offline DB of fixtures/advisories, seeded with updates and downloads off',
    async () => {
      const lines: string[] = [];
      const choice = await chooseTrivyDb({}, (line) => lines.push(line));
      expect(choice.fixtureDb).toBe(true);
      await access(join(choice.input.seededDbDir!, 'db', 'trivy.db'));
      await access(join(choice.input.seededDbDir!, 'db', 'metadata.json'));
      expect(trivySettings(choice.input)).toMatchObject({
        skipUpdate: true,
        skipJavaDbUpdate: true,
        offlineScan: true,
      });
      expect(lines.join('\n')).toMatch(/no DB download/);
    },
  );
});
