// Importing a council's SSDA903 return (issue 9 §1). The rules:
// - the importer holds 'ssda903:import' and the council is in their scope: a council's staff
//   import their own council, the RAA's performance officers a member council (design.md §3);
//   `kindred import ssda903` acts as the installation, audited as such;
// - the return is validated first (validate.ts); a return with errors imports nothing unless the
//   importer chose "only the valid children", and then every child with an error is skipped and
//   listed with the reasons; a return whose files cannot be read imports nothing at all;
// - children are linked to Kindred's by responsible council + CHILD (= council_child_id);
//   a fact already recorded with the same kind and date is not recorded again, so importing the
//   same return twice changes nothing (no new rows, no per-child audit entries);
// - everything is one transaction: all of it is imported, or none of it;
// - facts are appended as the children service appends them, and the board's derived columns are
//   computed by the same function (derived-columns.ts); the scheduled work a journey implies is
//   raised as for any child that arrives with its journey written (raiseScheduledWork);
// - each child created or changed gets its own audit entry (security.md LG-1), written in batches.
import { randomUUID } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { Actor } from '../../platform/access/actor.js';
import type { AuditContext, AuditEntry, AuditKey } from '../../platform/audit/audit.js';
import type { Db } from '../../platform/db/client.js';
import type { DB } from '../../platform/db/schema.js';
import { AppError } from '../../platform/http/errors.js';
import { todayInLondon } from '../../platform/time/index.js';
import { siblingLinksAround } from '../children/children.repository.js';
import { toMilestoneFact } from '../children/children.service.js';
import { factsInForce } from '../children/journey.js';
import { taskChangesFor, type ResponsibleSide } from '../children/service-schedule.js';
import type { Needs } from '../children/children.tables.js';
import { derivedColumns } from '../children/derived-columns.js';
import type { MilestoneFact } from '../children/journey.js';
import { insertJsonRows } from '../../platform/db/bulk-insert.js';
import { writeAuditEntries } from '../../platform/audit/audit.js';
import {
  collectionYearName,
  councilChildIdPattern,
  factKey,
  factsFromJourney,
  importedChildNames,
  importSource,
  onAdoptionJourney,
  refuseImportedFacts,
  type ImportFact,
} from './import.facts.js';
import { journeysFromReturn, type ReturnChildJourney } from './journeys.js';
import { hasFatalProblem } from './read-return.js';
import type { ReadProblem, Ssda903Return, ValidationError } from './return.js';
import { rules as allRules } from './rules/index.js';
import { collectionYearFor, errorsByChild, MISSING_COLUMN, sortErrors, validateReturn } from './validate.js';

export interface ImportDeps {
  db: Db;
  auditKey: AuditKey;
}

/** Who imports: a signed-in person (checked), or the installation itself (the command line). */
export type ImportAuthority = { kind: 'actor'; actor: Actor } | { kind: 'system' };

export type ImportStage = 'validating' | 'importing' | 'writing';

export interface ImportProgress {
  stage: ImportStage;
  done: number;
  total: number;
}

export interface ImportOptions {
  councilId: string;
  current: Ssda903Return;
  previous?: Ssda903Return | undefined;
  collectionStart?: string | undefined;
  collectionEnd?: string | undefined;
  /** Import the children without errors and skip the rest (the person's explicit choice). */
  validOnly: boolean;
  /** The import job this run belongs to, named in the audit entries. */
  importId?: string | undefined;
  onProgress?: ((progress: ImportProgress) => void | Promise<void>) | undefined;
}

export interface SkippedChild {
  child: string;
  reasons: string[];
}

export interface ImportResult {
  status: 'imported' | 'refused';
  /** Why nothing was imported: the files could not be read, or the return has errors. */
  refusal: 'unreadable' | 'errors' | null;
  collectionYear: string;
  problems: readonly ReadProblem[];
  /** Validation errors, plus 'IMPORT' errors for what the return says that Kindred cannot record. */
  errors: ImportError[];
  /** CHILD of every child in the return (Header, Episodes, AD1 or PlacedAdoption). */
  childrenTotal: number;
  created: string[];
  updated: string[];
  unchanged: number;
  /** Children with no adoption milestone, not brought into Kindred (import.facts.ts). */
  notOnAdoptionJourney: number;
  skipped: SkippedChild[];
  factsAdded: number;
}

