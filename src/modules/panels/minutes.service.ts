// Minutes of each item (issue 7 §3): the recommendation, its reasons, any dissent and the advice
// the panel gives, once the sitting is quorate for the item; the chair's sign-off, which makes them
// the final minutes and starts the decision maker's clock; after that, changes only by a recorded
// amendment (the database refuses anything else: migration 0013). A recommendation is never
// conditional: a panel that lacks information defers (domain.md §4).
import type { Actor } from '../../platform/access/actor.js';
import type { AuditContext } from '../../platform/audit/audit.js';
import type { AmendmentInput, MinuteInput, QualityInput } from './panels.forms.js';
import { childFact, householdFact, recordChildStep, recordHouseholdStep } from './journey-effects.js';
import { sittingMembers, type ItemRow } from './panels.repository.js';
import {
  auditPanel,
  caseSubject,
  itemForActor,
  itemForStaff,
  PanelRefused,
  quorumForItem,
  refuse,
  rulesOf,
  staffRaaOf,
  todayOf,
  type PanelDeps,
  type Trx,
} from './panels.service.js';
import type { Recommendation } from './panels.tables.js';

export class StaleMinute extends Error {}

/** The quorum for the item now, inside the transaction: attendance, less members who withdrew from it. */
async function itemQuorum(trx: Trx, deps: PanelDeps, item: ItemRow) {
  const [sitting, members, withdrawn] = await Promise.all([
    trx
      .selectFrom('panel_sittings')
      .innerJoin('panels', 'panels.id', 'panel_sittings.panel_id')
      .select([
        'panel_sittings.sitting_date',
        'panel_sittings.attendance_recorded_at',
        'panel_sittings.chaired_by_member_id',
        'panels.joint',
      ])
      .where('panel_sittings.id', '=', item.sitting_id)
      .executeTakeFirstOrThrow(),
    sittingMembers(trx, item.sitting_id),
    trx
      .selectFrom('panel_conflicts')
      .select('member_id')
      .where('item_id', '=', item.id)
      .where('withdrew', '=', true)
      .execute(),
  ]);
  const quorum = quorumForItem(sitting, members, new Set(withdrawn.map((w) => w.member_id)), rulesOf(deps));
  return { sitting, members, quorum };
}

function refuseWithoutQuorum(quorum: { recorded: boolean; problems: string[] }): void {
  if (quorum.problems.length === 0) return;
  throw refuse(
    quorum.recorded
      ? `The panel is not quorate for this item, so nothing can be recorded: ${quorum.problems.join('; ')}`
      : 'Record the attendance of the sitting first: the quorum is checked from it before anything is minuted',
    'recommendation',
    'conflict',
  );
}

/** Runs a change to an item's minute (staff only), auditing success in the transaction and refusals after it. */
async function changeMinute<T>(
  deps: PanelDeps,
  actor: Actor,
  auditContext: AuditContext,
  itemId: string,
  action: string,
  change: (trx: Trx, item: ItemRow) => Promise<{ result: T; reason?: string }>,
  find: (
    deps: PanelDeps,
    actor: Actor,
    ctx: AuditContext,
    id: string,
    action: string,
  ) => Promise<ItemRow> = itemForStaff,
): Promise<T> {
  const item = await find(deps, actor, auditContext, itemId, action);
  try {
    return await deps.db.transaction().execute(async (trx) => {
      await trx.selectFrom('panel_agenda_items').select('id').where('id', '=', item.id).forUpdate().execute();
      if (item.status === 'removed') throw refuse('This item is off the agenda', 'form', 'conflict');
      const { result, reason } = await change(trx, item);
      await auditPanel(trx, deps, auditContext, {
        action,
        outcome: 'success',
        ...caseSubject(item),
        reason: reason ?? null,
      });
      return result;
    });
  } catch (error) {
    if (error instanceof PanelRefused || error instanceof StaleMinute)
      await auditPanel(deps.db, deps, auditContext, {
        action,
        outcome: error instanceof PanelRefused ? error.outcome : 'failed',
        ...caseSubject(item),
        reason: error instanceof StaleMinute ? 'stale edit' : error.message,
      });
    throw error;
  }
}

function votesProblem(
  input: Pick<MinuteInput, 'votesFor' | 'votesAgainst' | 'abstentions'>,
  present: number,
): void {
  const votes = (input.votesFor ?? 0) + (input.votesAgainst ?? 0) + (input.abstentions ?? 0);
  if (votes > present)
    throw refuse(
      `${votes} votes are recorded but only ${present} ${present === 1 ? 'member was' : 'members were'} able to take part`,
      'votesFor',
    );
}

