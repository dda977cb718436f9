// Migrates one template database per run; each test file starts from a copy of it
// (design.md §5). PGlite always; PostgreSQL too when TEST_DATABASE_URL is set.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { sql } from 'kysely';
import { openDatabase } from '../../src/platform/db/client.js';
import { migrate } from '../../src/platform/db/migrate.js';
import { adminUrl, templateDatabaseName } from './database-names.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = path.resolve('.test-tmp');
  mkdirSync(dir, { recursive: true });
  const pglite = await openDatabase({});
  await migrate(pglite.db);
  const dump = await pglite.pglite!.dumpDataDir('gzip');
  const templateFile = path.join(dir, `pglite-template-${process.pid}.tar.gz`);
  writeFileSync(templateFile, Buffer.from(await dump.arrayBuffer()));
  await pglite.close();
  project.provide('pgliteTemplate', templateFile);

  const url = process.env.TEST_DATABASE_URL;
  let cleanup = async (): Promise<void> => {};
  if (url) {
    const template = templateDatabaseName(process.pid);
    const admin = await openDatabase({ databaseUrl: adminUrl(url), poolSize: 1 });
    await sql`drop database if exists ${sql.id(template)}`.execute(admin.db);
    await sql`create database ${sql.id(template)}`.execute(admin.db);
    const templateDb = await openDatabase({ databaseUrl: withDatabase(url, template), poolSize: 1 });
    await migrate(templateDb.db);
    await templateDb.close();
    project.provide('postgresTemplate', template);
    cleanup = async () => {
      await sql`drop database if exists ${sql.id(template)} with (force)`
        .execute(admin.db)
        .catch(() => undefined);
      await admin.close();
    };
  } else {
    project.provide('postgresTemplate', '');
  }
  return cleanup;
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    postgresTemplate: string;
  }
}