/** A finding with the CHILD of its row ('' for a table-level finding), for the error report. */
export interface ImportError extends ValidationError {
  child: string;
}

/** Kindred's own code for what the return says that Kindred cannot record (not a DfE rule). */
export const IMPORT_ERROR = 'IMPORT';

interface ExistingChild {
  id: string;
  council_child_id: string;
  date_of_birth: string;
  ethnicity: string;
  needs: Needs;
}

interface Plan {
  journey: ReturnChildJourney;
  existing: ExistingChild | undefined;
  facts: ImportFact[];
}

const batch = 2000;

/** Checks the authority for this council; anything else is "not found" (AC-2: existence not leaked). */
async function councilFor(db: Db, authority: ImportAuthority, councilId: string) {
  const council = await db
    .selectFrom('organisations')
    .select(['id', 'name', 'code', 'kind'])
    .where('id', '=', councilId)
    .where('kind', '=', 'local_authority')
    .where('active', '=', true)
    .executeTakeFirst();
  if (!council) return undefined;
  if (authority.kind === 'system') return council;
  const { actor } = authority;
  if (!actor.permissions.has('ssda903:import')) return undefined;
  return actor.scope.organisationIds.includes(council.id) ? council : undefined;
}

export async function importReturn(
  deps: ImportDeps,
  authority: ImportAuthority,
  auditContext: AuditContext,
  options: ImportOptions,
): Promise<ImportResult> {
  const council = await councilFor(deps.db, authority, options.councilId);
  if (!council) {
    await writeAuditEntriesOutside(deps, auditContext, [
      {
        action: 'ssda903.import',
        outcome: 'denied',
        subjectType: 'organisation',
        subjectId: /^[0-9a-f-]{36}$/i.test(options.councilId) ? options.councilId : null,
        reason: 'council outside your scope or no ssda903:import',
      },
    ]);
    throw new AppError('not-found', 'There is no such council among the councils you import for.');
  }
  const today = todayInLondon(auditContext.now);
  const { collectionEnd } = collectionYearFor(options.current, {
    collectionStart: options.collectionStart,
    collectionEnd: options.collectionEnd,
    today: auditContext.now,
  });
  const collectionYear = collectionYearName(collectionEnd);
  const source = importSource(collectionYear);
  const base = {
    collectionYear,
    problems: options.current.problems,
    created: [] as string[],
    updated: [] as string[],
    unchanged: 0,
    notOnAdoptionJourney: 0,
    factsAdded: 0,
  };
  const summary = async (result: ImportResult, trx?: Transaction<DB>) => {
    const entry: AuditEntry = {
      action: 'ssda903.import',
      outcome: result.status === 'imported' ? 'success' : 'failed',
      subjectType: 'organisation',
      subjectId: council.id,
      subjectOrganisationId: council.id,
      reason: `${source}${options.importId ? ` (import ${options.importId})` : ''}: ${
        result.status === 'imported'
          ? `${result.created.length} children created, ${result.updated.length} changed, ${result.skipped.length} skipped, ${result.factsAdded} facts`
          : `nothing imported (${result.refusal}: ${result.errors.length} errors)`
      }`,
    };
    if (trx) await writeAuditEntries(trx, deps.auditKey, auditContext, [entry]);
    else await writeAuditEntriesOutside(deps, auditContext, [entry]);
  };

  if (hasFatalProblem(options.current)) {
    const result: ImportResult = {
      ...base,
      status: 'refused',
      refusal: 'unreadable',
      errors: [],
      childrenTotal: 0,
      skipped: [],
    };
    await summary(result);
    return result;
  }

  const validation = await validateWithProgress(options, auditContext.now);
  const journeys = journeysFromReturn(options.current);
  const byChild = errorsByChild(options.current, validation);
  const rowOf = headerRows(options.current);

  return deps.db
    .transaction()
    .execute(async (trx) => {
      // One import per council at a time: two at once would both create the same new children.
      await sql`select pg_advisory_xact_lock(7231016, hashtext(${council.id}))`.execute(trx);
      const existing = await existingChildren(trx, council.id);
      const existingFacts = await factsOfChildren(
        trx,
        council.id,
        journeys.map((journey) => existing.get(journey.childId)?.id).filter((id): id is string => !!id),
      );

      const importErrors: ValidationError[] = [];
      const skipped: SkippedChild[] = [];
      const plans: Plan[] = [];
      let notOnAdoptionJourney = 0;
      for (const [index, journey] of journeys.entries()) {
        if (index % 5000 === 0)
          await options.onProgress?.({ stage: 'importing', done: index, total: journeys.length });
        const child = journey.childId;
        const own = (byChild.get(child) ?? []).filter((error) => error.row >= 0);
        const problem = (message: string) => {
          importErrors.push({
            code: IMPORT_ERROR,
            table: 'Header',
            row: rowOf.get(child) ?? -1,
            fields: ['CHILD'],
            message: `Child ${child}: ${message}`,
          });
          skipped.push({ child, reasons: [message] });
        };
        if (own.length > 0) {
          skipped.push({
            child,
            reasons: [...new Set(own.map((error) => `${error.code}: ${error.message}`))],
          });
          continue;
        }
        if (!councilChildIdPattern.test(child)) {
          problem('the CHILD id must be 1 to 10 letters and digits to be kept in Kindred');
          continue;
        }
        const found = existing.get(child);
        const facts = factsFromJourney(journey);
        if (!found && !onAdoptionJourney(facts)) {
          notOnAdoptionJourney += 1;
          continue;
        }
        const had = found ? (existingFacts.get(found.id) ?? []) : [];
        const keys = new Set(had.map((fact) => factKey(fact)));
        const added = facts.filter((fact) => !keys.has(factKey(fact)));
        if (!found) {
          const missing = newChildProblem(journey);
          if (missing) {
            problem(missing);
            continue;
          }
        }
        const refusal = refuseImportedFacts(had, added, {
          dateOfBirth: found?.date_of_birth ?? journey.dateOfBirth!,
          today,
        });
        if (refusal) {
          problem(refusal);
          continue;
        }
        plans.push({ journey, existing: found, facts: added });
      }
      // Table-level findings (a missing column) belong to no child: reported, and read as blank.
      const errors = sortErrors([...validation, ...importErrors]).map((error) => ({
        ...error,
        child:
          error.row >= 0 ? (options.current.tables[error.table]?.rows[error.row]?.CHILD ?? '').trim() : '',
      }));
      const refusedForErrors = errors.length > 0 && !options.validOnly;
      const result: ImportResult = {
        ...base,
        status: refusedForErrors ? 'refused' : 'imported',
        refusal: refusedForErrors ? 'errors' : null,
        errors,
        childrenTotal: journeys.length,
        notOnAdoptionJourney,
        skipped,
      };
      if (refusedForErrors) {
        // Nothing is written: the summary is audited after this transaction is rolled back.
        throw new Refused(result);
      }

      const now = auditContext.now;
      const recordedBy = authority.kind === 'actor' ? authority.actor.userId : null;
      const creations = plans.filter((plan) => !plan.existing);
      const changes = plans.filter((plan) => plan.existing && plan.facts.length > 0);
      result.unchanged = plans.length - creations.length - changes.length;

      const childRows: Array<Record<string, unknown>> = [];
      const factRows: Array<Record<string, unknown>> = [];
      const audits: AuditEntry[] = [];
      const factRow = (childId: string, fact: ImportFact, id = randomUUID()) => ({
        id,
        child_id: childId,
        kind: fact.kind,
        effective_date: fact.effectiveDate,
        source,
        recorded_by: recordedBy,
        recorded_at: now,
        plan_change_reason: fact.planChangeReason,
      });
      const asMilestone = (row: ReturnType<typeof factRow>): MilestoneFact => ({
        id: row.id,
        kind: row.kind,
        effectiveDate: row.effective_date,
        source,
        recordedBy: recordedBy ?? '',
        recordedAt: now.toISOString(),
        planChangeReason: row.plan_change_reason,
      });
      for (const plan of creations) {
        const { journey } = plan;
        const id = randomUUID();
        const rows = plan.facts.map((fact) => factRow(id, fact));
        factRows.push(...rows);
        const ethnicity = journey.ethnicity || 'NOBT';
        const latestEpisode = journey.episodes.at(-1);
        childRows.push({
          id,
          responsible_council_id: council.id,
          council_child_id: journey.childId,
          ...namesColumns(journey.childId),
          date_of_birth: journey.dateOfBirth,
          sex: journey.sex,
          ethnicity,
          legal_status:
            latestEpisode && /^[A-Z][0-9]$/.test(latestEpisode.legalStatus)
              ? latestEpisode.legalStatus
              : null,
          needs: {},
          ...derivedColumns({ id, ethnicity, needs: {} }, rows.map(asMilestone), [], today),
          created_by: recordedBy,
          created_at: now,
          updated_at: now,
        });
        audits.push({
          action: 'child.create',
          outcome: 'success',
          subjectType: 'child',
          subjectId: id,
          subjectOrganisationId: council.id,
          reason: `${source}: ${rows.length} journey facts`,
        });
        result.created.push(journey.childId);
        result.factsAdded += rows.length;
      }

      // Existing children: their facts in force plus the new ones, and their sibling links, give
      // the derived columns exactly as refreshDerived would compute them.
      const changedIds = changes.map((plan) => plan.existing!.id);
      const links = changedIds.length
        ? (await siblingLinksAroundInBatches(trx, changedIds)).map((link) => ({
            childAId: link.child_a_id,
            childBId: link.child_b_id,
            plan: link.placement_plan,
          }))
        : [];
      const updates: Array<Record<string, unknown>> = [];
      for (const plan of changes) {
        const child = plan.existing!;
        const rows = plan.facts.map((fact) => factRow(child.id, fact));
        factRows.push(...rows);
        const facts = [...(existingFacts.get(child.id) ?? []), ...rows.map(asMilestone)];
        updates.push({ id: child.id, ...derivedColumns(child, facts, links, today) });
        audits.push({
          action: 'child.journey.record',
          outcome: 'success',
          subjectType: 'child',
          subjectId: child.id,
          subjectOrganisationId: council.id,
          reason: `${source}: ${rows.map((row) => `${row.kind} ${row.effective_date}`).join(', ')}`.slice(
            0,
            500,
          ),
        });
        result.updated.push(plan.journey.childId);
        result.factsAdded += rows.length;
      }

      const totalWrites = childRows.length + factRows.length + updates.length;
      let written = 0;
      const progress = async (n: number) => {
        written += n;
        await options.onProgress?.({ stage: 'writing', done: written, total: totalWrites });
      };
      for (let start = 0; start < childRows.length; start += batch) {
        const slice = childRows.slice(start, start + batch);
        await insertJsonRows(trx, 'children', slice);
        await progress(slice.length);
      }
      for (let start = 0; start < factRows.length; start += batch * 2) {
        const slice = factRows.slice(start, start + batch * 2);
        await insertJsonRows(trx, 'child_journey_facts', slice);
        await progress(slice.length);
      }
      for (let start = 0; start < updates.length; start += batch) {
        const slice = updates.slice(start, start + batch);
        await updateDerived(trx, slice, now);
        await progress(slice.length);
      }
      const factsByChild = new Map<string, MilestoneFact[]>();
      for (const row of factRows) {
        const list = factsByChild.get(row.child_id as string) ?? [];
        list.push(asMilestone(row as ReturnType<typeof factRow>));
        factsByChild.set(row.child_id as string, list);
      }
      for (const plan of changes) {
        const id = plan.existing!.id;
        factsByChild.set(id, [...(existingFacts.get(id) ?? []), ...(factsByChild.get(id) ?? [])]);
      }
      await raiseImportedWork(trx, council.id, factsByChild, now);
      await writeAuditEntries(trx, deps.auditKey, auditContext, audits);
      await summary(result, trx);
      return result;
    })
    .catch(async (error: unknown) => {
      if (!(error instanceof Refused)) throw error;
      await summary(error.result);
      return error.result;
    });
}

