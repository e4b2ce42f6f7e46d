// Robot accounts v2. The stored name carries no prefix: `p1+ci` for project robots, `ci` for system
// robots; the prefix (config robot_name_prefix, default robot$) is added on output.
import type { Queryable } from '../database.ts';
import type { RobotPermission } from '../security/security-context.ts';

export interface RobotRow {
  id: number;
  name: string;
  description: string;
  project_id: number;
  level: 'system' | 'project';
  secret_hash: string;
  salt: string;
  duration: number;
  expires_at: number;
  disabled: boolean;
  visible: boolean;
  creator_type: string;
  creator_ref: number;
  permissions: RobotPermission[];
  creation_time: Date;
  update_time: Date;
}

export async function findRobotById(db: Queryable, id: number): Promise<RobotRow | undefined> {
  const result = await db.query<RobotRow>('SELECT * FROM robot WHERE id = $1', [id]);
  return result.rows[0];
}

export async function findRobotByStoredName(db: Queryable, name: string): Promise<RobotRow | undefined> {
  const result = await db.query<RobotRow>('SELECT * FROM robot WHERE name = $1 ORDER BY id LIMIT 1', [name]);
  return result.rows[0];
}

export async function insertRobot(
  db: Queryable,
  robot: Omit<RobotRow, 'id' | 'creation_time' | 'update_time' | 'visible'>,
): Promise<RobotRow> {
  const result = await db.query<RobotRow>(
    `INSERT INTO robot (name, description, project_id, level, secret_hash, salt, duration, expires_at, disabled, creator_type, creator_ref, permissions)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb) RETURNING *`,
    [
      robot.name,
      robot.description,
      robot.project_id,
      robot.level,
      robot.secret_hash,
      robot.salt,
      robot.duration,
      robot.expires_at,
      robot.disabled,
      robot.creator_type,
      robot.creator_ref,
      JSON.stringify(robot.permissions),
    ],
  );
  return result.rows[0]!;
}

export async function updateRobot(
  db: Queryable,
  id: number,
  changes: {
    description: string;
    disabled: boolean;
    duration: number;
    expiresAt: number;
    permissions: RobotPermission[];
  },
): Promise<void> {
  await db.query(
    `UPDATE robot SET description = $2, disabled = $3, duration = $4, expires_at = $5, permissions = $6::jsonb, update_time = now() WHERE id = $1`,
    [
      id,
      changes.description,
      changes.disabled,
      changes.duration,
      changes.expiresAt,
      JSON.stringify(changes.permissions),
    ],
  );
}

export async function updateRobotSecret(db: Queryable, id: number, secretHash: string, salt: string): Promise<void> {
  await db.query('UPDATE robot SET secret_hash = $2, salt = $3, update_time = now() WHERE id = $1', [
    id,
    secretHash,
    salt,
  ]);
}

export async function deleteRobot(db: Queryable, id: number): Promise<void> {
  await db.query('DELETE FROM robot WHERE id = $1', [id]);
}

export async function listRobots(
  db: Queryable,
  filter: { level: 'system' | 'project'; projectId?: number; name?: string },
  page: number,
  pageSize: number,
): Promise<{ total: number; rows: RobotRow[] }> {
  const where = ['visible'];
  const params: unknown[] = [];
  params.push(filter.level);
  where.push(`level = $${params.length}`);
  if (filter.projectId !== undefined) {
    params.push(filter.projectId);
    where.push(`project_id = $${params.length}`);
  }
  if (filter.name !== undefined) {
    params.push(filter.name);
    where.push(`name = $${params.length}`);
  }
  const whereSql = where.join(' AND ');
  const total = await db.query<{ count: number }>(`SELECT count(*)::int AS count FROM robot WHERE ${whereSql}`, params);
  const rows = await db.query<RobotRow>(
    `SELECT * FROM robot WHERE ${whereSql} ORDER BY id LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`,
    params,
  );
  return { total: total.rows[0]?.count ?? 0, rows: rows.rows };
}
