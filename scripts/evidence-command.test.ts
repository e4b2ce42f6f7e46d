// The evidence commands as a user runs them: exit codes and the one line that names a changed member.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { readTar, writeTar } from '../reports/evidence/bundle-archive.ts';
import { buildSummary } from '../reports/summary.ts';
import { writeSummaries } from '../reports/write-summaries.ts';

const cli = (args: string[], env: Record<string, string> = {}) =>
  execa(process.execPath, ['scripts/cli.ts', ...args], { reject: false, env: { ...process.env, ...env } });
let dir: string;
let runDir: string;
const privatePem = () =>
  generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hc-evidence-cli-'));
  runDir = join(dir, 'run');
  await writeSummaries(
    runDir,
    buildSummary({
      target: { kind: 'offline', url: 'http://127.0.0.1:1', harborVersion: 'v2.15.3-double' },
      runId: 'hc-cli-test',
      started: new Date(),
      finished: new Date(),
      harnessVersion: '0.1.0',
      environment: 'offline',
      checks: [
        {
          id: 'ADV-001',
          title: 't',
          suite: 'advisories',
          status: 'passed',
          reason: null,
          controls: ['NIST SP 800-53 SI-2'],
          duration_ms: 1,
        },
      ],
    }),
  );
  await writeFile(join(dir, 'team.pem'), privatePem());
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('evidence seals the run; verify-evidence accepts it with the public key and names a changed member (exit 1)', async () => {
  const sealed = await cli(['evidence', runDir, '--key', join(dir, 'team.pem'), '--out', join(dir, 'bundle.tar')]);
  expect(sealed.exitCode, sealed.stderr).toBe(0);
  expect(sealed.stdout).toContain('evidence bundle:');
  const members = await readTar(join(dir, 'bundle.tar'));
  await writeFile(join(dir, 'team.pub'), members.get('public-key.pem')!);
  const verified = await cli(['verify-evidence', join(dir, 'bundle.tar'), '--key', join(dir, 'team.pub')]);
  expect(verified.exitCode, verified.stderr).toBe(0);
  expect(verified.stdout).toContain('signature OK');

  const summary = Buffer.from(members.get('summary.json')!);
  summary[5] = summary[5]! ^ 0x20;
  members.set('summary.json', summary);
  await writeTar(join(dir, 'changed.tar'), members, new Date());
  const changed = await cli(['verify-evidence', join(dir, 'changed.tar'), '--key', join(dir, 'team.pub')]);
  expect(changed.exitCode).toBe(1);
  expect(changed.stderr).toContain('verify-evidence: summary.json: sha256');
}, 60_000);

test('bad input is one line and exit 2: no summary.json, a key that is not a key', async () => {
  const notRun = await cli(['evidence', dir, '--key', join(dir, 'team.pem')]);
  expect(notRun.exitCode).toBe(2);
  expect(notRun.stderr.trim().split('\n')).toEqual([expect.stringContaining('has no summary.json')]);
  await writeFile(join(dir, 'garbage.pem'), 'not a key');
  const badKey = await cli(['verify-evidence', join(dir, 'bundle.tar'), '--key', join(dir, 'garbage.pem')]);
  expect(badKey.exitCode).toBe(2);
  expect(badKey.stderr).toContain('not a public key');
  const noBundle = await cli(['verify-evidence', join(dir, 'no-such.tar'), '--key', join(dir, 'team.pub')]);
  expect(noBundle.exitCode, 'a bundle that is not there is bad input').toBe(2);
  expect(noBundle.stderr.trim().split('\n')).toEqual([expect.stringContaining('no-such.tar: no such file')]);
}, 120_000);
