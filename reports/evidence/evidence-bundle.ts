// Seals a run directory into one evidence bundle an auditor can archive and verify later:
//   <every report file of the run>          summary.*, junit.xml, allure-results/…, selftest.json, …
//   evidence/<CHECK>.json                   each check's redacted evidence (already redacted by the checks)
//   control-matrix.json, control-matrix.md  per control: checks, verdicts, evidence files; unsupported controls
//   oscal/assessment-results.json           the results as OSCAL assessment-results (schema-checked)
//   public-key.pem                          the public half of the key that signed (convenience only)
//   manifest.json                           sha256 and size of every member above
//   attestation.dsse.json                   in-toto Statement (subject: manifest.json) in a DSSE envelope
// allure-report/ is left out: it is generated from allure-results/, which is in.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { Summary } from '../summary.ts';
import { writeTar, type Members } from './bundle-archive.ts';
import { buildControlMatrix, renderControlMatrixMarkdown, type CatalogEntry } from './control-matrix.ts';
import { IN_TOTO_PAYLOAD_TYPE, keyIdOf, signEnvelope } from './dsse-envelope.ts';
import { evidenceStatement } from './in-toto-statement.ts';
import { buildOscalAssessmentResults } from './oscal-assessment-results.ts';
import { oscalProblems } from './oscal-assessment-results-schema.ts';
import type { TeamKey } from './team-key.ts';

export const MANIFEST = 'manifest.json';
export const ATTESTATION = 'attestation.dsse.json';
export const OSCAL_FILE = 'oscal/assessment-results.json';
export const bundleFileName = (runId: string) => `evidence-${runId}.tar`;

export interface BundleManifest {
  bundle: 'harbor-conformance evidence';
  format: 1;
  run_id: string;
  sealed_at: string;
  files: Array<{ path: string; sha256: string; size: number }>;
}

export class EvidenceInputError extends Error {
  override name = 'EvidenceInputError';
}

export interface SealOptions {
  runDir: string;
  key: TeamKey;
  /** Where the bundle goes (default <runDir>/evidence-<run-id>.tar). */
  out?: string;
  /** The harness's check catalog, so controls of checks this run did not select appear too. */
  catalog?: readonly CatalogEntry[];
  now?: Date;
}

export interface SealedBundle {
  file: string;
  members: number;
  manifestSha256: string;
  unsupportedControls: string[];
}

export async function sealEvidenceBundle(options: SealOptions): Promise<SealedBundle> {
  const summary = await readSummary(options.runDir);
  const sealedAt = (options.now ?? new Date()).toISOString();
  const out = options.out ?? join(options.runDir, bundleFileName(summary.run.id));
  const members: Members = new Map();
  for (const file of await listFiles(options.runDir)) {
    const path = relative(options.runDir, file).split(sep).join('/');
    if (path.startsWith('allure-report/') || /^evidence-.*\.tar$/.test(path) || join(options.runDir, path) === out)
      continue;
    members.set(path, await readFile(file));
  }
  const evidenceFiles = new Set([...members.keys()].filter((p) => /^evidence\/[^/]+\.json$/.test(p)));
  const matrix = buildControlMatrix(summary.checks, evidenceFiles, options.catalog ?? []);
  const oscal = buildOscalAssessmentResults(summary, matrix, evidenceFiles);
  const problems = oscalProblems(oscal);
  if (problems.length > 0)
    throw new Error(`the OSCAL document does not conform to the assessment-results model: ${problems.join('; ')}`);
  members.set('control-matrix.json', json(matrix));
  members.set('control-matrix.md', Buffer.from(renderControlMatrixMarkdown(matrix)));
  members.set(OSCAL_FILE, json(oscal));
  members.set('public-key.pem', Buffer.from(options.key.publicKeyPem));

  const manifest: BundleManifest = {
    bundle: 'harbor-conformance evidence',
    format: 1,
    run_id: summary.run.id,
    sealed_at: sealedAt,
    files: [...members]
      .map(([path, content]) => ({ path, sha256: sha256(content), size: content.length }))
      .sort((a, b) => a.path.localeCompare(b.path)),
  };
  const manifestBytes = json(manifest);
  const manifestSha256 = sha256(manifestBytes);
  const statement = evidenceStatement(MANIFEST, manifestSha256, {
    run_id: summary.run.id,
    target: summary.target,
    sealed_at: sealedAt,
    harness_version: summary.run.harness_version,
    totals: summary.totals,
    files: manifest.files.length,
  });
  const envelope = signEnvelope(
    IN_TOTO_PAYLOAD_TYPE,
    Buffer.from(JSON.stringify(statement)),
    options.key.privateKey,
    keyIdOf(options.key.publicKey),
  );

  const archive: Members = new Map([...members].sort(([a], [b]) => a.localeCompare(b)));
  archive.set(MANIFEST, manifestBytes);
  archive.set(ATTESTATION, json(envelope));
  await writeTar(out, archive, new Date(sealedAt));
  return { file: out, members: archive.size, manifestSha256, unsupportedControls: matrix.unsupported };
}

async function readSummary(runDir: string): Promise<Summary> {
  try {
    return JSON.parse(await readFile(join(runDir, 'summary.json'), 'utf8')) as Summary;
  } catch (error) {
    const why =
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'has no summary.json'
        : `has an unreadable summary.json (${(error as Error).message.split('\n')[0]})`;
    throw new EvidenceInputError(`${runDir} ${why}: give the run directory a \`run\` wrote (reports/<run-id>)`);
  }
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out.sort();
}

export const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
const json = (value: unknown): Buffer => Buffer.from(`${JSON.stringify(value, null, 2)}\n`);
