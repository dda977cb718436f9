// SSDA903 import jobs (issue 9 §1): what the upload page creates and the job queue runs. The job's
// row (migration 0016) is its progress and its result; its payload is only the row's id
// (job-queue.ts: personal data never goes into pg-boss's schema). The job acts for the person who
// uploaded: their roles and scope are read again when it runs, so a permission removed meanwhile
// stops it (security.md AC-8).
import { sql, type Transaction } from 'kysely';
import type { Actor } from '../../platform/access/actor.js';
import { permissionsFor, type Role } from '../../platform/access/permissions.js';
import type { AuditContext, AuditKey } from '../../platform/audit/audit.js';
import type { Database, Db } from '../../platform/db/client.js';
import type { DB } from '../../platform/db/schema.js';
import { organisationScopeFor } from '../organisations/organisations.service.js';
import { insertJsonRows } from '../../platform/db/bulk-insert.js';
import { importReturn, type ImportProgress, type ImportResult } from './import.service.js';
import { readReturnFromFiles } from './read-return.js';
import { endProgress, reportProgress } from './import-progress.js';
import './import.tables.js';

declare module '../../platform/jobs/job-queue.js' {
  interface JobTypes {
    /** Reads, validates and imports one uploaded return (ssda903_imports.id). */
    'ssda903.import': { importId: string };
  }
}

export const importJobName = 'ssda903.import';
/** Skipped children kept on the row, for the page; the error report has every error. */
const skippedKept = 5000;

export interface ImportJobDeps {
  database: Database;
  auditKey: AuditKey;
  clock: () => Date;
  /**
   * Awaited after each progress report, before the import goes on. For tests: a test can hold an
   * import at a point of its choosing and look at the job page meanwhile.
   */
  progressed?: ((importId: string, progress: ImportProgress) => Promise<void>) | undefined;
}

/** The uploader as an Actor again, from what the database says now; null if they may no longer import. */
async function actorFor(db: Db, userId: string): Promise<Actor | null> {
  const user = await db
    .selectFrom('users')
    .innerJoin('organisations', 'organisations.id', 'users.organisation_id')
    .select([
      'users.id',
      'users.name',
      'users.email',
      'users.status',
      'organisations.id as organisation_id',
      'organisations.code',
      'organisations.name as organisation_name',
      'organisations.kind',
    ])
    .where('users.id', '=', userId)
    .executeTakeFirst();
  if (!user || user.status !== 'active') return null;
  const roles = (
    await db.selectFrom('user_roles').select('role').where('user_id', '=', userId).execute()
  ).map((row) => row.role as Role);
  const permissions = permissionsFor(roles);
  if (!permissions.has('ssda903:import')) return null;
  return {
    userId: user.id,
    sessionId: 'ssda903-import-job',
    name: user.name,
    email: user.email,
    organisation: {
      id: user.organisation_id,
      code: user.code,
      name: user.organisation_name,
      kind: user.kind,
    },
    roles,
    permissions,
    scope: await organisationScopeFor(db, user.organisation_id),
    secondFactorSkipped: false,
  };
}

/** Runs one import job to its end; never throws for a bad return (the row says what happened). */
export async function runImportJob(deps: ImportJobDeps, importId: string): Promise<void> {
  try {
    await runImport(deps, importId);
  } finally {
    endProgress(importId);
  }
}

