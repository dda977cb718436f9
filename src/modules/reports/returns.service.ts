// Reading the records behind the statutory returns (issue 9 §5) within the actor's scope, and
// recording each download. Children: those of the councils the actor reaches. Adopters: the
// RAA's households, for RAA-side staff only — councils never see the RAA's adopters (issue 5 §7).
// A download is personal data leaving Kindred, so it is audited as one event naming the export and
// one on each child's or household's record, and the export row lists every child or household in
// it (return_export_subjects), in the same transaction: if the audit cannot be written, nothing is
// downloaded.
import { sql } from 'kysely';
import type { Actor } from '../../platform/access/actor.js';
import {
  writeAudit,
  writeAuditEntries,
  type AuditContext,
  type AuditKey,
} from '../../platform/audit/audit.js';
import type { Db } from '../../platform/db/client.js';
import { withdrawalReasons, type WithdrawalReason } from '../adopters/pipeline.js';
import type { ApplicantDisability } from '../adopters/households.tables.js';
import type { ReturnKind } from './reports.tables.js';
import './reports.tables.js';
import {
  buildAdopterReturn,
  buildChildReturn,
  returnKindInfo,
  type AdopterReturnRecord,
  type BuiltReturn,
  type ChildReturnRecord,
  type ReturnQuarter,
} from './returns.js';

export interface ReturnsDeps {
  db: Db;
  auditKey: AuditKey;
}

/** The RAA whose adopters an actor may report on, or null for council and partner staff. */
export function adoptersRaaOf(actor: Actor): string | null {
  return ['raa', 'spoke', 'team'].includes(actor.organisation.kind) ? actor.scope.raaId : null;
}

const isoOf = (value: unknown): string | null => {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value).slice(0, 10);
};

interface ChildRow {
  id: string;
  council_child_id: string;
  council_name: string;
  la_code: string | null;
  council_raa_id: string | null;
  date_of_birth: unknown;
  sex: string;
  ethnicity: string;
  disability: string | null;
  entered_care_date: unknown;
  should_be_placed_date: unknown;
  placement_order_date: unknown;
  match_decision_date: unknown;
  placed_date: unknown;
  adoption_order_date: unknown;
  early_permanence_date: unknown;
  plan_changed_date: unknown;
  plan_change_reason: string | null;
  family_reference: string | null;
  family_raa_id: string | null;
}

/** Every child with an adoption decision in the councils the actor reaches, as the returns need them. */
export async function childReturnRecords(db: Db, actor: Actor): Promise<ChildReturnRecord[]> {
  const councilIds = [...actor.scope.organisationIds];
  if (councilIds.length === 0) return [];
  const { rows } = await sql<ChildRow>`
    select c.id, c.council_child_id, o.name as council_name, o.la_code, o.raa_id as council_raa_id,
      c.date_of_birth, c.sex, c.ethnicity, c.needs->'disability'->>'description' as disability,
      c.entered_care_date, c.should_be_placed_date, c.placement_order_date, c.match_decision_date,
      c.placed_date, c.adoption_order_date,
      (select min(f.effective_date) from child_journey_facts f
        where f.child_id = c.id and f.kind = 'early_permanence_placement'
          and not exists (select 1 from child_journey_facts s where s.supersedes_id = f.id)) as early_permanence_date,
      pc.effective_date as plan_changed_date, pc.plan_change_reason,
      h.reference as family_reference, h.raa_id as family_raa_id
    from children c
    join organisations o on o.id = c.responsible_council_id
    left join lateral (
      select f.effective_date, f.plan_change_reason from child_journey_facts f
      where f.child_id = c.id and f.kind = 'plan_changed'
        and not exists (select 1 from child_journey_facts s where s.supersedes_id = f.id)
      order by f.effective_date desc, f.recorded_at desc limit 1
    ) pc on true
    left join lateral (
      select hh.reference, hh.raa_id from match_links l join households hh on hh.id = l.household_id
      where l.child_id = c.id and l.state = 'matched' order by l.updated_at desc limit 1
    ) h on true
    where c.responsible_council_id = any(${councilIds}::uuid[])
      and (c.should_be_placed_date is not null or pc.effective_date is not null)
  `.execute(db);
  const ids = rows.map((r) => r.id);
  const groups = await siblingGroupsOf(db, ids);
  return rows.map((r) => ({
    id: r.id,
    councilChildId: r.council_child_id,
    councilName: r.council_name,
    laCode: r.la_code,
    dateOfBirth: isoOf(r.date_of_birth),
    sex: r.sex,
    ethnicity: r.ethnicity,
    disability: !!r.disability?.trim(),
    enteredCare: isoOf(r.entered_care_date),
    shouldBePlaced: isoOf(r.should_be_placed_date),
    placementOrder: isoOf(r.placement_order_date),
    earlyPermanencePlacement: isoOf(r.early_permanence_date),
    matched: isoOf(r.match_decision_date),
    placed: isoOf(r.placed_date),
    adoptionOrder: isoOf(r.adoption_order_date),
    planChanged: isoOf(r.plan_changed_date),
    planChangeReason: r.plan_change_reason,
    siblingGroup: groups.get(r.id) ?? [],
    familyReference: r.family_reference,
    placementProvider: r.family_reference
      ? r.family_raa_id && r.family_raa_id === r.council_raa_id
        ? 'This RAA'
        : 'Another adoption agency'
      : null,
  }));
}