/** Rules checked between two progress reports while validating. */
const rulesPerStep = 10;

/**
 * validateReturn, with progress: when someone is watching (the import job), the rules are checked
 * a few at a time and the event loop is let go between steps, so the job page can be served and
 * show how far the check has got. Validation is outside the import's transaction, so on PGlite the
 * database session is free meanwhile. The errors are exactly validateReturn's: the table-level
 * findings once, then each step's rule findings, sorted as one list.
 */
async function validateWithProgress(options: ImportOptions, today: Date): Promise<ValidationError[]> {
  const validateOptions = {
    previous: options.previous,
    collectionStart: options.collectionStart,
    collectionEnd: options.collectionEnd,
    today,
  };
  if (!options.onProgress) return validateReturn(options.current, validateOptions);
  const total = allRules.length;
  await options.onProgress({ stage: 'validating', done: 0, total });
  await nextTurn();
  const errors = validateReturn(options.current, { ...validateOptions, rules: [] });
  for (let start = 0; start < total; start += rulesPerStep) {
    const step = allRules.slice(start, start + rulesPerStep);
    for (const error of validateReturn(options.current, { ...validateOptions, rules: step })) {
      if (error.code !== MISSING_COLUMN) errors.push(error);
    }
    await options.onProgress({ stage: 'validating', done: Math.min(total, start + step.length), total });
    await nextTurn();
  }
  return sortErrors(errors);
}

