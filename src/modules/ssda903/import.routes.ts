// SSDA903 import pages (issue 9 §1): the list and upload form, the job page, the choice to import
// only the valid children, and the error report. Everything needs 'ssda903:import'; an import is
// reached through its council's scope, and any other is "not found" (security.md AC-2).
//
// The upload is read by this module's own multipart parser, registered only for these routes:
// the app-wide one keeps every file in memory whatever its size, while this one refuses a request
// whose declared length is over the limit before reading it (draining it unread, so memory stays
// bounded and the person is told why), and otherwise keeps the file names that messages cite.
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { stringify } from 'csv-stringify/sync';
import { sql } from 'kysely';
import type { ModuleContext } from '../../platform/app.js';
import type { Actor } from '../../platform/access/actor.js';
import { notFound } from '../../platform/http/errors.js';
import { formatDateTime } from '../../platform/views/render.js';
import { tableNames } from './return.js';
import { importJobName, runImportJob } from './import.jobs.js';
import { progressOf, type LiveProgress } from './import-progress.js';
import type { ImportStage } from './import.service.js';
import './import.tables.js';

/** Largest upload accepted, all files together. A large council's whole return is a few MB. */
export const maxUploadBytes = 50 * 1024 * 1024;
const maxFiles = 20;
const view = (name: string) => `ssda903/views/${name}.njk`;
const access = { access: { permission: 'ssda903:import' as const } };
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;

export const importPaths = {
  list: '/imports/ssda903',
  job: (id: string) => `/imports/ssda903/${id}`,
  validOnly: (id: string) => `/imports/ssda903/${id}/valid-only`,
  errors: (id: string) => `/imports/ssda903/${id}/errors.csv`,
};

type Upload =
  | { refused: 'too-large'; bytes: number }
  | { refused: 'length-required' }
  | { refused?: undefined; fields: Record<string, string>; files: Array<{ name: string; content: Buffer }> };

/** Councils whose returns the actor imports: local authorities in scope. */
async function councilsFor(context: ModuleContext, actor: Actor) {
  return context.db
    .selectFrom('organisations')
    .select(['id', 'name', 'code', 'la_code'])
    .where('kind', '=', 'local_authority')
    .where('active', '=', true)
    .where('id', 'in', [...actor.scope.organisationIds, '00000000-0000-0000-0000-000000000000'])
    .orderBy('name')
    .execute();
}

async function importFor(context: ModuleContext, actor: Actor, id: string) {
  if (!uuid.test(id)) return undefined;
  return context.db
    .selectFrom('ssda903_imports')
    .innerJoin('organisations', 'organisations.id', 'ssda903_imports.council_id')
    .leftJoin('users', 'users.id', 'ssda903_imports.requested_by')
    .selectAll('ssda903_imports')
    .select(['organisations.name as council_name', 'users.name as requested_by_name'])
    .where('ssda903_imports.id', '=', id)
    .where('ssda903_imports.council_id', 'in', [
      ...actor.scope.organisationIds,
      '00000000-0000-0000-0000-000000000000',
    ])
    .executeTakeFirst();
}

const statusText: Record<string, string> = {
  queued: 'Waiting to start',
  reading: 'Reading the files',
  validating: 'Checking the return',
  importing: 'Importing',
  'needs-choice': 'The return has errors: nothing imported',
  imported: 'Imported',
  refused: 'The files could not be read: nothing imported',
  failed: 'Failed: nothing imported',
};
const running = new Set(['queued', 'reading', 'validating', 'importing']);
const liveStatusText: Record<ImportStage, string> = {
  validating: 'Checking the return',
  importing: 'Importing',
  writing: 'Saving the children',
};
const count = (n: number) => n.toLocaleString('en-GB');
const percentOf = (done: number, total: number) =>
  total > 0 ? Math.min(100, Math.max(0, Math.round((done / total) * 100))) : 0;

/** The running import's figures as the page says them: "Importing 12,000 of 80,000 children". */
function progressShown(live: LiveProgress): { text: string; percent: number } | null {
  if (live.total <= 0) return null;
  const of = `${count(live.done)} of ${count(live.total)}`;
  const text =
    live.stage === 'validating'
      ? `Checked ${of} validation rules`
      : live.stage === 'importing'
        ? `Importing ${of} children`
        : `Saved ${of} records`;
  return { text, percent: percentOf(live.done, live.total) };
}