/** Each child's sibling group as the council child ids, sorted, so the first is the group's id. */
async function siblingGroupsOf(db: Db, childIds: string[]): Promise<Map<string, string[]>> {
  const groups = new Map<string, string[]>();
  if (childIds.length === 0) return groups;
  const { rows } = await sql<{ a: string; b: string; a_code: string; b_code: string }>`
    with recursive linked(id) as (
      select unnest(${childIds}::uuid[])
      union
      select case when l.child_a_id = linked.id then l.child_b_id else l.child_a_id end
      from child_sibling_links l join linked on l.child_a_id = linked.id or l.child_b_id = linked.id
    )
    select l.child_a_id as a, l.child_b_id as b, ca.council_child_id as a_code, cb.council_child_id as b_code
    from child_sibling_links l
    join children ca on ca.id = l.child_a_id
    join children cb on cb.id = l.child_b_id
    where l.child_a_id in (select id from linked) or l.child_b_id in (select id from linked)
  `.execute(db);
  const parent = new Map<string, string>();
  const code = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(x, root);
    return root;
  };
  for (const row of rows) {
    for (const [id, c] of [
      [row.a, row.a_code],
      [row.b, row.b_code],
    ] as const) {
      if (!parent.has(id)) parent.set(id, id);
      code.set(id, c);
    }
    parent.set(find(row.a), find(row.b));
  }
  const members = new Map<string, string[]>();
  for (const id of parent.keys()) {
    const root = find(id);
    members.set(root, [...(members.get(root) ?? []), id]);
  }
  for (const ids of members.values()) {
    const codes = ids.map((id) => code.get(id)!).sort();
    for (const id of ids) groups.set(id, codes);
  }
  return groups;
}

interface AdopterRow {
  household_id: string;
  reference: string;
  position: number;
  sex: string;
  ethnicity: string;
  disability: ApplicantDisability | null;
  early_permanence: boolean | null;
  enquiry_date: unknown;
  registration_date: unknown;
  stage_one_date: unknown;
  stage_one_end: unknown;
  stage_two_date: unknown;
  stage_two_end: unknown;
  approval_date: unknown;
  matched_date: unknown;
  placed_date: unknown;
  children_placed: number;
  adoption_order_date: unknown;
  withdrawn_date: unknown;
  withdrawal_reason: string | null;
  declined_date: unknown;
  not_suitable_date: unknown;
  not_approved_date: unknown;
}

/**
 * One record per applicant of each household of the actor's RAA (households at a spoke: those
 * living in the spoke's councils). Milestones are the facts in force, from the funnel columns
 * (migration 0015) and the household's facts:
 * - Stage One ends with the reg 27(4) outcome notice; Stage Two ends with the agency decision
 *   (AAR 2005 reg 30B: the Stage Two clock runs to the decision);
 * - "application submitted" is the registration of interest (the formal start with the agency);
 * - children placed and their adoption orders come from the matched links and the children.
 */