/** Lets waiting I/O (a request for the job page) run before the next step of CPU-bound work. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

class Refused extends Error {
  constructor(readonly result: ImportResult) {
    super('refused');
  }
}

async function writeAuditEntriesOutside(deps: ImportDeps, context: AuditContext, entries: AuditEntry[]) {
  await deps.db.transaction().execute((trx) => writeAuditEntries(trx, deps.auditKey, context, entries));
}

function namesColumns(childId: string) {
  const names = importedChildNames(childId);
  return { first_name: names.firstName, last_name: names.lastName };
}

/** What a new child's record needs that the return must give (migration 0007's constraints). */
function newChildProblem(journey: ReturnChildJourney): string | null {
  if (!journey.dateOfBirth) return 'the return has no date of birth for this child (Header DOB)';
  if (journey.sex !== '1' && journey.sex !== '2')
    return 'the return has no sex of 1 or 2 for this child (Header SEX)';
  if (journey.ethnicity && !/^[A-Z]{4}$/.test(journey.ethnicity))
    return `the ethnicity code ${journey.ethnicity.slice(0, 10)} is not an SSDA903 ETHNIC code`;
  return null;
}

/** Each CHILD's Header row, for the row an import error reports. */
function headerRows(ret: Ssda903Return): Map<string, number> {
  const rows = new Map<string, number>();
  ret.tables.Header?.rows.forEach((row, index) => {
    const child = (row.CHILD ?? '').trim();
    if (!rows.has(child)) rows.set(child, index);
  });
  return rows;
}

