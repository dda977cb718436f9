// The PostgreSQL half of a database benchmark: a fresh, uniquely named database on the server
// DATABASE_URL or TEST_DATABASE_URL names (created from its `postgres` database), dropped
// afterwards whatever happens, so a bench never touches data it did not make.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { openDatabase, redactUrl, type Database } from '../../src/platform/db/client.js';

export const postgresSkipped =
  'PostgreSQL skipped: set DATABASE_URL or TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres) to run it';

/** Runs `use` on a new database with its label ("PostgreSQL (url)"); undefined when no server is named. */
export async function onBenchPostgres<T>(
  use: (database: Database, label: string) => Promise<T>,
): Promise<T | undefined> {
  const serverUrl = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (!serverUrl) return undefined;
  const name = `kindred_bench_${randomBytes(6).toString('hex')}`;
  const adminUrl = new URL(serverUrl);
  adminUrl.pathname = '/postgres';
  const admin = await openDatabase({ databaseUrl: adminUrl.toString(), poolSize: 1 });
  await sql`create database ${sql.id(name)}`.execute(admin.db);
  const benchUrl = new URL(serverUrl);
  benchUrl.pathname = `/${name}`;
  try {
    const database = await openDatabase({ databaseUrl: benchUrl.toString() });
    try {
      return await use(database, `PostgreSQL (${redactUrl(benchUrl.toString())})`);
    } finally {
      await database.close();
    }
  } finally {
    await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin.db);
    await admin.close();
  }
}