export async function adopterReturnRecords(db: Db, actor: Actor): Promise<AdopterReturnRecord[]> {
  const raaId = adoptersRaaOf(actor);
  if (!raaId) return [];
  const spokeOnly = actor.organisation.kind !== 'raa';
  const scopeIds = [...actor.scope.organisationIds];
  const spokeFilter = spokeOnly ? sql`and h.council_id = any(${scopeIds}::uuid[])` : sql``;
  const { rows } = await sql<AdopterRow>`
    select h.id as household_id, h.reference, a.position, a.sex, a.ethnicity, a.disability,
      (h.offer->>'earlyPermanence')::boolean as early_permanence,
      coalesce(h.funnel_enquiry_fact_date, e.created_at::date) as enquiry_date,
      h.funnel_registration_date as registration_date, h.funnel_stage_one_date as stage_one_date,
      f.stage_one_end, h.funnel_stage_two_date as stage_two_date, f.stage_two_end,
      h.funnel_approval_date as approval_date, f.matched_date, f.placed_date,
      coalesce(k.children_placed, 0)::int as children_placed, k.adoption_order_date,
      h.funnel_withdrawn_date as withdrawn_date, h.funnel_withdrawal_reason as withdrawal_reason,
      h.funnel_declined_date as declined_date, h.funnel_not_suitable_date as not_suitable_date,
      h.funnel_not_approved_date as not_approved_date
    from households h
    join household_applicants a on a.household_id = h.id
    left join adopter_enquiries e on e.id = h.enquiry_id
    left join lateral (
      select
        min(x.effective_date) filter (where x.kind = 'stage_one_outcome') as stage_one_end,
        min(x.effective_date) filter (where x.kind = 'agency_decision') as stage_two_end,
        min(x.effective_date) filter (where x.kind = 'matched') as matched_date,
        min(x.effective_date) filter (where x.kind = 'placed') as placed_date
      from household_facts x
      where x.household_id = h.id and x.kind in ('stage_one_outcome', 'agency_decision', 'matched', 'placed')
        and not exists (select 1 from household_facts s where s.supersedes_id = x.id)
    ) f on true
    left join lateral (
      select count(*) filter (where c.placed_date is not null) as children_placed,
        max(c.adoption_order_date) as adoption_order_date
      from match_links l join children c on c.id = l.child_id
      where l.household_id = h.id and l.state = 'matched'
    ) k on true
    where h.raa_id = ${raaId}::uuid ${spokeFilter}
  `.execute(db);
  return rows.map((r) => {
    const leaving = (
      [
        [isoOf(r.withdrawn_date), withdrawalLabel(r.withdrawal_reason)],
        [isoOf(r.declined_date), 'Registration of interest declined'],
        [isoOf(r.not_suitable_date), 'Not suitable after Stage One'],
        [isoOf(r.not_approved_date), 'Not approved'],
      ] as Array<[string | null, string]>
    )
      .filter((entry): entry is [string, string] => entry[0] !== null)
      .sort((a, b) => a[0].localeCompare(b[0]))[0];
    return {
      householdId: r.household_id,
      familyReference: r.reference,
      position: Number(r.position),
      sex: r.sex,
      ethnicity: r.ethnicity,
      disability: r.disability,
      fosteringForAdoption: r.early_permanence === true,
      enquiry: isoOf(r.enquiry_date),
      applicationSubmitted: isoOf(r.registration_date),
      stageOneStart: isoOf(r.stage_one_date),
      stageOneEnd: isoOf(r.stage_one_end),
      stageTwoStart: isoOf(r.stage_two_date),
      stageTwoEnd: isoOf(r.stage_two_end),
      approved: isoOf(r.approval_date),
      matched: isoOf(r.matched_date),
      placed: isoOf(r.placed_date),
      childrenPlaced: Number(r.children_placed),
      adoptionOrder: isoOf(r.adoption_order_date),
      left: leaving?.[0] ?? null,
      leftReason: leaving?.[1] ?? null,
    };
  });
}

function withdrawalLabel(reason: string | null): string {
  if (!reason) return 'Withdrew';
  return `Withdrew: ${withdrawalReasons[reason as WithdrawalReason] ?? reason}`;
}

/** The return of a kind for a quarter, over the records in the actor's scope. */
export async function buildReturnFor(
  deps: ReturnsDeps,
  actor: Actor,
  kind: ReturnKind,
  quarter: ReturnQuarter,
): Promise<BuiltReturn> {
  if (returnKindInfo[kind].subject === 'child') {
    return buildChildReturn(
      kind as 'asglb-children' | 'ofsted-list-10',
      quarter,
      await childReturnRecords(deps.db, actor),
    );
  }
  return buildAdopterReturn(
    kind as 'asglb-adopters' | 'ofsted-list-11',
    quarter,
    await adopterReturnRecords(deps.db, actor),
  );
}

/** Records the download and its audit event together; returns the export's id. */
export async function recordReturnExport(
  deps: ReturnsDeps,
  actor: Actor,
  auditContext: AuditContext,
  built: BuiltReturn,
  format: 'xlsx' | 'csv',
): Promise<string> {
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('return_exports')
      .values({
        kind: built.kind,
        period: built.quarter.key,
        format,
        row_count: built.rows.length,
        problem_count: built.problems.length,
        exported_by: actor.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const subjects = built.subjectIds.map((subjectId) => ({
      export_id: row.id,
      subject_type: built.subjectType,
      subject_id: subjectId,
    }));
    for (let i = 0; i < subjects.length; i += 1000) {
      await trx
        .insertInto('return_export_subjects')
        .values(subjects.slice(i, i + 1000))
        .execute();
    }
    const noun = built.subjectType === 'child' ? 'children' : 'households';
    await writeAudit(trx, deps.auditKey, auditContext, {
      action: 'returns.export',
      outcome: 'success',
      subjectType: 'return_export',
      subjectId: row.id,
      subjectOrganisationId: actor.organisation.id,
      reason: `${built.kind} ${built.quarter.key} ${format}: ${built.subjectIds.length} ${noun}, ${built.rows.length} rows, ${built.problems.length} problems (listed in return_export_subjects)`,
    });
    // And one entry on each record, so a child's or household's "who has seen this record" page
    // shows the download too (security.md LG-6), written many at a time like an import's.
    await writeAuditEntries(
      trx,
      deps.auditKey,
      auditContext,
      built.subjectIds.map((subjectId) => ({
        action: 'returns.export.record',
        outcome: 'success' as const,
        subjectType: built.subjectType,
        subjectId,
        reason: `included in ${built.kind} ${built.quarter.key} (${format}), export ${row.id}`,
      })),
    );
    return row.id;
  });
}
