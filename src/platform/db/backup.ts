// Logical backup and restore (issue 2 §5; security.md RL-5, pitfall P20). One portable format for
// both drivers, so a PGlite laptop's backup restores onto a PostgreSQL server and back:
//
//   line 1   header  {format, version, createdAt, migrations, tables, sequences, keyCheck}
//   then     per table, parents before children: {table, columns, rows: N} and N row lines
//   last     trailer {end, tables, rows, sha256 of every line before it}
//
// gzipped JSON lines. Rows are PostgreSQL's own `row_to_json` text, written and read back as text
// and converted by `json_populate_recordset` on restore, so no value passes through JavaScript
// numbers or Dates: microsecond timestamps, bigints beyond 2^53, numerics and arrays come back exact.
// Tables are read in batches inside one repeatable-read snapshot and streamed through gzip, so the
// database is never held in memory. A restore is one transaction into an empty database, and is
// only committed once the audit trail verifies with this installation's key.
import { createHash, createHmac } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, renameSync, rmSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip, createGzip } from 'node:zlib';
import { sql, type Transaction } from 'kysely';
import { verifyAuditChain, type AuditKey } from '../audit/audit.js';
import { AppError } from '../http/errors.js';
import type { Database, Db } from './client.js';
import type { DB } from './schema.js';

export const backupFormat = 'kindred-backup';
export const backupVersion = 1;
const batchRows = 1000;
// A batch is also flushed at this size, so tables with large rows stay within modest memory.
const batchBytes = 4 * 1024 * 1024;

type Executor = Db | Transaction<DB>;

interface TableInfo {
  name: string;
  columns: string[];
  primaryKey: string[];
}

interface ForeignKey {
  name: string;
  table: string;
  references: string;
  deferrable: boolean;
}

interface Catalogue {
  /** Parents before children (foreign keys), then by name. */
  tables: TableInfo[];
  foreignKeys: ForeignKey[];
  sequences: string[];
}

interface BackupHeader {
  format: typeof backupFormat;
  version: number;
  createdAt: string;
  source: Database['kind'];
  migrations: { version: number; checksum: string }[];
  tables: string[];
  sequences: { name: string; lastValue: string; isCalled: boolean }[];
  /** An HMAC of a fixed label under the audit key: tells a restore early that the key differs. */
  keyCheck: string | null;
}

interface SectionHeader {
  table: string;
  columns: string[];
  rows: number;
}

interface Trailer {
  end: typeof backupFormat;
  tables: number;
  rows: number;
  sha256: string;
}

export interface TableCount {
  name: string;
  rows: number;
}

export interface BackupSummary {
  tables: TableCount[];
  rows: number;
}

export interface RestoreSummary extends BackupSummary {
  audit: { checked: number; headSeq: number; headHash: string };
}

export interface ProgressOptions {
  /** Called after each batch with the table and the rows done in it so far. */
  onProgress?: (table: string, rows: number) => void;
}

/** Every table in the public schema except the migration ledger, with columns and keys. */
async function readCatalogue(db: Executor): Promise<Catalogue> {
  const tables = await sql<{ name: string }>`
    select c.relname as name
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition
      and c.relname <> 'schema_migrations'
    order by c.relname`.execute(db);
  const columns = await sql<{ table: string; column: string }>`
    select c.relname as table, a.attname as column
    from pg_attribute a
      join pg_class c on c.oid = a.attrelid
      join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p') and a.attnum > 0
      and not a.attisdropped and a.attgenerated = ''
    order by c.relname, a.attnum`.execute(db);
  const keys = await sql<{ table: string; column: string }>`
    select c.relname as table, a.attname as column
    from pg_index i
      join pg_class c on c.oid = i.indrelid
      join pg_namespace n on n.oid = c.relnamespace
      cross join lateral unnest(i.indkey::int2[]) with ordinality as k(attnum, position)
      join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
    where n.nspname = 'public' and i.indisprimary
    order by c.relname, k.position`.execute(db);
  const foreignKeys = await sql<ForeignKey>`
    select con.conname as name, src.relname as table, dst.relname as references,
      con.condeferrable as deferrable
    from pg_constraint con
      join pg_class src on src.oid = con.conrelid
      join pg_class dst on dst.oid = con.confrelid
      join pg_namespace n on n.oid = src.relnamespace
      join pg_namespace dn on dn.oid = dst.relnamespace
    where con.contype = 'f' and n.nspname = 'public' and dn.nspname = 'public'
    order by con.conname`.execute(db);
  const sequences = await sql<{ name: string }>`
    select c.relname as name
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind = 'S'
    order by c.relname`.execute(db);

  const infos = tables.rows.map((table): TableInfo => ({
    name: table.name,
    columns: columns.rows.filter((row) => row.table === table.name).map((row) => row.column),
    primaryKey: keys.rows.filter((row) => row.table === table.name).map((row) => row.column),
  }));
  return {
    tables: parentsFirst(infos, foreignKeys.rows),
    foreignKeys: foreignKeys.rows,
    sequences: sequences.rows.map((row) => row.name),
  };
}

