// The in-toto Statement v1 the bundle's envelope carries (https://github.com/in-toto/attestation/blob/main/spec/v1/statement.md):
// its subject is the bundle manifest (name and sha256), so the signature covers every digest the manifest lists.
export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
/** Our predicate: what the bundle is evidence of. */
export const EVIDENCE_PREDICATE_TYPE = 'https://github.com/harbor-conformance/evidence-bundle/v1';

export interface EvidencePredicate {
  run_id: string;
  target: { kind: string; url: string; harbor_version: string };
  /** When the bundle was sealed (RFC 3339, UTC): the signing time. */
  sealed_at: string;
  harness_version: string;
  totals: Record<string, number>;
  files: number;
}

export interface InTotoStatement {
  _type: typeof STATEMENT_TYPE;
  subject: Array<{ name: string; digest: { sha256: string } }>;
  predicateType: string;
  predicate: EvidencePredicate;
}

export function evidenceStatement(
  subjectName: string,
  subjectSha256: string,
  predicate: EvidencePredicate,
): InTotoStatement {
  return {
    _type: STATEMENT_TYPE,
    subject: [{ name: subjectName, digest: { sha256: subjectSha256 } }],
    predicateType: EVIDENCE_PREDICATE_TYPE,
    predicate,
  };
}
