// The double's database as it was when the harness said "this is the start state", restorable between fault
// profiles so every profile's checks run on the same stack state (test-only, behind the control endpoint).
// Every table of the public schema except the migration record is copied into the hc_snapshot schema; a
// restore empties the tables and copies the rows back with foreign-key triggers off (one transaction).
import type { Database } from '../database.ts';

const SNAPSHOT_SCHEMA = 'hc_snapshot';

async function tables(db: Database): Promise<string[]> {
  const result = await db.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name",
  );
  return result.rows.map((r) => r.table_name).filter((name) => !/migration/.test(name));
}

const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** Copies every table into the snapshot schema (replacing an earlier snapshot). */
export async function takeSnapshot(db: Database): Promise<string[]> {
  const names = await tables(db);
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    await client.query(`DROP SCHEMA IF EXISTS ${SNAPSHOT_SCHEMA} CASCADE`);
    await client.query(`CREATE SCHEMA ${SNAPSHOT_SCHEMA}`);
    for (const name of names)
      await client.query(`CREATE TABLE ${SNAPSHOT_SCHEMA}.${ident(name)} AS TABLE public.${ident(name)}`);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
  return names;
}

/** Restores the snapshot; false when none was taken. Sequences keep counting (ids are never reused). */
export async function restoreSnapshot(db: Database): Promise<boolean> {
  const exists = await db.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [SNAPSHOT_SCHEMA]);
  if (exists.rowCount === 0) return false;
  const snapshot = await db.query<{ table_name: string }>(
    'SELECT table_name FROM information_schema.tables WHERE table_schema = $1',
    [SNAPSHOT_SCHEMA],
  );
  const names = snapshot.rows.map((r) => r.table_name);
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    await client.query("SET LOCAL session_replication_role = 'replica'");
    await client.query(`TRUNCATE ${(await tables(db)).map((n) => `public.${ident(n)}`).join(', ')}`);
    for (const name of names)
      await client.query(`INSERT INTO public.${ident(name)} SELECT * FROM ${SNAPSHOT_SCHEMA}.${ident(name)}`);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
  return true;
}
