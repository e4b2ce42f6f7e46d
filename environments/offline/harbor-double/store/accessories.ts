// Harbor's artifact_accessory rows (goharbor/harbor src/server/middleware/subject/subject.go@v2.15.x): which artifact is a signature/SBOM/referrer of
// which subject, keyed like Harbor by the subject's repository + digest (the subject id is filled in
// when the subject exists, also when it is pushed after its accessory).
import type { Queryable } from '../database.ts';

export type AccessoryType =
  | 'signature.cosign'
  | 'signature.notation'
  | 'sbom.harbor'
  | 'accelerator.nydus'
  | 'subject.accessory';

export interface AccessoryRow {
  id: number;
  artifact_id: number;
  subject_artifact_id: number;
  subject_artifact_repo: string;
  subject_artifact_digest: string;
  type: string;
  size: number;
  digest: string;
  creation_time: Date;
}

export interface NewAccessory {
  artifactId: number;
  subjectArtifactId: number;
  subjectRepository: string;
  subjectDigest: string;
  type: AccessoryType;
  size: number;
  digest: string;
}

/** Records an accessory; an existing (artifact, subject digest) pair is left as it is (Harbor ignores the conflict). */
export async function createAccessory(db: Queryable, accessory: NewAccessory): Promise<void> {
  await db.query(
    `INSERT INTO artifact_accessory (artifact_id, subject_artifact_id, subject_artifact_repo, subject_artifact_digest, type, size, digest)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (artifact_id, subject_artifact_digest) DO NOTHING`,
    [
      accessory.artifactId,
      accessory.subjectArtifactId,
      accessory.subjectRepository,
      accessory.subjectDigest,
      accessory.type,
      accessory.size,
      accessory.digest,
    ],
  );
}

/** Links accessories pushed before their subject to the subject now that it exists. */
export async function linkAccessoriesToSubject(
  db: Queryable,
  repository: string,
  subjectDigest: string,
  subjectArtifactId: number,
): Promise<void> {
  await db.query(
    'UPDATE artifact_accessory SET subject_artifact_id = $3 WHERE subject_artifact_repo = $1 AND subject_artifact_digest = $2',
    [repository, subjectDigest, subjectArtifactId],
  );
}

/** Accessories of an artifact (Harbor's SubjectArtifactID query), oldest first. */
export async function accessoriesOfArtifact(db: Queryable, subjectArtifactId: number): Promise<AccessoryRow[]> {
  const result = await db.query<AccessoryRow>(
    'SELECT * FROM artifact_accessory WHERE subject_artifact_id = $1 ORDER BY id',
    [subjectArtifactId],
  );
  return result.rows;
}

/** Accessories by subject repository + digest, dangling ones included (what the referrers API lists). */
export async function accessoriesOfSubjectDigest(
  db: Queryable,
  repository: string,
  subjectDigest: string,
): Promise<AccessoryRow[]> {
  const result = await db.query<AccessoryRow>(
    'SELECT * FROM artifact_accessory WHERE subject_artifact_repo = $1 AND subject_artifact_digest = $2 ORDER BY id',
    [repository, subjectDigest],
  );
  return result.rows;
}

/** The accessory records of which this artifact is the accessory (empty for an ordinary artifact). */
export async function accessoryRecordsOf(db: Queryable, artifactId: number): Promise<AccessoryRow[]> {
  const result = await db.query<AccessoryRow>('SELECT * FROM artifact_accessory WHERE artifact_id = $1 ORDER BY id', [
    artifactId,
  ]);
  return result.rows;
}

/**
 * SQL condition (for an `artifact` aliased `alias`) that Harbor's artifact list applies: the artifact is
 * not an accessory, and it is tagged or not referenced by an index of its repository (dao.go "both" and
 * "notacc" filters).
 */
export function listedArtifactCondition(alias: string): string {
  return `NOT EXISTS (SELECT 1 FROM artifact_accessory aa WHERE aa.artifact_id = ${alias}.id)
    AND (EXISTS (SELECT 1 FROM tag lt WHERE lt.artifact_id = ${alias}.id)
      OR NOT EXISTS (SELECT 1 FROM artifact_reference lr JOIN artifact lp ON lp.id = lr.parent_id
                     WHERE lr.child_digest = ${alias}.digest AND lp.repository_id = ${alias}.repository_id))`;
}