/** Records (or, before sign-off, rewrites) the minute of an item. Refused without a quorum. */
export function recordMinute(
  deps: PanelDeps,
  actor: Actor,
  auditContext: AuditContext,
  itemId: string,
  input: MinuteInput,
): Promise<void> {
  return changeMinute(deps, actor, auditContext, itemId, 'panels.minute.record', async (trx, item) => {
    const current = await trx
      .selectFrom('panel_minutes')
      .select(['version', 'signed_off_at'])
      .where('item_id', '=', item.id)
      .forUpdate()
      .executeTakeFirst();
    if (current?.signed_off_at)
      throw refuse(
        'The minute is signed off: it can only be changed by a recorded amendment, with the reason for it',
        'reasons',
        'conflict',
      );
    if ((current?.version ?? 0) !== input.version) throw new StaleMinute();
    const { sitting, quorum } = await itemQuorum(trx, deps, item);
    if (sitting.sitting_date > todayOf(auditContext))
      throw refuse(
        'The minute can be recorded on the day of the sitting or after it',
        'recommendation',
        'conflict',
      );
    refuseWithoutQuorum(quorum);
    votesProblem(input, quorum.present);
    const values = {
      recommendation: input.recommendation,
      reasons: input.reasons,
      dissent: input.dissent,
      conditions: input.conditions,
      votes_for: input.votesFor,
      votes_against: input.votesAgainst,
      abstentions: input.abstentions,
      updated_at: auditContext.now,
    };
    if (current) {
      await trx
        .updateTable('panel_minutes')
        .set({ ...values, version: current.version + 1, recorded_by: actor.userId })
        .where('item_id', '=', item.id)
        .execute();
    } else {
      await trx
        .insertInto('panel_minutes')
        .values({ item_id: item.id, ...values, recorded_by: actor.userId, recorded_at: auditContext.now })
        .execute();
    }
    return { result: undefined, reason: `recommendation ${input.recommendation}` };
  });
}

/** What the household's pipeline calls the panel's recommendation on suitability (pipeline.ts). */
const suitabilityRecommendation: Record<Recommendation, string> = {
  in_favour: 'suitable',
  not_in_favour: 'not_suitable',
  deferred: 'deferred',
};

/**
 * The chair signs the minute off: the panel adviser does it on the chair's behalf, or the chair
 * does it from the account linked to them on the central list. From then on the minute is final,
 * the decision maker's clock runs, and the panel is written into the journeys: an approval
 * item's household records the panel and its recommendation; a match records the matching panel
 * on the child's journey (unless deferred).
 */
export function signOff(
  deps: PanelDeps,
  actor: Actor,
  auditContext: AuditContext,
  itemId: string,
  version: number,
): Promise<void> {
  return changeMinute(
    deps,
    actor,
    auditContext,
    itemId,
    'panels.minute.sign-off',
    async (trx, item) => {
      const minute = await trx
        .selectFrom('panel_minutes')
        .select(['version', 'signed_off_at', 'recommendation'])
        .where('item_id', '=', item.id)
        .forUpdate()
        .executeTakeFirst();
      if (!minute) throw refuse('Record the minute before it is signed off', 'form', 'conflict');
      if (minute.signed_off_at) throw refuse('The minute is already signed off', 'form', 'conflict');
      if (minute.version !== version) throw new StaleMinute();
      const { sitting, members, quorum } = await itemQuorum(trx, deps, item);
      refuseWithoutQuorum(quorum);
      const chair = members.find((m) => m.member_id === sitting.chaired_by_member_id);
      const asAdviser = actor.roles.includes('panel_adviser') && staffRaaOf(actor) === item.raa_id;
      const asChair = !!chair && chair.user_id === actor.userId;
      if (!chair)
        throw refuse(
          'No chair or vice chair was present, so the minute cannot be signed off',
          'form',
          'conflict',
        );
      if (!asAdviser && !asChair)
        throw refuse(
          `Only the chair of this sitting (${chair.name}), or the panel adviser on their behalf, can sign the minute off`,
          'form',
          'forbidden',
          'denied',
        );
      const today = todayOf(auditContext);
      const updated = await trx
        .updateTable('panel_minutes')
        .set({
          signed_off_at: auditContext.now,
          signed_off_on: today,
          signed_off_by: actor.userId,
          signed_off_for_member_id: chair.member_id,
          version: minute.version + 1,
          updated_at: auditContext.now,
        })
        .where('item_id', '=', item.id)
        .where('signed_off_at', 'is', null)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1)
        throw refuse('The minute is already signed off', 'form', 'conflict');
      if (item.kind === 'adopter_approval' && item.household_id) {
        await recordHouseholdStep(
          trx,
          deps,
          actor,
          auditContext,
          { id: item.household_id, raaId: item.raa_id },
          householdFact('panel', sitting.sitting_date, `${item.panel_name.slice(0, 80)} (final minutes)`, {
            panelRecommendation: suitabilityRecommendation[minute.recommendation],
          }),
        );
      }
      if (item.kind === 'match' && item.child_id && minute.recommendation !== 'deferred') {
        await recordChildStep(
          trx,
          deps,
          actor,
          auditContext,
          item.child_id,
          childFact('matching_panel', sitting.sitting_date, item.panel_name.slice(0, 100)),
        );
      }
      return {
        result: undefined,
        reason: `signed off for ${chair.name}${asChair ? '' : ' by the panel adviser'}`,
      };
    },
    // The chair's own account is a panel member's: it reaches the item as a member of the sitting.
    async (d, a, ctx, id, action) => (await itemForActor(d, a, ctx, id, action)).item,
  );
}