/** The row's figures, written by a worker on PostgreSQL (possibly another process). */
function rowProgressShown(done: number, total: number): { text: string; percent: number } | null {
  if (total <= 0) return null;
  return { text: `Importing ${count(done)} of ${count(total)} children`, percent: percentOf(done, total) };
}

export async function registerImportRoutes(app: FastifyInstance, context: ModuleContext): Promise<void> {
  context.navigation.push({
    text: 'Imports',
    href: importPaths.list,
    permission: 'ssda903:import',
    order: 80,
  });
  const jobDeps = { database: context.database, auditKey: context.auditKey, clock: context.clock };
  await context.jobs.work(importJobName, (job) => runImportJob(jobDeps, job.data.importId), {
    // A retry after a crash is safe (the import is one transaction and idempotent); a bad
    // return is not a failure to retry, it is a result the job records.
    retryLimit: 2,
    expireInSeconds: 1800,
  });

  const auditDenied = (request: FastifyRequest, id: string, action: string) =>
    context.audit(request, {
      action,
      outcome: 'denied',
      subjectType: 'ssda903_import',
      subjectId: uuid.test(id) ? id : null,
      reason: 'not an import of a council in your scope',
    });

  const renderList = async (
    request: FastifyRequest,
    reply: FastifyReply,
    status = 200,
    errors: Array<{ field: string; message: string }> = [],
  ) => {
    const actor = request.actor!;
    const councils = await councilsFor(context, actor);
    const imports = await context.db
      .selectFrom('ssda903_imports')
      .innerJoin('organisations', 'organisations.id', 'ssda903_imports.council_id')
      .select([
        'ssda903_imports.id',
        'ssda903_imports.status',
        'ssda903_imports.requested_at',
        'ssda903_imports.collection_year',
        'ssda903_imports.children_created',
        'ssda903_imports.children_updated',
        'ssda903_imports.error_count',
        'organisations.name as council_name',
      ])
      .where('ssda903_imports.council_id', 'in', [
        ...actor.scope.organisationIds,
        '00000000-0000-0000-0000-000000000000',
      ])
      .orderBy('ssda903_imports.requested_at', 'desc')
      .limit(50)
      .execute();
    const fieldErrors = Object.fromEntries(errors.map((e) => [e.field, { text: e.message }]));
    return reply.code(status).view(view('imports'), {
      pageTitle: 'SSDA903 imports',
      councilItems: councils.map((council) => ({
        value: council.id,
        text: `${council.name} (${council.la_code ?? council.code})`,
      })),
      singleCouncil: councils.length === 1 ? councils[0] : undefined,
      maxUpload: mb(maxUploadBytes),
      errorList: errors.map((e) => ({ text: e.message, href: `#${e.field}` })),
      fieldErrors,
      rows: imports.map((row) => ({
        href: importPaths.job(row.id),
        when: formatDateTime(row.requested_at),
        council: row.council_name,
        year: row.collection_year,
        status: statusText[row.status] ?? row.status,
        summary:
          row.status === 'imported'
            ? `${row.children_created} created, ${row.children_updated} changed`
            : row.error_count
              ? `${row.error_count} errors`
              : '',
      })),
    });
  };

  app.get(importPaths.list, { config: access }, async (request, reply) => renderList(request, reply));

  await app.register(async (scope) => {
    scope.removeContentTypeParser('multipart/form-data');
    scope.addContentTypeParser(
      'multipart/form-data',
      async (request: FastifyRequest, payload: NodeJS.ReadableStream): Promise<Upload> => {
        const declared = Number(request.headers['content-length']);
        const allowed = request.actor?.permissions.has('ssda903:import') ?? false;
        if (!allowed || !Number.isFinite(declared)) {
          (payload as Readable).resume();
          return { refused: 'length-required' };
        }
        if (declared > maxUploadBytes) {
          // Read and thrown away, never kept: the person gets the message, the server keeps its memory.
          (payload as Readable).resume();
          return { refused: 'too-large', bytes: declared };
        }
        const form = await new Request('http://kindred.invalid/', {
          method: 'POST',
          headers: { 'content-type': String(request.headers['content-type']) },
          body: Readable.toWeb(payload as Readable) as ReadableStream,
          duplex: 'half',
        } as RequestInit).formData();
        const fields: Record<string, string> = {};
        const files: Array<{ name: string; content: Buffer }> = [];
        for (const [name, value] of form as unknown as Iterable<
          [string, string | (Blob & { name: string })]
        >) {
          if (typeof value === 'string') fields[name] = value.slice(0, 4096);
          else if (value.size > 0 || value.name)
            files.push({
              name: value.name || `file ${files.length + 1}`,
              content: Buffer.from(await value.arrayBuffer()),
            });
        }
        return { fields, files };
      },
    );

    scope.post(importPaths.list, { config: { ...access, csrfExempt: true } }, async (request, reply) => {
      const upload = request.body as Upload | undefined;
      if (!upload || upload.refused === 'length-required') {
        return renderList(request, reply, 411, [
          { field: 'files', message: 'Choose the return’s files with the form on this page' },
        ]);
      }
      if (upload.refused === 'too-large') {
        await context.audit(request, {
          action: 'ssda903.upload',
          outcome: 'failed',
          subjectType: 'ssda903_import',
          reason: `upload of ${upload.bytes} bytes refused`,
        });
        return renderList(request, reply, 413, [
          {
            field: 'files',
            message: `The files you chose are ${mb(upload.bytes)} in all: the most Kindred accepts is ${mb(maxUploadBytes)}. A council’s SSDA903 return is usually a few MB — check you chose the return’s files and nothing else`,
          },
        ]);
      }
      // This route reads its own body, so the form's origin and token are checked here, by the
      // same check app.ts applies to every other route before its handler.
      (request as { body: unknown }).body = { _csrf: upload.fields._csrf };
      await app.verifyFormOrigin(request, reply);
      const actor = request.actor!;
      const councils = await councilsFor(context, actor);
      const councilId = upload.fields.councilId ?? (councils.length === 1 ? councils[0]!.id : '');
      const council = councils.find((candidate) => candidate.id === councilId);
      const errors: Array<{ field: string; message: string }> = [];
      if (!council) errors.push({ field: 'councilId', message: 'Select the council whose return this is' });
      const files = upload.files.filter((file) => file.content.length > 0);
      if (files.length === 0)
        errors.push({ field: 'files', message: 'Choose the return’s CSV files, or its XML file' });
      if (files.length > maxFiles)
        errors.push({
          field: 'files',
          message: `Choose at most ${maxFiles} files: one for each table of the return`,
        });
      if (errors.length) return renderList(request, reply, 400, errors);
      const id = await context.db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto('ssda903_imports')
          .values({
            council_id: council!.id,
            requested_by: actor.userId,
            requested_at: context.clock(),
            origin: 'upload',
            collection_year: '0000-00',
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        for (const [position, file] of files.entries()) {
          await trx
            .insertInto('ssda903_import_files')
            .values({
              import_id: row.id,
              position,
              file_name:
                file.name.replace(/[^\p{L}\p{N} ._()-]/gu, '_').slice(0, 255) || `file ${position + 1}`,
              size_bytes: file.content.length,
              content: file.content,
            })
            .execute();
        }
        await context.audit(
          request,
          {
            action: 'ssda903.upload',
            outcome: 'success',
            subjectType: 'ssda903_import',
            subjectId: row.id,
            subjectOrganisationId: council!.id,
            reason: `${files.length} files`,
          },
          trx,
        );
        return row.id;
      });
      await context.jobs.send(importJobName, { importId: id });
      return reply.redirect(importPaths.job(id), 303);
    });
  });

  app.get(`${importPaths.list}/:id`, { config: access }, async (request, reply) => {
    const id = String((request.params as { id?: unknown }).id ?? '');
    const job = await importFor(context, request.actor!, id);
    if (!job) {
      await auditDenied(request, id, 'ssda903.import.view');
      throw notFound('import');
    }
    const query = request.query as { refresh?: string } | undefined;
    const groupsRows = await context.db
      .selectFrom('ssda903_import_errors')
      .select(['table_name', 'code', 'message', (eb) => eb.fn.countAll<number>().as('count')])
      .where('import_id', '=', job.id)
      .groupBy(['table_name', 'code', 'message'])
      .execute();
    const groups = tableNames
      .map((table) => ({
        table,
        rules: groupsRows
          .filter((row) => row.table_name === table)
          .map((row) => ({ code: row.code, message: row.message, count: Number(row.count) }))
          .sort((x, y) => y.count - x.count || x.code.localeCompare(y.code)),
      }))
      .filter((group) => group.rules.length > 0);
    const isRunning = running.has(job.status);
    // The result names the skipped children by their CHILD ids, so showing it is audited; the
    // status checks made every few seconds while the import runs show no child and are not.
    if (!isRunning) {
      await context.audit(request, {
        action: 'ssda903.import.view',
        outcome: 'success',
        subjectType: 'ssda903_import',
        subjectId: job.id,
        subjectOrganisationId: job.council_id,
        reason: `${job.skipped.length} skipped children listed`,
      });
    }
    // Only now, the import having been found in the person's scope, the live figures of a job
    // running in this process are laid over the row's (import-progress.ts: on PGlite the row
    // cannot be written until the import's transaction commits). A finished row wins.
    const live = isRunning ? progressOf(job.id) : undefined;
    const shown = live ? progressShown(live) : rowProgressShown(job.children_done, job.children_total);
    return reply.view(view('import'), {
      pageTitle: `SSDA903 import: ${job.council_name}`,
      job: {
        ...job,
        statusText: live ? liveStatusText[live.stage] : (statusText[job.status] ?? job.status),
        requestedAt: formatDateTime(job.requested_at),
        finishedAt: job.finished_at ? formatDateTime(job.finished_at) : null,
      },
      isRunning,
      autoRefresh: isRunning && query?.refresh !== 'off',
      refreshHref: importPaths.job(job.id),
      stopRefreshHref: `${importPaths.job(job.id)}?refresh=off`,
      percent: shown?.percent ?? 0,
      progressText: shown?.text ?? null,
      groups,
      problems: job.read_problems,
      skipped: job.skipped.slice(0, 200),
      validOnlyAction: importPaths.validOnly(job.id),
      errorsHref: importPaths.errors(job.id),
      listHref: importPaths.list,
    });
  });

  app.post(`${importPaths.list}/:id/valid-only`, { config: access }, async (request, reply) => {
    const id = String((request.params as { id?: unknown }).id ?? '');
    const job = await importFor(context, request.actor!, id);
    if (!job) {
      await auditDenied(request, id, 'ssda903.import.valid-only');
      throw notFound('import');
    }
    if (job.status === 'needs-choice') {
      await context.db.transaction().execute(async (trx) => {
        await trx
          .updateTable('ssda903_imports')
          .set({ valid_only: true, status: 'queued', version: sql`version + 1` } as never)
          .where('id', '=', job.id)
          .where('status', '=', 'needs-choice')
          .execute();
        await context.audit(
          request,
          {
            action: 'ssda903.import.valid-only',
            outcome: 'success',
            subjectType: 'ssda903_import',
            subjectId: job.id,
            subjectOrganisationId: job.council_id,
          },
          trx,
        );
      });
      await context.jobs.send(importJobName, { importId: job.id });
    }
    return reply.redirect(importPaths.job(job.id), 303);
  });

  app.get(`${importPaths.list}/:id/errors.csv`, { config: access }, async (request, reply) => {
    const id = String((request.params as { id?: unknown }).id ?? '');
    const job = await importFor(context, request.actor!, id);
    if (!job) {
      await auditDenied(request, id, 'ssda903.import.errors');
      throw notFound('import');
    }
    const rows = await context.db
      .selectFrom('ssda903_import_errors')
      .select(['code', 'table_name', 'row_number', 'child', 'fields', 'message'])
      .where('import_id', '=', job.id)
      .orderBy('position')
      .execute();
    // The report names children by their council's CHILD id: an export of personal data, audited
    // as one event (issue 9 brief: child-level exports are audited as one event).
    await context.audit(request, {
      action: 'ssda903.import.errors.download',
      outcome: 'success',
      subjectType: 'ssda903_import',
      subjectId: job.id,
      subjectOrganisationId: job.council_id,
      reason: `${rows.length} errors`,
    });
    // A leading = + - @ would make a spreadsheet run the cell as a formula (security.md P26).
    const safe = (value: string) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);
    const csv = stringify([
      ['code', 'table', 'row', 'child', 'fields', 'message'],
      ...rows.map((row) => [
        safe(row.code),
        row.table_name,
        String(row.row_number),
        safe(row.child ?? ''),
        row.fields.join(' '),
        safe(row.message),
      ]),
    ]);
    return reply
      .type('text/csv; charset=utf-8')
      .header('x-content-type-options', 'nosniff')
      .header('content-disposition', `attachment; filename="ssda903-errors-${job.collection_year}.csv"`)
      .send(`\uFEFF${csv}`);
  });
}
