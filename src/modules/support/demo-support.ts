// The demo's adoption support (issue 8): an adoptive family who adopted before Kindred with a
// child, an assessment, a plan, a liaison note, an approved Adoption Support Fund application and a
// letterbox agreement with a few exchanges — one arrived and waiting to be checked (it still holds
// the family's surname and the school), one held by the team manager; an adopted adult asking for
// birth records counselling; a birth relative asking for an intermediary; a picnic and a
// newsletter in the core offer. The months are set around today so something is always due. Every
// person and place is invented and obviously so.
import type { Insertable } from 'kysely';
import type { Db } from '../../platform/db/client.js';
import type { DB } from '../../platform/db/schema.js';
import { addCalendarDays, addCalendarMonths, todayInLondon } from '../../platform/time/index.js';
import { financialYearOf, nextDueOn, periodsBetween } from './support-rules.js';
import { newAgreementReference, newCaseReference } from './support.service.js';
import './support.tables.js';
import type { ExchangeAction } from './support.tables.js';

const idOf = async (db: Db, code: string) =>
  (await db.selectFrom('organisations').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
const userOf = async (db: Db, email: string) =>
  (await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst())?.id ?? null;

export async function seedDemoSupport(
  db: Db,
  options: { now: Date },
): Promise<{ cases: number; exchanges: number }> {
  const today = todayInLondon(options.now);
  const ago = (days: number) => addCalendarDays(today, -days);
  const raaId = await idOf(db, 'adopt-london-south');
  const lewisham = await idOf(db, 'lewisham');
  const southwark = await idOf(db, 'southwark');
  const hearth = await idOf(db, 'hearth-therapies-asa');
  const worker = await userOf(db, 'support.worker@demo.kindred.invalid');
  const manager = await userOf(db, 'team.manager@demo.kindred.invalid');
  const now = options.now;

  return db.transaction().execute(async (trx) => {
    const family = await trx
      .insertInto('support_cases')
      .values({
        reference: newCaseReference(),
        raa_id: raaId,
        kind: 'adoptive_family',
        referral_on: ago(60),
        referral_source: 'self',
        referral_reason:
          'Poppy is struggling at school and with sleep; the family asked for an assessment and help with letterbox contact.',
        allocated_worker_id: worker,
        family_name: 'Robin and Alex Demoquill',
        family_surnames: ['Demoquill'],
        address_line_1: '7 Pretend Parade',
        town: 'Madeupton',
        postcode: 'SE23 9ZZ',
        postcode_district: 'SE23',
        email: 'demoquill.family@example.invalid',
        phone: '020 7946 0700',
        school: 'Imaginary Oaks Primary',
        placing_council_id: lewisham,
        residence_council_id: southwark,
        created_by: worker,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const child = await trx
      .insertInto('support_children')
      .values({
        case_id: family.id,
        first_name: 'Poppy',
        last_name: 'Demoquill',
        birth_first_name: 'Poppy',
        birth_last_name: 'Samplestone',
        date_of_birth: '2019-05-12',
        adoption_order_on: addCalendarMonths(today, -30),
        created_by: worker,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const assessment = await trx
      .insertInto('support_assessments')
      .values({
        case_id: family.id,
        requested_on: ago(55),
        due_on: ago(13),
        completed_on: ago(20),
        outcome: 'services_to_be_provided',
        summary:
          'Poppy shows anxiety around transitions; her parents would value therapeutic parenting support and help to talk with the school.',
        completed_by: worker,
        created_by: worker,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const plan = await trx
      .insertInto('support_plans')
      .values({
        case_id: family.id,
        assessment_id: assessment.id,
        agreed_on: ago(10),
        review_on: addCalendarMonths(today, 6),
        summary:
          'Theraplay through the Adoption Support Fund, school liaison by the RAA, and the core offer’s parenting group.',
        created_by: worker,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('support_plan_goals')
      .values([
        {
          plan_id: plan.id,
          position: 1,
          goal: 'Twelve theraplay sessions for Poppy and her parents',
          responsible: 'provider',
        },
        {
          plan_id: plan.id,
          position: 2,
          goal: 'Meet the school with the family about transitions',
          responsible: 'raa',
        },
        {
          plan_id: plan.id,
          position: 3,
          goal: 'Join the therapeutic parenting group',
          responsible: 'family',
        },
      ])
      .execute();
    await trx
      .insertInto('support_liaison_notes')
      .values({
        case_id: family.id,
        council_id: lewisham,
        kind: 'adoption_specific_work',
        raa_actions:
          'Apply to the Adoption Support Fund for theraplay and commission Hearth Therapeutic Services.',
        council_actions: 'Confirm the placing council’s match funding if the limit is reached.',
        note: 'Plan shared with Lewisham as the placing council (within three years of the order).',
        recorded_by: worker,
        recorded_by_organisation_id: raaId,
        recorded_at: now,
      })
      .execute();
    const application = await trx
      .insertInto('support_fund_applications')
      .values({
        case_id: family.id,
        raa_id: raaId,
        support_child_id: child.id,
        financial_year: financialYearOf(today),
        category: 'therapy',
        service_type: 'theraplay',
        provider_id: hearth,
        description: 'Twelve theraplay sessions for Poppy and her parents',
        starts_on: today,
        total_cost_pence: 240_000,
        fund_share_pence: 240_000,
        match_funding_pence: 0,
        council_id: lewisham,
        status: 'approved',
        submitted_on: ago(8),
        decided_on: ago(2),
        approved_pence: 240_000,
        created_by: worker,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('support_fund_events')
      .values(
        (['draft', 'submitted', 'approved'] as const).map((status, index, all) => ({
          application_id: application.id,
          from_status: index === 0 ? null : all[index - 1]!,
          to_status: status,
          note: null,
          recorded_by: worker,
          recorded_at: now,
        })),
      )
      .execute();

    // Letterbox: this month and six months on, so an exchange is due whenever the demo is opened.
    const month = Number(today.slice(5, 7));
    const months = [month, ((month + 5) % 12) + 1].sort((a, b) => a - b);
    const startsOn = addCalendarMonths(`${today.slice(0, 7)}-01`, -36);
    const timing = { months, startsOn, endedOn: null };
    const periods = periodsBetween(timing, today);
    const current = periods.at(-1)!;
    const agreement = await trx
      .insertInto('letterbox_agreements')
      .values({
        reference: newAgreementReference(),
        case_id: family.id,
        raa_id: raaId,
        support_child_id: child.id,
        months,
        starts_on: startsOn,
        review_on: addCalendarMonths(today, 4),
        created_by: worker,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const [familyParty, relative] = await trx
      .insertInto('letterbox_parties')
      .values([
        {
          agreement_id: agreement.id,
          side: 'adoptive_family',
          name: 'Mum and Dad (Robin and Alex)',
          relationship: 'Adoptive family',
          writes: true,
          receives: true,
          address_line_1: null,
          address_line_2: null,
          town: null,
          postcode: null,
          email: null,
          phone: null,
          next_due_on: null,
        },
        {
          agreement_id: agreement.id,
          side: 'birth_relative',
          name: 'Jo Samplestone',
          relationship: 'Birth mother',
          writes: true,
          receives: true,
          address_line_1: '4 Imaginary Street',
          address_line_2: null,
          town: 'Fictionham',
          postcode: 'SE13 9ZZ',
          email: 'jo.samplestone@example.invalid',
          phone: null,
          next_due_on: null,
        },
      ])
      .returning('id')
      .execute();
    // Every demo item is logged by the support worker; events are recorded at seeding time.
    const addExchange = (
      values: Omit<
        Insertable<DB['letterbox_exchanges']>,
        'agreement_id' | 'created_by' | 'created_at' | 'updated_at'
      >,
    ) =>
      trx
        .insertInto('letterbox_exchanges')
        .values({
          agreement_id: agreement.id,
          ...values,
          created_by: worker,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
    const event = (exchangeId: string, action: ExchangeAction, note: string | null = null, by = worker) => ({
      exchange_id: exchangeId,
      action,
      note,
      recorded_by: by,
      recorded_at: now,
    });
    const history = periods.slice(0, -1);
    let exchanges = 0;
    for (const period of history) {
      for (const party of [familyParty!, relative!]) {
        const fromFamily = party === familyParty;
        const text = fromFamily
          ? 'Dear Jo, Poppy has grown so much. She loves swimming and drawing dogs. Love from Mum and Dad'
          : 'Dear Poppy, I hope you are well and happy. I think of you every day. Love, Jo';
        const row = await addExchange({
          from_party_id: party.id,
          for_period: period,
          received_on: addCalendarDays(period, fromFamily ? 6 : 12),
          original_text: text,
          redacted_text: text,
          redaction_note: 'Nothing identifying found',
          status: 'forwarded',
          checked_by: worker,
          checked_at: now,
        });
        await trx
          .insertInto('letterbox_exchange_events')
          .values([
            event(row.id, 'received'),
            event(row.id, 'checked', 'Nothing identifying found'),
            event(row.id, 'forwarded'),
          ])
          .execute();
        exchanges += 1;
      }
    }
    // This month's two items: the family's, waiting to be checked; Jo's, held by the team manager.
    const waiting = await addExchange({
      from_party_id: familyParty!.id,
      for_period: current,
      received_on: today,
      original_text:
        'Dear Jo,\nPoppy has started Year 2 at Imaginary Oaks Primary and has a new friend called Sam. She still loves swimming.\nLove from Robin and Alex Demoquill',
    });
    const held = await addExchange({
      from_party_id: relative!.id,
      for_period: current,
      received_on: today,
      original_text: 'Dear Poppy, I would love to come and see you at your school one day. Love, Jo',
      status: 'held',
      held_reason: 'Mentions visiting the school: talk with the family before anything is passed on.',
      held_by: manager,
    });
    await trx
      .insertInto('letterbox_exchange_events')
      .values([
        event(waiting.id, 'received'),
        event(held.id, 'received'),
        event(held.id, 'held', 'Mentions visiting the school', manager),
      ])
      .execute();
    exchanges += 2;
    const received = new Set([...history, current]);
    for (const party of [familyParty!, relative!]) {
      await trx
        .updateTable('letterbox_parties')
        .set({ next_due_on: nextDueOn(timing, received) })
        .where('id', '=', party.id)
        .execute();
    }

    const adult = await trx
      .insertInto('support_cases')
      .values({
        reference: newCaseReference(),
        raa_id: raaId,
        kind: 'adopted_adult',
        referral_on: ago(14),
        referral_source: 'self',
        referral_reason: 'Adopted in 1972 and would like to see her birth records.',
        allocated_worker_id: worker,
        created_by: worker,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('support_people')
      .values({
        case_id: adult.id,
        first_name: 'Pat',
        last_name: 'Inventedson',
        date_of_birth: '1971-08-19',
        relationship: 'adopted_adult',
        adopted_on: '1972-06-01',
        address_line_1: '9 Fable Gardens',
        town: 'Storyford',
        postcode: 'SE4 9ZZ',
        email: 'pat.inventedson@example.invalid',
        phone: null,
      })
      .execute();
    const counselling = await trx
      .insertInto('support_record_requests')
      .values({
        case_id: adult.id,
        raa_id: raaId,
        kind: 'birth_records_counselling',
        received_on: ago(14),
        details: 'Wants to apply to the General Register Office for her original birth certificate.',
        created_by: worker,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('support_record_checks')
      .values({
        request_id: counselling.id,
        kind: 'identity_checked',
        done_on: ago(10),
        note: 'Passport seen',
        recorded_by: worker,
        recorded_at: now,
      })
      .execute();

    const relativeCase = await trx
      .insertInto('support_cases')
      .values({
        reference: newCaseReference(),
        raa_id: raaId,
        kind: 'birth_relative',
        referral_on: ago(30),
        referral_source: 'other_agency',
        referral_reason: 'Birth father asking for independent support and an intermediary.',
        allocated_worker_id: worker,
        created_by: worker,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('support_people')
      .values({
        case_id: relativeCase.id,
        first_name: 'Lee',
        last_name: 'Makebelieve',
        date_of_birth: '1984-02-02',
        relationship: 'birth_father',
        adopted_on: null,
        address_line_1: null,
        town: 'Notatown',
        postcode: null,
        email: null,
        phone: null,
      })
      .execute();
    await trx
      .insertInto('support_record_requests')
      .values({
        case_id: relativeCase.id,
        raa_id: raaId,
        kind: 'intermediary',
        received_on: ago(28),
        sought_person: 'His son, adopted in 2004',
        created_by: worker,
        created_at: now,
      })
      .execute();

    const picnic = await trx
      .insertInto('support_offer_items')
      .values({
        raa_id: raaId,
        kind: 'event',
        audience: 'families',
        title: 'Summer picnic for adoptive families (demo)',
        held_on: ago(90),
        description: 'Games, food and a chance to meet other families.',
        created_by: worker,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('support_offer_attendance')
      .values([
        {
          item_id: picnic.id,
          case_id: family.id,
          attendee: 'Robin, Alex and Poppy',
          attended: true,
          rating: 5,
          feedback: 'Poppy made a friend',
          recorded_by: worker,
          recorded_at: now,
        },
        {
          item_id: picnic.id,
          case_id: null,
          attendee: 'A family of four',
          attended: true,
          rating: 4,
          feedback: null,
          recorded_by: worker,
          recorded_at: now,
        },
      ])
      .execute();
    await trx
      .insertInto('support_offer_items')
      .values({
        raa_id: raaId,
        kind: 'newsletter',
        audience: 'adoptive_parents',
        title: 'Autumn newsletter (demo)',
        held_on: ago(20),
        reach: 412,
        created_by: worker,
        created_at: now,
      })
      .execute();
    return { cases: 3, exchanges };
  });
}