/** Orders tables so a referenced table comes before those referring to it (Kahn's algorithm). */
function parentsFirst(tables: TableInfo[], foreignKeys: ForeignKey[]): TableInfo[] {
  const names = new Set(tables.map((table) => table.name));
  const parents = new Map(tables.map((table) => [table.name, new Set<string>()]));
  for (const key of foreignKeys) {
    if (key.table !== key.references && names.has(key.references))
      parents.get(key.table)?.add(key.references);
  }
  const ordered: TableInfo[] = [];
  const remaining = [...tables];
  while (remaining.length > 0) {
    const done = new Set(ordered.map((table) => table.name));
    const ready = remaining.filter((table) => [...(parents.get(table.name) ?? [])].every((p) => done.has(p)));
    // A cycle between tables: take the first by name; its foreign keys are deferred on restore.
    const next = ready[0] ?? remaining[0]!;
    ordered.push(next);
    remaining.splice(remaining.indexOf(next), 1);
  }
  return ordered;
}

/** Foreign keys that point at the same or a later table in `order`, which a restore checks at the end. */
function lateForeignKeys(catalogue: Catalogue, order: string[]): ForeignKey[] {
  const position = new Map(order.map((name, index) => [name, index]));
  return catalogue.foreignKeys.filter(
    (key) => (position.get(key.references) ?? -1) >= (position.get(key.table) ?? -1),
  );
}

function keyCheckFor(key: AuditKey | undefined): string | null {
  return key
    ? createHmac('sha256', key.key).update('kindred-backup-key-check-v1').digest('hex').slice(0, 32)
    : null;
}

async function appliedMigrations(db: Executor): Promise<{ version: number; checksum: string }[]> {
  const exists = await sql<{
    name: string | null;
  }>`select to_regclass('public.schema_migrations')::text as name`.execute(db);
  if (!exists.rows[0]?.name) return [];
  const rows = await sql<{ version: number; checksum: string }>`
    select version, checksum from schema_migrations order by version`.execute(db);
  return rows.rows.map((row) => ({ version: Number(row.version), checksum: row.checksum }));
}

async function countRows(db: Executor, table: string): Promise<number> {
  const result = await sql<{ n: number }>`select count(*)::int8 as n from ${sql.id('public', table)}`.execute(
    db,
  );
  return Number(result.rows[0]?.n ?? 0);
}

/** One batch of rows as PostgreSQL's JSON text, in primary-key order after the given row. */
async function readBatch(
  db: Executor,
  table: TableInfo,
  after: string | null,
  offset: number,
): Promise<string[]> {
  const from = sql.id('public', table.name);
  if (table.primaryKey.length === 0) {
    // No key to page by: a stable total order over the whole row, paged by offset in the snapshot.
    const result = await sql<{ row: string }>`
      select row_to_json(t)::text as row from ${from} t
      order by row_to_json(t)::text limit ${batchRows} offset ${offset}`.execute(db);
    return result.rows.map((row) => row.row);
  }
  const keyOf = (alias: string) =>
    sql.join(
      table.primaryKey.map((column) => sql.id(alias, column)),
      sql`, `,
    );
  const where =
    after === null
      ? sql``
      : sql`where (${keyOf('t')}) > (select ${keyOf('k')} from json_populate_record(null::${from}, ${after}::json) k)`;
  const result = await sql<{ row: string }>`
    select row_to_json(t)::text as row from ${from} t ${where}
    order by ${keyOf('t')} limit ${batchRows}`.execute(db);
  return result.rows.map((row) => row.row);
}

/** True when any table (other than the migration ledger) holds a row. */
export async function databaseHoldsData(db: Executor): Promise<boolean> {
  const catalogue = await readCatalogue(db);
  for (const table of catalogue.tables) {
    const result = await sql<{ found: boolean }>`
      select exists (select 1 from ${sql.id('public', table.name)}) as found`.execute(db);
    if (result.rows[0]?.found) return true;
  }
  return false;
}

