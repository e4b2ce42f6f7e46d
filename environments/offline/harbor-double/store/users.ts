// Local users (db_auth). Only the admin exists unless tests add more; project membership is limited to
// the creator (projectAdmin), as project members are out of scope for now.
import type { Database, Queryable } from '../database.ts';
import { hashSecret, newSalt, secretMatches } from '../passwords.ts';
import type { LocalUser } from '../security/security-context.ts';

export interface UserRow {
  user_id: number;
  username: string;
  email: string | null;
  realname: string;
  comment: string;
  password_hash: string;
  salt: string;
  sysadmin_flag: boolean;
  creation_time: Date;
  update_time: Date;
}

/** Creates the admin on the first start only; later starts leave its password alone, like Harbor. */
export async function ensureAdmin(db: Database, password: string): Promise<'created' | 'kept'> {
  const salt = newSalt();
  const result = await db.query(
    `INSERT INTO harbor_user (user_id, username, email, realname, comment, password_hash, salt, sysadmin_flag)
     VALUES (1, 'admin', 'admin@example.com', 'system admin', 'admin user', $1, $2, true)
     ON CONFLICT DO NOTHING`,
    [hashSecret(password, salt), salt],
  );
  await db.query(
    `SELECT setval(pg_get_serial_sequence('harbor_user', 'user_id'), GREATEST((SELECT max(user_id) FROM harbor_user), 1))`,
  );
  return result.rowCount === 1 ? 'created' : 'kept';
}

export async function authenticateUser(
  db: Queryable,
  username: string,
  password: string,
): Promise<LocalUser | undefined> {
  const result = await db.query<UserRow>('SELECT * FROM harbor_user WHERE username = $1', [username]);
  const row = result.rows[0];
  if (!row || !secretMatches(password, row.salt, row.password_hash)) return undefined;
  return { userId: row.user_id, username: row.username, sysadmin: row.sysadmin_flag };
}

export async function getUser(db: Queryable, userId: number): Promise<UserRow | undefined> {
  const result = await db.query<UserRow>('SELECT * FROM harbor_user WHERE user_id = $1', [userId]);
  return result.rows[0];
}

export async function hasUsersOtherThanAdmin(db: Queryable): Promise<boolean> {
  const result = await db.query('SELECT 1 FROM harbor_user WHERE user_id <> 1 LIMIT 1');
  return (result.rowCount ?? 0) > 0;
}

export async function memberRole(db: Queryable, userId: number, projectId: number): Promise<number | undefined> {
  const result = await db.query<{ role: number }>(
    'SELECT role FROM project_member WHERE user_id = $1 AND project_id = $2',
    [userId, projectId],
  );
  return result.rows[0]?.role;
}

export async function lowestSysadminId(db: Queryable): Promise<number> {
  const result = await db.query<{ user_id: number }>(
    'SELECT min(user_id) AS user_id FROM harbor_user WHERE sysadmin_flag',
  );
  return result.rows[0]?.user_id ?? 1;
}

export async function createUser(
  db: Queryable,
  input: { username: string; password: string; email?: string; realname?: string; comment?: string },
): Promise<number> {
  const salt = newSalt();
  const result = await db.query<{ user_id: number }>(
    `INSERT INTO harbor_user (username, email, realname, comment, password_hash, salt) VALUES ($1, $2, $3, $4, $5, $6) RETURNING user_id`,
    [
      input.username,
      input.email ?? null,
      input.realname ?? '',
      input.comment ?? '',
      hashSecret(input.password, salt),
      salt,
    ],
  );
  return result.rows[0]!.user_id;
}
