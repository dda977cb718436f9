// Opens the system of record: PGlite in a data directory by default, or a PostgreSQL server
// when a URL is given. Both speak the same SQL and return values of the same JavaScript types.
import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import lockfile from 'proper-lockfile';
import { AppError } from '../http/errors.js';
import { Mutex, PgliteDialect } from './pglite-driver.js';
import type { DB } from './schema.js';

export type Db = Kysely<DB>;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Where the data lives, for messages: a directory, "memory", or the server with the password removed. */
  location: string;
  /** The PGlite instance when embedded (used for backups of the data directory and test templates). */
  pglite: PGlite | undefined;
  /**
   * Embedded only: runs `use` with sole use of PGlite's one session, once any Kysely connection or
   * transaction in progress has ended (the Kysely driver holds the same lock). For code that talks to
   * PGlite itself, such as the job queue. Never call it inside a transaction: it would wait on itself.
   */
  withPglite: (<T>(use: (pglite: PGlite) => Promise<T>) => Promise<T>) | undefined;
  /**
   * PostgreSQL only: the connection URL, password included, for code that keeps its own
   * connections (the job queue). Never log it; `location` is the printable form.
   */
  url: string | undefined;
  close(): Promise<void>;
}

// Column types that must come back identically from both drivers: dates stay 'YYYY-MM-DD'
// strings (a statutory date has no time zone), bigints become numbers (counts, sequence numbers).
const DATE_OID = 1082;
const INT8_OID = 20;
const NUMERIC_OID = 1700;
const parseDate = (value: string): string => value;
const parseInt8 = (value: string): number => Number(value);
const parseNumeric = (value: string): number => Number(value);

export interface OpenOptions {
  /** A PGlite data directory; undefined means an in-memory database. */
  dataDir?: string | undefined;
  databaseUrl?: string | undefined;
  /** A gzipped tarball of a PGlite data directory to start from (tests copy a migrated template). */
  loadDataDir?: Blob | undefined;
  /** Pool size for PostgreSQL. */
  poolSize?: number;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolSize ?? 10);
  return openPglite(options.dataDir, options.loadDataDir);
}

/** The database the configuration names: the PostgreSQL server if DATABASE_URL is set, else PGlite in DATA_DIR. */
export function openConfiguredDatabase(config: {
  databaseUrl: string | undefined;
  dataDir: string;
}): Promise<Database> {
  return openDatabase({
    dataDir: config.databaseUrl ? undefined : config.dataDir,
    databaseUrl: config.databaseUrl,
  });
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const types = {
    getTypeParser: (oid: number, format?: 'text' | 'binary') => {
      if (oid === DATE_OID) return parseDate;
      if (oid === INT8_OID) return parseInt8;
      if (oid === NUMERIC_OID) return parseNumeric;
      return pg.types.getTypeParser(oid, format);
    },
  };
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types, connectionTimeoutMillis: 5000 });
  pool.on('error', () => {
    // An idle client lost its connection; the pool replaces it. Requests see errors of their own.
  });
  const location = redactUrl(url);
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end().catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    throw new AppError('config', `Cannot connect to the database at ${location}: ${reason}.`, {
      cause: error,
    });
  }
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    kind: 'postgres',
    location,
    pglite: undefined,
    withPglite: undefined,
    url,
    close: () => db.destroy(),
  };
}

async function openPglite(dataDir: string | undefined, loadDataDir: Blob | undefined): Promise<Database> {
  let releaseLock: (() => Promise<void>) | undefined;
  if (dataDir) {
    prepareDataDir(dataDir);
    try {
      releaseLock = await lockfile.lock(dataDir, {
        lockfilePath: path.join(dataDir, 'kindred.lock'),
        stale: 15_000,
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ELOCKED') {
        throw new AppError(
          'config',
          `The data directory ${dataDir} is in use by another running Kindred. Stop it first, or set DATA_DIR to another directory.`,
        );
      }
      throw error;
    }
  }
  const pgDataDir = dataDir ? path.join(dataDir, 'pgdata') : undefined;
  let pglite: PGlite;
  try {
    pglite = await PGlite.create({
      ...(pgDataDir ? { dataDir: pgDataDir } : {}),
      ...(loadDataDir ? { loadDataDir } : {}),
      parsers: { [DATE_OID]: parseDate, [INT8_OID]: parseInt8, [NUMERIC_OID]: parseNumeric },
    });
  } catch (error) {
    await releaseLock?.();
    const reason = error instanceof Error ? error.message : String(error);
    throw new AppError('config', `Cannot open the embedded database in ${dataDir ?? 'memory'}: ${reason}.`, {
      cause: error,
    });
  }
  const session = new Mutex();
  const db = new Kysely<DB>({ dialect: new PgliteDialect(pglite, session) });
  return {
    db,
    kind: 'pglite',
    location: dataDir ?? 'memory',
    pglite,
    withPglite: (use) => session.run(() => use(pglite)),
    url: undefined,
    close: async () => {
      await db.destroy();
      await releaseLock?.();
    },
  };
}

/** Creates the data directory if its parent exists, and says plainly when it cannot be used. */
function prepareDataDir(dataDir: string): void {
  const parent = path.dirname(dataDir);
  if (!existsSync(dataDir)) {
    if (!existsSync(parent)) {
      throw new AppError(
        'config',
        `The data directory ${dataDir} cannot be created because ${parent} does not exist.`,
      );
    }
    try {
      mkdirSync(dataDir);
    } catch {
      throw new AppError(
        'config',
        `The data directory ${dataDir} cannot be created: ${parent} is not writable.`,
      );
    }
  }
  if (!statSync(dataDir).isDirectory()) {
    throw new AppError('config', `The data directory ${dataDir} is a file, not a directory.`);
  }
  try {
    accessSync(dataDir, constants.W_OK | constants.R_OK);
  } catch {
    throw new AppError('config', `The data directory ${dataDir} is not writable by this user.`);
  }
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'the configured DATABASE_URL';
  }
}

/** True when the database answers a trivial query (the readiness check). */
export async function databaseIsReady(db: Db): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
