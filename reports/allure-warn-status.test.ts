import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { markWarnResults } from './allure-warn-status.ts';

describe('warn in Allure', () => {
  it('gives warn results a status of their own and leaves the others alone', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hc-allure-warn-'));
    try {
      const warn = { name: 'SIGN-008 index', status: 'passed', labels: [{ name: 'verdict', value: 'warn' }] };
      const passed = { name: 'SMOKE-001 ping', status: 'passed', labels: [{ name: 'check_id', value: 'SMOKE-001' }] };
      await writeFile(join(dir, 'a-result.json'), JSON.stringify(warn));
      await writeFile(join(dir, 'b-result.json'), JSON.stringify(passed));
      await writeFile(join(dir, 'c-container.json'), '{}');
      expect(await markWarnResults(dir)).toBe(1);
      const a = JSON.parse(await readFile(join(dir, 'a-result.json'), 'utf8'));
      expect(a).toMatchObject({ status: 'unknown', name: 'WARN · SIGN-008 index' });
      expect(JSON.parse(await readFile(join(dir, 'b-result.json'), 'utf8'))).toEqual(passed);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
