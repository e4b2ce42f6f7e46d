// immutable_tag_rule rows (goharbor/harbor src/pkg/immutable/dao/dao.go, src/pkg/immutable/manager.go@v2.15.x).
// A rule is read back from its tag_filter JSON with id and disabled taken from the columns.
import type { Queryable } from '../database.ts';
import { type ImmutableRuleMetadata, tagFilterJson } from '../immutable/immutable-rule.ts';

interface RuleRow {
  id: number;
  project_id: number;
  tag_filter: string;
  disabled: boolean;
}

export interface StoredRule {
  rule: ImmutableRuleMetadata;
  /** `disabled` as the tag_filter JSON still says (written at create or by a PUT that left the flag alone). */
  tagFilterDisabled: boolean;
}

function fromRow(row: RuleRow): StoredRule {
  const parsed = JSON.parse(row.tag_filter) as ImmutableRuleMetadata;
  return {
    rule: { ...parsed, id: row.id, project_id: row.project_id, disabled: row.disabled },
    tagFilterDisabled: parsed.disabled === true,
  };
}

const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === '23505';

/** CreateImmutableRule: the column starts enabled whatever the body said; undefined when the rule exists. */
export async function insertRule(db: Queryable, rule: ImmutableRuleMetadata): Promise<number | undefined> {
  try {
    const result = await db.query<{ id: number }>(
      'INSERT INTO immutable_tag_rule (project_id, tag_filter, disabled) VALUES ($1, $2, false) RETURNING id',
      [rule.project_id, tagFilterJson(rule)],
    );
    return result.rows[0]!.id;
  } catch (error) {
    if (isUniqueViolation(error)) return undefined;
    throw error;
  }
}

export async function findRule(db: Queryable, id: number): Promise<StoredRule | undefined> {
  const result = await db.query<RuleRow>('SELECT * FROM immutable_tag_rule WHERE id = $1', [id]);
  return result.rows[0] ? fromRow(result.rows[0]) : undefined;
}

export async function rulesOfProject(
  db: Queryable,
  projectId: number,
  page?: { page: number; pageSize: number },
): Promise<{ total: number; rules: StoredRule[] }> {
  const total = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM immutable_tag_rule WHERE project_id = $1',
    [projectId],
  );
  const limit = page ? ` LIMIT ${page.pageSize} OFFSET ${(page.page - 1) * page.pageSize}` : '';
  const rows = await db.query<RuleRow>(`SELECT * FROM immutable_tag_rule WHERE project_id = $1 ORDER BY id${limit}`, [
    projectId,
  ]);
  return { total: total.rows[0]?.n ?? 0, rules: rows.rows.map(fromRow) };
}

/** ToggleImmutableRule: only the column. */
export async function setRuleDisabled(db: Queryable, id: number, disabled: boolean): Promise<void> {
  await db.query('UPDATE immutable_tag_rule SET disabled = $2 WHERE id = $1', [id, disabled]);
}

/** UpdateImmutableRule: only tag_filter (a clash with another rule of the project is an unmapped error: 500). */
export async function updateRuleFilter(db: Queryable, rule: ImmutableRuleMetadata): Promise<void> {
  await db.query('UPDATE immutable_tag_rule SET tag_filter = $2 WHERE id = $1', [rule.id, tagFilterJson(rule)]);
}

export async function deleteRule(db: Queryable, id: number): Promise<boolean> {
  const result = await db.query('DELETE FROM immutable_tag_rule WHERE id = $1', [id]);
  return (result.rowCount ?? 0) > 0;
}