async function existingChildren(
  trx: Transaction<DB>,
  councilId: string,
): Promise<{ get(child: string): ExistingChild | undefined }> {
  const rows = await trx
    .selectFrom('children')
    .select(['id', 'council_child_id', 'date_of_birth', 'ethnicity', 'needs'])
    .where('responsible_council_id', '=', councilId)
    .execute();
  const exact = new Map<string, ExistingChild>();
  for (const row of rows) exact.set(row.council_child_id, row);
  // A worker may have typed the id in another case ('a123' for 'A123'): link it all the same,
  // unless two records differ only by case.
  const folded = new Map<string, ExistingChild | null>();
  for (const row of rows) {
    const key = row.council_child_id.toUpperCase();
    folded.set(key, folded.has(key) ? null : row);
  }
  return { get: (child) => exact.get(child) ?? folded.get(child.toUpperCase()) ?? undefined };
}

async function factsOfChildren(
  trx: Transaction<DB>,
  councilId: string,
  childIds: readonly string[],
): Promise<Map<string, MilestoneFact[]>> {
  const facts = new Map<string, MilestoneFact[]>();
  if (childIds.length === 0) return facts;
  const wanted = new Set(childIds);
  // One pass over the council's facts rather than thousands of lookups.
  const rows = await trx
    .selectFrom('child_journey_facts')
    .innerJoin('children', 'children.id', 'child_journey_facts.child_id')
    .selectAll('child_journey_facts')
    .where('children.responsible_council_id', '=', councilId)
    .execute();
  for (const row of rows) {
    if (!wanted.has(row.child_id)) continue;
    const list = facts.get(row.child_id);
    const fact = toMilestoneFact(row);
    if (list) list.push(fact);
    else facts.set(row.child_id, [fact]);
  }
  return facts;
}

