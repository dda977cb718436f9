// Forward-only numbered SQL migrations, each applied in its own transaction and recorded with a
// SHA-256 checksum. An applied migration that has since been edited is refused: history in a
// case system must be reproducible, so a change to the schema is always a new migration.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { AppError } from '../http/errors.js';
import type { Db } from './client.js';

export const migrationsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface Migration {
  version: number;
  name: string;
  file: string;
  sql: string;
  checksum: string;
}

const fileNamePattern = /^(\d{4})_([a-z0-9_]+)\.sql$/;

export function readMigrations(dir = migrationsDir): Migration[] {
  const migrations = readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .map((file) => {
      const match = fileNamePattern.exec(file);
      if (!match?.[1] || !match[2]) {
        throw new AppError('config', `Migration file ${file} must be named NNNN_lower_snake_name.sql.`);
      }
      const text = readFileSync(path.join(dir, file), 'utf8');
      return {
        version: Number(match[1]),
        name: match[2],
        file,
        sql: text,
        checksum: createHash('sha256').update(text).digest('hex'),
      };
    });
  migrations.forEach((migration, index) => {
    const previous = migrations[index - 1];
    if (previous && previous.version === migration.version) {
      throw new AppError(
        'config',
        `Migrations ${previous.file} and ${migration.file} share a number; each needs its own.`,
      );
    }
  });
  return migrations;
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: number;
}

export async function migrate(db: Db, dir = migrationsDir): Promise<MigrateResult> {
  const migrations = readMigrations(dir);
  await sql`
    create table if not exists schema_migrations (
      version integer primary key,
      name text not null,
      checksum text not null,
      applied_at timestamptz not null default now()
    )`.execute(db);

  return db.transaction().execute(async (trx) => {
    // One migrator at a time when several Kindred processes share a PostgreSQL server.
    await sql`select pg_advisory_xact_lock(7231001)`.execute(trx);
    const applied = await trx.selectFrom('schema_migrations').selectAll().orderBy('version').execute();
    const byVersion = new Map(applied.map((row) => [row.version, row]));
    for (const row of applied) {
      const migration = migrations.find((m) => m.version === row.version);
      if (!migration) {
        throw new AppError(
          'config',
          `The database has migration ${String(row.version).padStart(4, '0')}_${row.name} which this version of Kindred does not know. Run a newer Kindred.`,
        );
      }
      if (migration.checksum !== row.checksum) {
        throw new AppError(
          'config',
          `Migration ${migration.file} was changed after it was applied to this database. Migrations are forward-only: restore the original file and add a new migration for the change.`,
        );
      }
    }
    const pending = migrations.filter((m) => !byVersion.has(m.version));
    for (const migration of pending) {
      try {
        await sql.raw(migration.sql).execute(trx);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new AppError(
          'config',
          `Migration ${migration.file} failed and nothing was applied: ${reason}`,
          {
            cause: error,
          },
        );
      }
      await trx
        .insertInto('schema_migrations')
        .values({ version: migration.version, name: migration.name, checksum: migration.checksum })
        .execute();
    }
    return { applied: pending.map((m) => m.file), alreadyApplied: applied.length };
  });
}
