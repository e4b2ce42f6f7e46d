import { generateKeyPairSync } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { resolveGoTool } from '../../lib/tools/go-tools.ts';
import { buildSummary } from '../summary.ts';
import { writeSummaries } from '../write-summaries.ts';
import { readTar, writeTar } from './bundle-archive.ts';
import { ATTESTATION, MANIFEST, OSCAL_FILE, sealEvidenceBundle } from './evidence-bundle.ts';
import { EVIDENCE_PREDICATE_TYPE } from './in-toto-statement.ts';
import { verifyEvidenceBundle } from './verify-evidence.ts';
import type { TeamKey } from './team-key.ts';

const keyPair = () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    privateKey,
    publicKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    origin: 'test',
  } satisfies TeamKey;
};

let dir: string;
let bundle: string;
const key = keyPair();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hc-evidence-'));
  const runDir = join(dir, 'run');
  const summary = buildSummary({
    target: { kind: 'offline', url: 'http://127.0.0.1:49153', harborVersion: 'v2.15.3-double' },
    runId: 'hc-20261201-000000-test',
    started: new Date('2026-12-01T09:00:00Z'),
    finished: new Date('2026-12-01T09:01:00Z'),
    harnessVersion: '0.1.0',
    environment: 'offline',
    checks: [
      {
        id: 'ADV-001',
        title: 'GHSA-wrw5-gmvj-gf23',
        suite: 'advisories',
        status: 'passed',
        reason: null,
        controls: ['NIST SP 800-53 SI-2', 'NIST SP 800-190 4.1.5'],
        duration_ms: 10,
      },
      {
        id: 'SIGN-009',
        title: 'any key',
        suite: 'signing',
        status: 'warn',
        reason: 'presence, not trust',
        controls: ['NIST SP 800-53 SI-7(15)'],
        duration_ms: 10,
      },
      {
        id: 'SEC-001',
        title: 'default password',
        suite: 'security-defaults',
        status: 'failed',
        reason: 'Harbor12345 works',
        controls: ['CIS Docker Benchmark 4.4'],
        duration_ms: 10,
      },
    ],
  });
  await writeSummaries(runDir, summary);
  await writeFile(join(runDir, 'junit.xml'), '<testsuites/>\n');
  await mkdir(join(runDir, 'evidence'));
  await writeFile(join(runDir, 'evidence', 'ADV-001.json'), '{"exchanges":[],"items":[]}\n');
  await writeFile(join(runDir, 'evidence', 'SEC-001.json'), '{"exchanges":[],"items":[]}\n');
  bundle = (
    await sealEvidenceBundle({
      runDir,
      key,
      catalog: [{ id: 'GC-001', title: 'not run here', controls: ['NIST SP 800-53 SI-12'] }],
    })
  ).file;
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('a sealed bundle verifies: signature, subject, every digest, the OSCAL schema', async () => {
  const outcome = await verifyEvidenceBundle(bundle, key.publicKey);
  expect(outcome.problems).toEqual([]);
  expect(outcome.statement?.predicateType).toBe(EVIDENCE_PREDICATE_TYPE);
  const members = await readTar(bundle);
  expect([...members.keys()]).toEqual(
    expect.arrayContaining([
      'summary.json',
      'summary.html',
      'junit.xml',
      'evidence/ADV-001.json',
      'control-matrix.json',
      'control-matrix.md',
      OSCAL_FILE,
      'public-key.pem',
      MANIFEST,
      ATTESTATION,
    ]),
  );
  const matrix = JSON.parse(members.get('control-matrix.json')!.toString()) as {
    unsupported: string[];
    controls: Array<{ control: string; checks: Array<{ id: string; evidence: string | null }> }>;
  };
  // A warned check (a known weakness), a failed check, and a control only a check this run did not select
  // evidences: none of them is satisfied.
  expect(matrix.unsupported).toEqual(['NIST SP 800-53 SI-7(15)', 'NIST SP 800-53 SI-12', 'CIS Docker Benchmark 4.4']);
  expect(matrix.controls.find((c) => c.control === 'NIST SP 800-53 SI-2')?.checks).toEqual([
    { id: 'ADV-001', title: 'GHSA-wrw5-gmvj-gf23', verdict: 'passed', evidence: 'evidence/ADV-001.json' },
  ]);
});

test('another key does not verify it', async () => {
  const outcome = await verifyEvidenceBundle(bundle, keyPair().publicKey);
  expect(outcome.problems).toEqual([{ file: ATTESTATION, problem: expect.stringContaining('does not verify') }]);
});

describe('one changed byte in each kind of member is found and named', () => {
  const kinds = [
    'summary.json',
    'junit.xml',
    'evidence/ADV-001.json',
    'control-matrix.json',
    OSCAL_FILE,
    'public-key.pem',
    MANIFEST,
    ATTESTATION,
  ];
  for (const member of kinds) {
    test(member, async () => {
      const members = await readTar(bundle);
      const bytes = Buffer.from(members.get(member)!);
      const at = Math.floor(bytes.length / 2);
      bytes[at] = bytes[at]! ^ 0x01;
      members.set(member, bytes);
      const tampered = join(dir, `tampered-${member.replace(/\W/g, '_')}.tar`);
      await writeTar(tampered, members, new Date());
      const outcome = await verifyEvidenceBundle(tampered, key.publicKey);
      expect(outcome.problems.length).toBeGreaterThan(0);
      expect(outcome.problems.map((p) => p.file)).toContain(member);
    });
  }

  test('an added member is named too', async () => {
    const members = await readTar(bundle);
    members.set('evidence/EXTRA-001.json', Buffer.from('{}'));
    const tampered = join(dir, 'tampered-extra.tar');
    await writeTar(tampered, members, new Date());
    expect((await verifyEvidenceBundle(tampered, key.publicKey)).problems).toEqual([
      { file: 'evidence/EXTRA-001.json', problem: 'in the bundle but not listed in the manifest' },
    ]);
  });
});

// The real cosign judges the envelope: `cosign verify-blob-attestation --key` over the manifest (the subject).
const cosign = resolveGoTool('cosign');
test.skipIf(!cosign)(
  'cosign verify-blob-attestation accepts the envelope, and refuses a changed manifest',
  async () => {
    const members = await readTar(bundle);
    const work = join(dir, 'cosign');
    await mkdir(work);
    await writeFile(join(work, 'cosign.pub'), key.publicKeyPem);
    await writeFile(join(work, ATTESTATION), members.get(ATTESTATION)!);
    await writeFile(join(work, MANIFEST), members.get(MANIFEST)!);
    const args = [
      'verify-blob-attestation',
      '--key',
      'cosign.pub',
      '--signature',
      ATTESTATION,
      '--type',
      EVIDENCE_PREDICATE_TYPE,
      '--insecure-ignore-tlog=true',
      MANIFEST,
    ];
    const ok = await execa(cosign!.path, args, { cwd: work, reject: false, env: { ...process.env, HOME: work } });
    expect(ok.exitCode, ok.stderr).toBe(0);
    expect(ok.stderr + ok.stdout).toContain('Verified OK');
    const manifest = Buffer.from(members.get(MANIFEST)!);
    manifest[10] = manifest[10]! ^ 0x01;
    await writeFile(join(work, MANIFEST), manifest);
    const changed = await execa(cosign!.path, args, { cwd: work, reject: false, env: { ...process.env, HOME: work } });
    expect(changed.exitCode).not.toBe(0);
  },
  60_000,
);
