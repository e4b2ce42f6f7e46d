// PostgreSQL access: one pool, and schema migrations applied at start inside a transaction that holds
// an advisory lock, so two doubles starting against the same database never migrate twice.
import pg from 'pg';
import type { DoubleConfig } from './config.ts';
import { migrations } from './migrations.ts';

export type Database = pg.Pool;
export type Queryable = pg.Pool | pg.PoolClient;

// Arbitrary constant shared by every double: "harbor-double migrations".
const MIGRATION_LOCK_KEY = 0x4844_4d31;

export function createDatabase(config: DoubleConfig['database']): Database {
  // Timestamps come back as Date for timestamptz; bigint (int8) as number: our ids and sizes fit.
  pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
  const pool = new pg.Pool({
    host: config.host,
    port: config.port,
    user: config.user,
    password: config.password,
    database: config.database,
    ssl: config.ssl ? { rejectUnauthorized: false } : false,
    max: 10,
    connectionTimeoutMillis: 5_000,
  });
  // An idle client whose server went away (PostgreSQL restarting its backends) emits 'error': without a
  // listener Node exits. Like harbor-core, the double keeps serving; the pool reconnects on the next query.
  pool.on('error', (error) => process.stderr.write(`harbor-double: idle database connection lost: ${error.message}\n`));
  return pool;
}

export interface MigrateOptions {
  /** The highest migration the emulated release has (upgrade/emulated-versions.ts); default every one. */
  through?: number;
  /**
   * Runs in the migration transaction after the new migrations, with the highest version recorded before
   * them (0 on an empty database): the upgrade step's hook (upgrade/upgrade-step.ts).
   */
  afterMigrations?: (client: pg.PoolClient, step: { previous: number; applied: number[] }) => Promise<void>;
}

/** Raised when the database holds migrations newer than the emulated release has (a downgrade). */
export class SchemaTooNewError extends Error {
  override name = 'SchemaTooNewError';
}

/** Applies every migration not yet recorded (up to `through`); returns the versions it applied. */
export async function migrate(db: Database, options: MigrateOptions = {}): Promise<number[]> {
  const through = options.through ?? Number.MAX_SAFE_INTEGER;
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS double_schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const done = await client.query<{ version: number }>('SELECT version FROM double_schema_migrations');
    const applied = new Set(done.rows.map((row) => row.version));
    const previous = Math.max(0, ...applied);
    if (previous > through)
      throw new SchemaTooNewError(
        `the database has schema migration ${previous}, newer than this release has (${through}): a downgrade is not supported; restore the backup taken before the upgrade`,
      );
    const newlyApplied: number[] = [];
    for (const migration of migrations) {
      if (applied.has(migration.version) || migration.version > through) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO double_schema_migrations (version) VALUES ($1)', [migration.version]);
      newlyApplied.push(migration.version);
    }
    await options.afterMigrations?.(client, { previous, applied: newlyApplied });
    await client.query('COMMIT');
    return newlyApplied;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** Runs `work` in one transaction on one connection. */
export async function inTransaction<T>(db: Database, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
