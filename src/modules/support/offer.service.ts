// The core offer (issue 8 §3; seeds' schedule: "newsletter, social events for children and young
// people; social/training events for adoptive parents; … independent support and advice to birth
// relatives"): events, groups, training and newsletters, with who came and what they thought.
import type { Actor } from '../../platform/access/actor.js';
import type { AuditContext } from '../../platform/audit/audit.js';
import { AppError } from '../../platform/http/errors.js';
import type { AttendanceInput, OfferInput } from './support.forms.js';
import { attendanceOf, caseByReference, offerItemInRaa, offerItems } from './support.repository.js';
import {
  auditSupport,
  inActorRaa,
  mayReadKind,
  type SupportDeps,
  supportRaa,
  SupportRefused,
} from './support.service.js';
import type { OfferAudience, OfferKind } from './support.tables.js';

export const offerKindLabels: Record<OfferKind, string> = {
  event: 'Social event',
  group: 'Group',
  training: 'Training',
  newsletter: 'Newsletter',
};

export const offerAudienceLabels: Record<OfferAudience, string> = {
  adoptive_parents: 'Adoptive parents',
  children_and_young_people: 'Children and young people',
  families: 'Whole families',
  birth_relatives: 'Birth relatives',
  adopted_adults: 'Adopted adults',
};

const raaOrRefuse = (actor: Actor): string => {
  const raaId = supportRaa(actor);
  if (!raaId)
    throw new AppError(
      'not-found',
      'The core offer belongs to an RAA: sign in as a member of its staff to see it.',
    );
  return raaId;
};

export async function listOffer(deps: SupportDeps, actor: Actor) {
  return offerItems(deps.db, raaOrRefuse(actor));
}

export async function createOfferItem(
  deps: SupportDeps,
  actor: Actor,
  auditContext: AuditContext,
  input: OfferInput,
): Promise<string> {
  const raaId = raaOrRefuse(actor);
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('support_offer_items')
      .values({
        raa_id: raaId,
        kind: input.kind,
        audience: input.audience,
        title: input.title,
        held_on: input.heldOn,
        description: input.description,
        reach: input.kind === 'newsletter' ? input.reach : null,
        created_by: actor.userId,
        created_at: auditContext.now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await auditSupport(trx, deps, auditContext, {
      action: 'support.offer.create',
      outcome: 'success',
      caseId: row.id,
      raaId,
      subjectType: 'support_offer_item',
      reason: input.kind,
    });
    return row.id;
  });
}

const itemForActor = inActorRaa(offerItemInRaa, {
  reason: 'not an offer of your RAA',
  what: 'event',
  subjectType: 'support_offer_item',
});

export async function offerItem(deps: SupportDeps, actor: Actor, auditContext: AuditContext, id: string) {
  const action = 'support.offer.view';
  const item = await itemForActor(deps, actor, auditContext, action, id);
  const attendance = await attendanceOf(deps.db, item.id);
  await auditSupport(deps.db, deps, auditContext, {
    action,
    outcome: 'success',
    caseId: item.id,
    raaId: item.raa_id,
    subjectType: 'support_offer_item',
  });
  const ratings = attendance.map((a) => a.rating).filter((r): r is number => r !== null);
  return {
    item,
    attendance,
    attended: attendance.filter((a) => a.attended).length,
    averageRating: ratings.length
      ? Math.round((ratings.reduce((a, b) => a + b, 0) / ratings.length) * 10) / 10
      : null,
  };
}

export async function recordAttendance(
  deps: SupportDeps,
  actor: Actor,
  auditContext: AuditContext,
  id: string,
  input: AttendanceInput,
): Promise<void> {
  const action = 'support.offer.attendance';
  const item = await itemForActor(deps, actor, auditContext, action, id);
  if (item.kind === 'newsletter') {
    throw new SupportRefused([
      {
        field: 'attendee',
        message: 'A newsletter has readers, not attendance: record how many it went to instead',
      },
    ]);
  }
  let caseId: string | null = null;
  if (input.caseReference) {
    const found = await caseByReference(deps.db, item.raa_id, input.caseReference);
    if (!found || !mayReadKind(actor, found.kind)) {
      throw new SupportRefused([
        {
          field: 'caseReference',
          message: `There is no support case ${input.caseReference}: check the reference`,
        },
      ]);
    }
    caseId = found.id;
  }
  if (!input.attended && (input.rating !== null || input.feedback)) {
    throw new SupportRefused([
      {
        field: 'rating',
        message: 'Feedback is from people who came: say they attended, or leave the rating blank',
      },
    ]);
  }
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('support_offer_attendance')
      .values({
        item_id: item.id,
        case_id: caseId,
        attendee: input.attendee,
        attended: input.attended,
        rating: input.rating,
        feedback: input.feedback,
        recorded_by: actor.userId,
        recorded_at: auditContext.now,
      })
      .execute();
    await auditSupport(trx, deps, auditContext, {
      action,
      outcome: 'success',
      caseId: item.id,
      raaId: item.raa_id,
      subjectType: 'support_offer_item',
    });
  });
}
