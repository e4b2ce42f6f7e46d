import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanForSecrets } from './secret-scan.ts';

describe('scanForSecrets', () => {
  it('finds a secret in any file of the run directory, raw or base64-encoded in a Basic header', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hc-scan-'));
    await mkdir(join(dir, 'evidence'));
    await writeFile(join(dir, 'summary.json'), '{"reason":"fine"}');
    await writeFile(join(dir, 'evidence', 'raw.json'), '{"password":"Harbor-S3cret-Pw"}');
    const basic = Buffer.from('admin:Harbor-S3cret-Pw').toString('base64');
    await writeFile(join(dir, 'evidence', 'header.json'), `{"authorization":"Basic ${basic}"}`);
    const findings = await scanForSecrets(dir, ['Harbor-S3cret-Pw']);
    expect(findings.map((f) => f.file).sort()).toEqual(['evidence/header.json', 'evidence/raw.json']);
  });

  it('finds nothing when only redacted text is there', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hc-scan-'));
    await writeFile(join(dir, 'a.json'), '{"password":"[REDACTED]","authorization":"Basic [REDACTED]"}');
    expect(await scanForSecrets(dir, ['Harbor-S3cret-Pw', undefined])).toEqual([]);
  });
});