const amendable = ['reasons', 'dissent', 'conditions', 'votesFor', 'votesAgainst', 'abstentions'] as const;
const columnOf = {
  reasons: 'reasons',
  dissent: 'dissent',
  conditions: 'conditions',
  votesFor: 'votes_for',
  votesAgainst: 'votes_against',
  abstentions: 'abstentions',
} as const;

/**
 * Changes a signed-off minute by a recorded amendment: what changed (from and to), why, who and
 * when, in the same transaction as the change. The recommendation itself is not amended: it is
 * what the decision maker decides on; a recommendation recorded wrongly needs the panel again.
 */
export function amendMinute(
  deps: PanelDeps,
  actor: Actor,
  auditContext: AuditContext,
  itemId: string,
  input: AmendmentInput,
): Promise<void> {
  return changeMinute(deps, actor, auditContext, itemId, 'panels.minute.amend', async (trx, item) => {
    const minute = await trx
      .selectFrom('panel_minutes')
      .selectAll()
      .where('item_id', '=', item.id)
      .forUpdate()
      .executeTakeFirst();
    if (!minute?.signed_off_at)
      throw refuse(
        'The minute is not signed off yet: change it directly instead',
        'amendmentReason',
        'conflict',
      );
    if (minute.version !== input.version) throw new StaleMinute();
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const field of amendable) {
      const from = minute[columnOf[field]];
      const to = input[field];
      if ((from ?? null) !== (to ?? null)) changes[field] = { from: from ?? null, to: to ?? null };
    }
    if (Object.keys(changes).length === 0) throw refuse('Nothing in the minute was changed', 'reasons');
    const { quorum } = await itemQuorum(trx, deps, item);
    votesProblem(input, quorum.present);
    await trx
      .updateTable('panel_minutes')
      .set({
        reasons: input.reasons,
        dissent: input.dissent,
        conditions: input.conditions,
        votes_for: input.votesFor,
        votes_against: input.votesAgainst,
        abstentions: input.abstentions,
        version: minute.version + 1,
        amendment_count: minute.amendment_count + 1,
        updated_at: auditContext.now,
      })
      .where('item_id', '=', item.id)
      .execute();
    await trx
      .insertInto('panel_minute_amendments')
      .values({
        item_id: item.id,
        changes: JSON.stringify(changes),
        reason: input.amendmentReason,
        amended_by: actor.userId,
        amended_at: auditContext.now,
      })
      .execute();
    return { result: undefined, reason: `amended: ${Object.keys(changes).join(', ')}` };
  });
}

/** A quality issue the panel raises about what came to it, for the six-monthly report. */
export function recordQualityIssue(
  deps: PanelDeps,
  actor: Actor,
  auditContext: AuditContext,
  itemId: string,
  input: QualityInput,
): Promise<void> {
  return changeMinute(deps, actor, auditContext, itemId, 'panels.quality.record', async (trx, item) => {
    await trx
      .insertInto('panel_quality_issues')
      .values({
        item_id: item.id,
        category: input.category,
        note: input.note,
        recorded_by: actor.userId,
        recorded_at: auditContext.now,
      })
      .execute();
    return { result: undefined, reason: input.category };
  });
}