/**
 * Writes a backup of every table to `file` (gzipped JSON lines), from one consistent snapshot.
 * The file appears only when complete, with owner-only permissions: it holds personal data.
 */
export async function backupDatabase(
  database: Database,
  file: string,
  options: ProgressOptions & { now?: Date; auditKey?: AuditKey } = {},
): Promise<BackupSummary> {
  if (existsSync(file)) {
    throw new AppError(
      'conflict',
      `The file ${file} already exists; give a new file name so that no earlier backup is overwritten.`,
    );
  }
  const partial = `${file}.partial-${process.pid}`;
  const counts: TableCount[] = [];
  try {
    await database.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .setAccessMode('read only')
      .execute(async (trx) => {
        await sql`set local timezone = 'UTC'`.execute(trx);
        await sql`set local intervalstyle = 'iso_8601'`.execute(trx);
        const catalogue = await readCatalogue(trx);
        const sequences: BackupHeader['sequences'] = [];
        for (const name of catalogue.sequences) {
          const state = await sql<{ value: string; called: boolean }>`
            select last_value::text as value, is_called as called from ${sql.id('public', name)}`.execute(
            trx,
          );
          const row = state.rows[0];
          if (row) sequences.push({ name, lastValue: row.value, isCalled: row.called });
        }
        const header: BackupHeader = {
          format: backupFormat,
          version: backupVersion,
          createdAt: (options.now ?? new Date()).toISOString(),
          source: database.kind,
          migrations: await appliedMigrations(trx),
          tables: catalogue.tables.map((table) => table.name),
          sequences,
          keyCheck: keyCheckFor(options.auditKey),
        };
        const digest = createHash('sha256');
        const emit = (lines: string[]): Buffer => {
          const chunk = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
          digest.update(chunk);
          return chunk;
        };
        async function* content(): AsyncGenerator<Buffer> {
          yield emit([JSON.stringify(header)]);
          let total = 0;
          for (const table of catalogue.tables) {
            const expected = await countRows(trx, table.name);
            const section: SectionHeader = { table: table.name, columns: table.columns, rows: expected };
            yield emit([JSON.stringify(section)]);
            let written = 0;
            let last: string | null = null;
            for (;;) {
              const rows = await readBatch(trx, table, last, written);
              if (rows.length === 0) break;
              written += rows.length;
              last = rows[rows.length - 1]!;
              yield emit(rows);
              options.onProgress?.(table.name, written);
            }
            if (written !== expected) {
              throw new AppError('internal', `Table ${table.name} changed its row count during the backup.`);
            }
            counts.push({ name: table.name, rows: written });
            total += written;
          }
          const trailer: Trailer = {
            end: backupFormat,
            tables: catalogue.tables.length,
            rows: total,
            sha256: digest.digest('hex'),
          };
          yield Buffer.from(`${JSON.stringify(trailer)}\n`, 'utf8');
        }
        await pipeline(
          Readable.from(content()),
          createGzip(),
          createWriteStream(partial, { flags: 'wx', mode: 0o600 }),
        );
      });
    renameSync(partial, file);
  } catch (error) {
    rmSync(partial, { force: true });
    if (error instanceof AppError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new AppError('internal', `The backup to ${file} failed and no file was written: ${reason}.`, {
      cause: error,
    });
  }
  return { tables: counts, rows: counts.reduce((sum, table) => sum + table.rows, 0) };
}

/** The decompressed lines of a backup file, each with its newline, failing on damage. */
async function* linesOf(file: string): AsyncGenerator<string> {
  const source = createReadStream(file);
  const gunzip = createGunzip();
  source.on('error', (error) => gunzip.destroy(error));
  source.pipe(gunzip);
  const decoder = new StringDecoder('utf8');
  let pending = '';
  for await (const chunk of gunzip as AsyncIterable<Buffer>) {
    pending += decoder.write(chunk);
    let newline = pending.indexOf('\n');
    while (newline >= 0) {
      yield pending.slice(0, newline + 1);
      pending = pending.slice(newline + 1);
      newline = pending.indexOf('\n');
    }
  }
  pending += decoder.end();
  if (pending.length > 0) yield pending;
}

class BackupReader {
  readonly #lines: AsyncGenerator<string>;
  readonly #digest = createHash('sha256');

  constructor(private readonly file: string) {
    this.#lines = linesOf(file);
  }

  /** The next line without its newline, counted into the running checksum. */
  async next(what: string): Promise<string> {
    const result = await this.#lines.next();
    if (result.done || !result.value.endsWith('\n')) throw this.damaged(`it ends before ${what}`);
    this.#digest.update(result.value, 'utf8');
    return result.value.slice(0, -1);
  }

  async nextJson<T>(what: string): Promise<T> {
    const line = await this.next(what);
    try {
      return JSON.parse(line) as T;
    } catch {
      throw this.damaged(`${what} is not readable`);
    }
  }

  /** The trailer is read outside the checksum it carries. */
  async trailer(): Promise<{ trailer: Trailer; sha256: string }> {
    const sha256 = this.#digest.digest('hex');
    const result = await this.#lines.next();
    if (result.done || !result.value.endsWith('\n')) throw this.damaged('it ends before its last line');
    const rest = await this.#lines.next();
    if (!rest.done) throw this.damaged('there is more after its last line');
    try {
      return { trailer: JSON.parse(result.value) as Trailer, sha256 };
    } catch {
      throw this.damaged('its last line is not readable');
    }
  }

  damaged(problem: string): AppError {
    return new AppError(
      'unprocessable',
      `The backup file ${this.file} is incomplete or damaged: ${problem}.`,
    );
  }

  async close(): Promise<void> {
    await this.#lines.return(undefined);
  }
}

const sameMigrations = (a: BackupHeader['migrations'], b: BackupHeader['migrations']): boolean =>
  a.length === b.length && a.every((m, i) => m.version === b[i]?.version && m.checksum === b[i]?.checksum);

const describeMigrations = (migrations: BackupHeader['migrations']): string =>
  migrations.length === 0
    ? 'no migrations'
    : `migration ${String(migrations.at(-1)?.version).padStart(4, '0')}`;

function migrationMismatch(
  backup: BackupHeader['migrations'],
  target: BackupHeader['migrations'],
  location: string,
): string {
  const where = describeMigrations(target);
  return describeMigrations(backup) === where
    ? `The backup's migrations differ from those applied to the database at ${location}; restore with the version of Kindred that made the backup.`
    : `The backup was taken at ${describeMigrations(backup)} but the database at ${location} is at ${where}; restore with the version of Kindred that made the backup.`;
}

/** Runs `use` over the file's lines, turning a damaged gzip stream or a database error into one sentence. */
async function withBackupFile<T>(file: string, use: (reader: BackupReader) => Promise<T>): Promise<T> {
  if (!existsSync(file)) throw new AppError('not-found', `The backup file ${file} does not exist.`);
  const reader = new BackupReader(file);
  try {
    return await use(reader);
  } catch (error) {
    if (error instanceof AppError) throw error;
    const code = (error as { code?: string }).code;
    const reason = (error instanceof Error ? error.message : String(error)).replace(/\.$/, '');
    if (code?.startsWith('Z_') || code === 'ERR_STREAM_PREMATURE_CLOSE') throw reader.damaged(reason);
    throw new AppError(
      'unprocessable',
      `The backup ${file} could not be restored, and nothing was restored: ${reason}.`,
      {
        cause: error,
      },
    );
  } finally {
    await reader.close().catch(() => undefined);
  }
}

async function readHeader(reader: BackupReader, auditKey: AuditKey): Promise<BackupHeader> {
  const header = await reader.nextJson<BackupHeader>('its first line');
  if (header.format !== backupFormat) throw reader.damaged('it is not a Kindred backup');
  if (header.version !== backupVersion) {
    throw new AppError(
      'unprocessable',
      `The backup is format version ${header.version}, which this version of Kindred cannot restore.`,
    );
  }
  if (header.keyCheck && header.keyCheck !== keyCheckFor(auditKey)) {
    throw new AppError(
      'unprocessable',
      "The backup was made by an installation with a different secret, so its audit trail cannot be verified here; set KINDRED_SECRET (or the data directory's .kindred-secret) to that installation's secret and restore again.",
    );
  }
  return header;
}

/**
 * Checks that a file is a Kindred backup this installation can restore (format, version, secret),
 * reading only its first line: the restore command asks before it touches any database.
 */
export async function checkBackupFile(file: string, auditKey: AuditKey): Promise<void> {
  await withBackupFile(file, (reader) => readHeader(reader, auditKey));
}

/**
 * Restores a backup into an empty, migrated database in one transaction: either every row is
 * restored and the audit trail verifies with `auditKey`, or nothing is.
 */
export async function restoreDatabase(
  database: Database,
  file: string,
  auditKey: AuditKey,
  options: ProgressOptions = {},
): Promise<RestoreSummary> {
  return withBackupFile(file, (reader) => restoreFrom(reader, database, auditKey, options));
}

async function restoreFrom(
  reader: BackupReader,
  database: Database,
  auditKey: AuditKey,
  options: ProgressOptions,
): Promise<RestoreSummary> {
  const header = await readHeader(reader, auditKey);
  if (await databaseHoldsData(database.db)) {
    throw new AppError(
      'conflict',
      `The database at ${database.location} already holds data; restore only into an empty database.`,
    );
  }
  const migrations = await appliedMigrations(database.db);
  if (!sameMigrations(migrations, header.migrations)) {
    throw new AppError('conflict', migrationMismatch(header.migrations, migrations, database.location));
  }

  return database.db.transaction().execute(async (trx) => {
    await sql`set local timezone = 'UTC'`.execute(trx);
    const catalogue = await readCatalogue(trx);
    const targetTables = catalogue.tables.map((table) => table.name);
    if ([...targetTables].sort().join() !== [...header.tables].sort().join()) {
      throw new AppError('conflict', "The backup's tables do not match the database's tables.");
    }
    // Keys that refer to the same table (an organisation's parent) or to a table restored later
    // are checked once every row is in, then put back as they were.
    const deferred = lateForeignKeys(catalogue, header.tables).filter((key) => !key.deferrable);
    for (const key of deferred) {
      await sql`alter table ${sql.id('public', key.table)} alter constraint ${sql.id(key.name)} deferrable initially deferred`.execute(
        trx,
      );
    }
    await sql`set constraints all deferred`.execute(trx);

    const counts: TableCount[] = [];
    for (const expectedTable of header.tables) {
      const section = await reader.nextJson<SectionHeader>(`the rows of ${expectedTable}`);
      if (section.table !== expectedTable) throw reader.damaged(`table ${expectedTable} is missing`);
      const table = catalogue.tables.find((candidate) => candidate.name === section.table)!;
      if ([...section.columns].sort().join() !== [...table.columns].sort().join()) {
        throw new AppError('conflict', `The backup's columns for ${table.name} do not match the database's.`);
      }
      const into = sql.id('public', table.name);
      const columns = sql.join(section.columns.map((column) => sql.id(column)));
      let batch: string[] = [];
      let batchSize = 0;
      let restored = 0;
      const flush = async () => {
        if (batch.length === 0) return;
        await sql`
          insert into ${into} (${columns}) overriding system value
          select ${columns} from json_populate_recordset(null::${into}, ${`[${batch.join(',')}]`}::json)`.execute(
          trx,
        );
        restored += batch.length;
        batch = [];
        batchSize = 0;
        options.onProgress?.(table.name, restored);
      };
      for (let i = 0; i < section.rows; i += 1) {
        const line = await reader.next(`all the rows of ${table.name}`);
        batch.push(line);
        batchSize += line.length;
        if (batch.length >= batchRows || batchSize >= batchBytes) await flush();
      }
      await flush();
      counts.push({ name: table.name, rows: restored });
    }

    const { trailer, sha256 } = await reader.trailer();
    const total = counts.reduce((sum, table) => sum + table.rows, 0);
    if (trailer.end !== backupFormat || trailer.sha256 !== sha256)
      throw reader.damaged('its checksum does not match');
    if (trailer.rows !== total || trailer.tables !== counts.length)
      throw reader.damaged('its row counts do not match');

    for (const sequence of header.sequences) {
      await sql`select setval(${`public.${quoteIdent(sequence.name)}`}::regclass, ${sequence.lastValue}::int8, ${sequence.isCalled})`.execute(
        trx,
      );
    }
    await sql`set constraints all immediate`.execute(trx);
    for (const key of deferred) {
      await sql`alter table ${sql.id('public', key.table)} alter constraint ${sql.id(key.name)} not deferrable`.execute(
        trx,
      );
    }

    const audit = await verifyAuditChain(trx, auditKey);
    if (!audit.ok) {
      throw new AppError(
        'unprocessable',
        `The restored audit trail does not verify with this installation's secret (entry #${audit.brokenAt}: ${audit.problem}), so nothing was restored.`,
      );
    }
    return {
      tables: counts,
      rows: total,
      audit: { checked: audit.checked, headSeq: audit.headSeq, headHash: audit.headHash },
    };
  });
}

/** Quotes an identifier for use inside a regclass string literal. */
function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
