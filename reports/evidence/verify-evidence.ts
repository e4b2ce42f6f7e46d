// Verifies an evidence bundle with the team's public key: the DSSE signature over the in-toto statement,
// the statement's subject (the manifest's sha256), every member's digest against the manifest, no member
// the manifest does not list, and the OSCAL document against the assessment-results schema. Each problem
// names the member it is about.
import type { KeyObject } from 'node:crypto';
import { readTar } from './bundle-archive.ts';
import { IN_TOTO_PAYLOAD_TYPE, verifyEnvelope, type DsseEnvelope } from './dsse-envelope.ts';
import { ATTESTATION, MANIFEST, OSCAL_FILE, sha256, type BundleManifest } from './evidence-bundle.ts';
import { EVIDENCE_PREDICATE_TYPE, STATEMENT_TYPE, type InTotoStatement } from './in-toto-statement.ts';
import { oscalProblems } from './oscal-assessment-results-schema.ts';

export interface VerifyProblem {
  /** The bundle member the problem is about. */
  file: string;
  problem: string;
}

export interface VerifyOutcome {
  problems: VerifyProblem[];
  /** What was established, for the command's output. */
  statement?: InTotoStatement;
  checkedFiles: number;
}

export async function verifyEvidenceBundle(bundle: string, publicKey: KeyObject): Promise<VerifyOutcome> {
  const members = await readTar(bundle);
  const problems: VerifyProblem[] = [];
  const fail = (file: string, problem: string) => problems.push({ file, problem });

  const envelopeBytes = members.get(ATTESTATION);
  const manifestBytes = members.get(MANIFEST);
  if (!envelopeBytes) fail(ATTESTATION, 'missing: the bundle is not signed');
  if (!manifestBytes) fail(MANIFEST, 'missing');
  if (!envelopeBytes || !manifestBytes) return { problems, checkedFiles: 0 };

  let statement: InTotoStatement | undefined;
  const envelope = parseJson<DsseEnvelope>(envelopeBytes);
  if (!envelope || typeof envelope.payload !== 'string' || !Array.isArray(envelope.signatures)) {
    fail(ATTESTATION, 'not a DSSE envelope (JSON with payloadType, payload, signatures)');
  } else if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    fail(ATTESTATION, `payloadType is "${envelope.payloadType}", expected ${IN_TOTO_PAYLOAD_TYPE}`);
  } else if (!verifyEnvelope(envelope, publicKey)) {
    fail(ATTESTATION, 'the signature does not verify with the given public key (changed, or signed by another key)');
  } else {
    statement = parseJson<InTotoStatement>(Buffer.from(envelope.payload, 'base64'));
    if (!statement || statement._type !== STATEMENT_TYPE || statement.predicateType !== EVIDENCE_PREDICATE_TYPE) {
      fail(
        ATTESTATION,
        `the payload is not an in-toto ${STATEMENT_TYPE} with predicateType ${EVIDENCE_PREDICATE_TYPE}`,
      );
      statement = undefined;
    } else {
      const subject = statement.subject.find((s) => s.name === MANIFEST);
      const actual = sha256(manifestBytes);
      if (!subject) fail(ATTESTATION, `the statement's subject does not name ${MANIFEST}`);
      else if (subject.digest.sha256 !== actual)
        fail(MANIFEST, `sha256 ${actual} is not the signed subject digest ${subject.digest.sha256}`);
    }
  }

  const manifest = parseJson<BundleManifest>(manifestBytes);
  let checkedFiles = 0;
  if (!manifest || !Array.isArray(manifest.files)) {
    fail(MANIFEST, 'not a bundle manifest (JSON with files[])');
  } else {
    const listed = new Set<string>();
    for (const entry of manifest.files) {
      listed.add(entry.path);
      const content = members.get(entry.path);
      checkedFiles += 1;
      if (!content) fail(entry.path, 'listed in the manifest but missing from the bundle');
      else if (sha256(content) !== entry.sha256)
        fail(entry.path, `sha256 ${sha256(content)} does not match the manifest (${entry.sha256})`);
    }
    for (const path of members.keys()) {
      if (path !== MANIFEST && path !== ATTESTATION && !listed.has(path))
        fail(path, 'in the bundle but not listed in the manifest');
    }
    if (statement && manifest.run_id !== statement.predicate.run_id)
      fail(MANIFEST, `run id ${manifest.run_id} is not the signed run id ${statement.predicate.run_id}`);
  }

  const oscal = members.get(OSCAL_FILE);
  if (!oscal) fail(OSCAL_FILE, 'missing');
  else if (!problems.some((p) => p.file === OSCAL_FILE)) {
    const document = parseJson(oscal);
    const issues = document === undefined ? ['not JSON'] : oscalProblems(document);
    if (issues.length > 0)
      fail(OSCAL_FILE, `does not conform to the OSCAL assessment-results model: ${issues.slice(0, 3).join('; ')}`);
  }
  return { problems, ...(statement ? { statement } : {}), checkedFiles };
}

function parseJson<T = unknown>(bytes: Buffer): T | undefined {
  try {
    return JSON.parse(bytes.toString('utf8')) as T;
  } catch {
    return undefined;
  }
}