async function siblingLinksAroundInBatches(trx: Transaction<DB>, childIds: readonly string[]) {
  const found = [];
  for (let start = 0; start < childIds.length; start += batch) {
    found.push(...(await siblingLinksAround(trx, childIds.slice(start, start + batch))));
  }
  return [...new Map(found.map((link) => [link.id, link])).values()];
}

/** The derived columns of changed children, and their version moved on, in one statement. */
async function updateDerived(trx: Transaction<DB>, rows: ReadonlyArray<Record<string, unknown>>, now: Date) {
  const columns = Object.keys(rows[0]!).filter((column) => column !== 'id');
  await sql`update children as c set ${sql.join(
    columns.map((column) => sql`${sql.ref(column)} = v.${sql.ref(column)}`),
  )}, version = c.version + 1, updated_at = ${now}
    from jsonb_populate_recordset(null::children, ${JSON.stringify(rows)}::jsonb) as v
    where c.id = v.id`.execute(trx);
}

/**
 * The open work the service schedule would have raised had each child's facts been recorded one
 * by one in date order: raiseScheduledWork (children.service.ts) for many children at once, with
 * the council's owners looked up once. Children that already have scheduled tasks are left alone.
 */
async function raiseImportedWork(
  trx: Transaction<DB>,
  councilId: string,
  factsByChild: ReadonlyMap<string, MilestoneFact[]>,
  now: Date,
): Promise<void> {
  const ids = [...factsByChild.keys()];
  if (ids.length === 0) return;
  const council = await trx
    .selectFrom('organisations as council')
    .leftJoin('organisations as parent', 'parent.id', 'council.parent_id')
    .select(['council.id', 'council.raa_id', 'parent.id as parent_id', 'parent.kind as parent_kind'])
    .where('council.id', '=', councilId)
    .executeTakeFirstOrThrow();
  const owners: Record<ResponsibleSide, string> = {
    council: council.id,
    raa: (council.parent_kind === 'spoke' ? council.parent_id : council.raa_id) ?? council.id,
  };
  const withTasks = new Set<string>();
  const finders = new Map<string, string | null>();
  for (let start = 0; start < ids.length; start += batch) {
    const slice = ids.slice(start, start + batch);
    for (const row of await trx
      .selectFrom('tasks')
      .select('child_id')
      .distinct()
      .where('child_id', 'in', slice)
      .execute())
      if (row.child_id) withTasks.add(row.child_id);
    for (const row of await trx
      .selectFrom('children')
      .select(['id', 'family_finder_id'])
      .where('id', 'in', slice)
      .execute())
      finders.set(row.id, row.family_finder_id);
  }
  const tasks: Array<Record<string, unknown>> = [];
  for (const [childId, all] of factsByChild) {
    if (withTasks.has(childId)) continue;
    const facts = factsInForce(all).sort((a, b) => a.effectiveDate.localeCompare(b.effectiveDate));
    const open = new Map<
      string,
      { title: string; owner: ResponsibleSide; dueDate: string; factId: string }
    >();
    for (const fact of facts) {
      const change = taskChangesFor(fact.kind, fact.effectiveDate);
      for (const kind of change.complete) open.delete(kind);
      if (change.cancelAll) open.clear();
      for (const { rule, dueDate } of change.raise) {
        open.set(rule.kind, { title: rule.title, owner: rule.owner, dueDate, factId: fact.id });
      }
    }
    for (const [kind, task] of open) {
      tasks.push({
        id: randomUUID(),
        child_id: childId,
        kind,
        title: task.title,
        owner_organisation_id: owners[task.owner],
        owner_user_id: task.owner === 'raa' ? (finders.get(childId) ?? null) : null,
        due_date: task.dueDate,
        status: 'open',
        raised_by_fact_id: task.factId,
        created_at: now,
        version: 1,
      });
    }
  }
  for (let start = 0; start < tasks.length; start += batch) {
    await insertJsonRows(trx, 'tasks', tasks.slice(start, start + batch));
  }
}
