// The database module's promises: migrations are forward-only and checksummed, and an unusable
// data directory or server is one clear sentence with nothing half-applied (issue 2 §4, §9).
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, cpSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/platform/db/client.js';
import { migrate, migrationsDir, readMigrations } from '../../src/platform/db/migrate.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'kindred-db-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function copyOfMigrations(): string {
  const dir = mkdtempSync(path.join(scratch, 'migrations-'));
  cpSync(migrationsDir, dir, { recursive: true });
  return dir;
}

describe('migrations', () => {
  it('applies every migration once and records its checksum', async () => {
    const database = await openDatabase({});
    try {
      const first = await migrate(database.db);
      expect(first.applied).toEqual(readMigrations().map((m) => m.file));
      const second = await migrate(database.db);
      expect(second).toEqual({ applied: [], alreadyApplied: first.applied.length });
      const recorded = await database.db
        .selectFrom('schema_migrations')
        .select(['version', 'checksum'])
        .orderBy('version')
        .execute();
      expect(recorded.map((r) => r.checksum)).toEqual(readMigrations().map((m) => m.checksum));
    } finally {
      await database.close();
    }
  });

  it('refuses a migration that was edited after it was applied', async () => {
    const dir = copyOfMigrations();
    const database = await openDatabase({});
    try {
      await migrate(database.db, dir);
      const first = readMigrations(dir)[0]!;
      writeFileSync(
        path.join(dir, first.file),
        `${readFileSync(path.join(dir, first.file), 'utf8')}\n-- a later edit\n`,
      );
      await expect(migrate(database.db, dir)).rejects.toThrowError(
        `Migration ${first.file} was changed after it was applied to this database. Migrations are forward-only: restore the original file and add a new migration for the change.`,
      );
    } finally {
      await database.close();
    }
  });

  it('applies nothing when one pending migration fails', async () => {
    const dir = copyOfMigrations();
    const next = String(Math.max(...readMigrations(dir).map((m) => m.version)) + 1).padStart(4, '0');
    writeFileSync(path.join(dir, `${next}_good.sql`), 'create table should_not_exist (id int);');
    writeFileSync(
      path.join(dir, `${String(Number(next) + 1).padStart(4, '0')}_broken.sql`),
      'create tabel oops;',
    );
    const database = await openDatabase({});
    try {
      await expect(migrate(database.db, dir)).rejects.toThrowError(
        /_broken\.sql failed and nothing was applied/,
      );
      const tables = await sql<{
        n: number;
      }>`select count(*)::int as n from information_schema.tables where table_schema = 'public' and table_name in ('organisations', 'should_not_exist')`.execute(
        database.db,
      );
      expect(tables.rows[0]?.n).toBe(0);
    } finally {
      await database.close();
    }
  });

  it('refuses badly named migration files', () => {
    const dir = copyOfMigrations();
    writeFileSync(path.join(dir, '12_Oops.sql'), 'select 1;');
    expect(() => readMigrations(dir)).toThrowError(
      'Migration file 12_Oops.sql must be named NNNN_lower_snake_name.sql.',
    );
  });
});

describe('data directory and server problems', () => {
  it('creates a missing data directory whose parent exists, and refuses one whose parent does not', async () => {
    const fresh = path.join(scratch, 'fresh-data');
    const database = await openDatabase({ dataDir: fresh });
    await database.close();
    const orphan = path.join(scratch, 'no-such-parent', 'data');
    await expect(openDatabase({ dataDir: orphan })).rejects.toThrowError(
      `The data directory ${orphan} cannot be created because ${path.dirname(orphan)} does not exist.`,
    );
  });

  it('refuses a data directory that is a file', async () => {
    const file = path.join(scratch, 'a-file');
    writeFileSync(file, 'not a directory');
    await expect(openDatabase({ dataDir: file })).rejects.toThrowError(
      `The data directory ${file} is a file, not a directory.`,
    );
  });

  it('refuses a data directory another running Kindred holds', async () => {
    const dir = path.join(scratch, 'shared-data');
    mkdirSync(dir);
    const first = await openDatabase({ dataDir: dir });
    try {
      await expect(openDatabase({ dataDir: dir })).rejects.toThrowError(
        `The data directory ${dir} is in use by another running Kindred. Stop it first, or set DATA_DIR to another directory.`,
      );
    } finally {
      await first.close();
    }
    const again = await openDatabase({ dataDir: dir });
    await again.close();
  });

  it('says plainly when the PostgreSQL server cannot be reached, without the password', async () => {
    await expect(
      openDatabase({ databaseUrl: 'postgres://kindred:s3cret@127.0.0.1:1/kindred' }),
    ).rejects.toThrowError(
      /^Cannot connect to the database at postgres:\/\/kindred:\*\*\*@127\.0\.0\.1:1\/kindred: /,
    );
  });
});