async function runImport(deps: ImportJobDeps, importId: string): Promise<void> {
  const { db } = deps.database;
  const job = await db
    .selectFrom('ssda903_imports')
    .selectAll()
    .where('id', '=', importId)
    .executeTakeFirst();
  if (!job || !['queued', 'reading', 'validating', 'importing'].includes(job.status)) return;
  const set = (values: Record<string, unknown>) =>
    db
      .updateTable('ssda903_imports')
      .set({ ...values, version: sql`version + 1` } as never)
      .where('id', '=', importId)
      .execute();
  const actor = job.requested_by ? await actorFor(db, job.requested_by) : null;
  if (job.requested_by && !actor) {
    await set({
      status: 'failed',
      message: 'The person who uploaded this return may no longer import returns, so nothing was imported.',
      finished_at: deps.clock(),
    });
    return;
  }
  await set({ status: 'reading', children_done: 0 });
  const files = await db
    .selectFrom('ssda903_import_files')
    .select(['file_name', 'content'])
    .where('import_id', '=', importId)
    .orderBy('position')
    .execute();
  const current = await readReturnFromFiles(
    files.map((file) => ({ name: file.file_name, content: file.content })),
  );
  const auditContext: AuditContext = {
    actor,
    ip: null,
    userAgent: 'kindred ssda903 import job',
    correlationId: importId,
    now: deps.clock(),
  };
  // Progress goes to this process's registry at once (import-progress.ts), which the job page
  // reads first. On PGlite that is all: the import's transaction holds the only session until it
  // commits, and the web server is always this process. On PostgreSQL the page may be served by
  // another process (KINDRED_JOBS=off), so the row is written too, beside the transaction, at most
  // once a second. The row counts children only: a rule count or a record count is not put in it.
  let lastWrite = 0;
  let childrenTotal = 0;
  const onProgress = async (progress: ImportProgress) => {
    reportProgress(importId, progress, deps.clock());
    await deps.progressed?.(importId, progress);
    if (deps.database.kind !== 'postgres') return;
    if (progress.stage === 'importing') childrenTotal = progress.total;
    if (Date.now() - lastWrite < 1000) return;
    lastWrite = Date.now();
    await set({
      status: progress.stage === 'validating' ? 'validating' : 'importing',
      children_done:
        progress.stage === 'importing' ? progress.done : progress.stage === 'writing' ? childrenTotal : 0,
      children_total: childrenTotal,
    });
  };
  await set({ status: 'validating' });
  let result: ImportResult;
  try {
    result = await importReturn(
      { db, auditKey: deps.auditKey },
      actor ? { kind: 'actor', actor } : { kind: 'system' },
      auditContext,
      { councilId: job.council_id, current, validOnly: job.valid_only, importId, onProgress },
    );
  } catch (error) {
    await set({
      status: 'failed',
      message:
        'The import stopped because of a fault in Kindred, and nothing was imported. Try again, or tell your system administrator.',
      finished_at: deps.clock(),
    });
    throw error;
  }
  await db.transaction().execute(async (trx) => {
    await saveResult(trx, importId, result, deps.clock());
  });
}

export async function saveResult(
  trx: Transaction<DB>,
  importId: string,
  result: ImportResult,
  now: Date,
): Promise<void> {
  await trx.deleteFrom('ssda903_import_errors').where('import_id', '=', importId).execute();
  const rows = result.errors.map((error, position) => ({
    import_id: importId,
    position,
    code: error.code.slice(0, 20),
    table_name: error.table,
    row_number: error.row,
    child: error.child.slice(0, 100) || null,
    fields: [...error.fields],
    message: error.message.slice(0, 1000),
  }));
  for (let start = 0; start < rows.length; start += 5000) {
    await insertJsonRows(trx, 'ssda903_import_errors', rows.slice(start, start + 5000));
  }
  const status =
    result.refusal === 'unreadable' ? 'refused' : result.refusal === 'errors' ? 'needs-choice' : 'imported';
  await trx
    .updateTable('ssda903_imports')
    .set((eb) => ({
      status,
      collection_year: result.collectionYear,
      children_total: result.childrenTotal,
      children_done: result.childrenTotal,
      children_created: result.created.length,
      children_updated: result.updated.length,
      children_unchanged: result.unchanged,
      children_skipped: result.skipped.length,
      children_not_adoption: result.notOnAdoptionJourney,
      facts_added: result.factsAdded,
      error_count: result.errors.length,
      read_problems: JSON.stringify(result.problems),
      skipped: JSON.stringify(result.skipped.slice(0, skippedKept)),
      message: null,
      finished_at: status === 'needs-choice' ? null : now,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', importId)
    .execute();
}
