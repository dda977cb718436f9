// A fresh, migrated database for one test file: a copy of the run's template.
// `TEST_DRIVER=postgres` (set by CI's second pass) selects PostgreSQL; otherwise PGlite.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { inject } from 'vitest';
import { openDatabase, type Database } from '../../src/platform/db/client.js';
import { adminUrl } from './database-names.js';

export function testDriver(): 'pglite' | 'postgres' {
  return process.env.TEST_DRIVER === 'postgres' && process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';
}

export async function createTestDatabase(): Promise<Database> {
  if (testDriver() === 'postgres') {
    const url = process.env.TEST_DATABASE_URL!;
    const template = inject('postgresTemplate');
    const name = `kindred_test_${randomBytes(6).toString('hex')}`;
    const admin = await openDatabase({ databaseUrl: adminUrl(url), poolSize: 1 });
    await sql`create database ${sql.id(name)} template ${sql.id(template)}`.execute(admin.db);
    const parsed = new URL(url);
    parsed.pathname = `/${name}`;
    const database = await openDatabase({ databaseUrl: parsed.toString(), poolSize: 5 });
    return {
      ...database,
      close: async () => {
        await database.close();
        await sql`drop database if exists ${sql.id(name)} with (force)`
          .execute(admin.db)
          .catch(() => undefined);
        await admin.close();
      },
    };
  }
  const template = readFileSync(inject('pgliteTemplate'));
  return openDatabase({ loadDataDir: new Blob([template]) });
}
