import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { credentialShapeIn, describeFinding, scanForSecrets } from './secret-scan.ts';

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
    expect(findings.every((f) => f.kind === 'known secret')).toBe(true);
  });

  it('finds credentials the run never registered by their shape: a signed JWT, an Authorization value', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hc-scan-'));
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const jwt = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64({ iss: 'harbor-token-issuer', sub: 'robot$ci' })}.${'s'.repeat(43)}`;
    await writeFile(join(dir, 'token.txt'), `token answer: {"token":"${jwt}"}`);
    await writeFile(
      join(dir, 'headers.json'),
      '{"request":{"headers":{\\"Authorization\\":\\"Bearer abcdefgh12345\\"}}}',
    );
    await writeFile(
      join(dir, 'fine.md'),
      'Www-Authenticate: Bearer realm="https://h/service/token" · Basic information',
    );
    await writeFile(join(dir, 'unsigned.txt'), `${b64({ alg: 'none' })}.${b64({ sub: 'admin' })}.`);
    const findings = await scanForSecrets(dir, []);
    expect(findings.sort((a, b) => a.file.localeCompare(b.file))).toEqual([
      { file: 'headers.json', kind: 'Authorization value' },
      { file: 'token.txt', kind: 'JWT' },
    ]);
    expect(findings.map(describeFinding).sort()).toEqual(
      ['a JWT in token.txt', 'an Authorization value in headers.json'].sort(),
    );
    expect(credentialShapeIn('authorization: Basic [REDACTED]')).toBeUndefined();
    expect(credentialShapeIn('Authorization: Basic YWRtaW46SGFyYm9yMTIzNDU=')).toBe('Authorization value');
  });

  it("finds the harness's webhook auth header in a webhook recording, whatever surrounds it", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hc-scan-'));
    await mkdir(join(dir, 'webhook-recordings'));
    const header = `hcwh_${'0123456789abcdef'.repeat(2)}`;
    await writeFile(join(dir, 'webhook-recordings', 'HOOK-001.jsonl'), `{"body":"log: ${header}"}\n`);
    await writeFile(join(dir, 'webhook-recordings', 'HOOK-002.jsonl'), '{"authorization":"[REDACTED]"}\n');
    const findings = await scanForSecrets(dir, []);
    expect(findings).toEqual([{ file: 'webhook-recordings/HOOK-001.jsonl', kind: 'webhook auth header' }]);
  });

  it('finds nothing when only redacted text is there', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hc-scan-'));
    await writeFile(join(dir, 'a.json'), '{"password":"[REDACTED]","authorization":"Basic [REDACTED]"}');
    expect(await scanForSecrets(dir, ['Harbor-S3cret-Pw', undefined])).toEqual([]);
  });
});
