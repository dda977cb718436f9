// The demo's panels (issue 7): an invented central list for Adopt London South (a chair, vice
// chairs, social workers, independent members with personal experience of adoption, another
// member, medical and legal advisers, the panel adviser and administrator), one panel per spoke,
// a few sittings past and to come, and one household whose Prospective Adopter's Report is done,
// so an agenda has something to hear. The South East panel sits on the last working day on or
// before the day of seeding, with its members asked, for the browser journey to run through.
// Every name is invented and obviously so. The demo panel member's account is linked to one
// independent member, so it sees the sittings that member is asked to.
import { refreshHouseholdFunnel } from '../adopters/households.service.js';
import { randomInt } from 'node:crypto';
import type { Db } from '../../platform/db/client.js';
import {
  addCalendarDays,
  addCalendarMonths,
  addWorkingDays,
  englandAndWalesCalendar,
  todayInLondon,
} from '../../platform/time/index.js';
import { papersDueBy } from './panel-rules.js';
import type { MemberRole } from './panels.tables.js';
import './panels.tables.js';
import '../adopters/households.tables.js';

const centralList: Array<{
  name: string;
  role: MemberRole;
  organisation: string;
  qualifiedYearsAgo?: number;
  lived?: 'adopted_adult' | 'adoptive_parent' | 'birth_relative';
  user?: string;
}> = [
  { name: 'Imogen Demo-Harcourt', role: 'independent_chair', organisation: 'Independent' },
  { name: 'Victor Pretendly', role: 'vice_chair', organisation: 'Independent' },
  { name: 'Valerie Mockington', role: 'vice_chair', organisation: 'London Borough of Lambeth (demo)' },
  {
    name: 'Sunita Samplecroft',
    role: 'social_worker',
    organisation: 'Adopt London South (demo)',
    qualifiedYearsAgo: 12,
  },
  {
    name: 'Samuel Fictionsby',
    role: 'social_worker',
    organisation: 'London Borough of Croydon (demo)',
    qualifiedYearsAgo: 6,
  },
  {
    name: 'Sian Newly-Madeup',
    role: 'social_worker',
    organisation: 'Adopt London South (demo)',
    qualifiedYearsAgo: 2,
  },
  {
    name: 'Rosa Lindqvist',
    role: 'independent_member',
    organisation: 'Independent',
    lived: 'adopted_adult',
    user: 'panel.member@demo.kindred.invalid',
  },
  {
    name: 'Idris Demoworth',
    role: 'independent_member',
    organisation: 'Independent',
    lived: 'adoptive_parent',
  },
  {
    name: 'Iona Madeup-Lane',
    role: 'independent_member',
    organisation: 'Independent',
    lived: 'birth_relative',
  },
  { name: 'Oscar Inventon', role: 'other_member', organisation: 'Virtual school (demo)' },
  { name: 'Dr Meera Placeholder', role: 'medical_adviser', organisation: 'Community paediatrics (demo)' },
  { name: 'Lena Lawfully-Demo', role: 'legal_adviser', organisation: 'Southwark legal services (demo)' },
  { name: 'Helen Mbeki', role: 'panel_adviser', organisation: 'Adopt London South (demo)' },
  { name: 'Owen Price', role: 'panel_administrator', organisation: 'Adopt London South (demo)' },
];

/** Who sits on a demo sitting: the chair, a vice chair, two experienced social workers, two independent members, the other member and the advisers. */
const sittingNames = [
  'Imogen Demo-Harcourt',
  'Victor Pretendly',
  'Sunita Samplecroft',
  'Samuel Fictionsby',
  'Rosa Lindqvist',
  'Idris Demoworth',
  'Oscar Inventon',
  'Dr Meera Placeholder',
  'Helen Mbeki',
];

const referenceAlphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const newReference = () =>
  [0, 1]
    .map(() =>
      Array.from({ length: 4 }, () => referenceAlphabet[randomInt(referenceAlphabet.length)]).join(''),
    )
    .join('-');

function lastWorkingDayOnOrBefore(date: string): string {
  const calendar = englandAndWalesCalendar();
  let day = date;
  while (!calendar.isWorkingDay(day)) day = addCalendarDays(day, -1);
  return day;
}

export async function seedDemoPanels(
  db: Db,
  options: { now: Date },
): Promise<{ panels: number; members: number; sittings: number; ready: number }> {
  const today = todayInLondon(options.now);
  const raa = await db
    .selectFrom('organisations')
    .select('id')
    .where('code', '=', 'adopt-london-south')
    .executeTakeFirst();
  if (!raa) return { panels: 0, members: 0, sittings: 0, ready: 0 };
  const spokes = await db
    .selectFrom('organisations')
    .select(['id', 'name'])
    .where('kind', '=', 'spoke')
    .where('raa_id', '=', raa.id)
    .orderBy('code')
    .execute();
  return db.transaction().execute(async (trx) => {
    const memberIds = new Map<string, string>();
    for (const person of centralList) {
      const user = person.user
        ? await trx.selectFrom('users').select('id').where('email', '=', person.user).executeTakeFirst()
        : undefined;
      const row = await trx
        .insertInto('panel_members')
        .values({
          raa_id: raa.id,
          name: person.name,
          role: person.role,
          organisation: person.organisation,
          email: `${person.name.toLowerCase().replace(/[^a-z]+/g, '.')}@demo.kindred.invalid`,
          lived_experience: person.lived ?? null,
          social_work_qualified_on: person.qualifiedYearsAgo
            ? addCalendarMonths(today, -12 * person.qualifiedYearsAgo)
            : null,
          appointed_on: addCalendarMonths(today, -18),
          // One appointment review is overdue, so the central list shows what that looks like.
          review_due:
            person.name === 'Oscar Inventon' ? addCalendarDays(today, -10) : addCalendarMonths(today, 6),
          user_id: user?.id ?? null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      memberIds.set(person.name, row.id);
      await trx
        .insertInto('panel_member_training')
        .values({
          member_id: row.id,
          course: 'Adoption panel induction (demo)',
          completed_on: addCalendarMonths(today, -17),
        })
        .execute();
    }
    await trx
      .insertInto('panel_member_interests')
      .values({
        member_id: memberIds.get('Samuel Fictionsby')!,
        declared_on: addCalendarMonths(today, -18),
        description: 'Employed by a member council: does not sit on cases of that council’s children.',
      })
      .execute();

    let sittings = 0;
    const sitters = sittingNames.map((name) => memberIds.get(name)!);
    const recent = lastWorkingDayOnOrBefore(today);
    for (const [index, spoke] of spokes.entries()) {
      const panel = await trx
        .insertInto('panels')
        .values({
          raa_id: raa.id,
          organisation_id: spoke.id,
          name: `${spoke.name.replace(/ spoke$/, '')} adoption panel`,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      // Past sittings two, four and six weeks ago, held with everyone present and papers on time;
      // then (for the first panel) one on the last working day, and two to come.
      const dates = [
        ...[42, 28, 14].map((days) => lastWorkingDayOnOrBefore(addCalendarDays(today, -days - index))),
        ...(index === 0 ? [recent] : []),
        addWorkingDays(today, 8 + index),
        addWorkingDays(today, 18 + index),
      ];
      for (const date of [...new Set(dates)].sort()) {
        const held = date < recent;
        const sitting = await trx
          .insertInto('panel_sittings')
          .values({
            panel_id: panel.id,
            sitting_date: date,
            starts_at: index === 0 ? '10:00' : '13:30',
            venue: index === 0 ? 'Southwark civic centre, room 3 (demo)' : 'Merton spoke office (demo)',
            attendance_recorded_at: held ? new Date(`${date}T12:00:00Z`) : null,
            chaired_by_member_id: held ? memberIds.get('Imogen Demo-Harcourt')! : null,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        if (date <= addWorkingDays(today, 10)) {
          const sent = papersDueBy(date);
          await trx
            .insertInto('panel_sitting_members')
            .values(
              sitters.map((memberId) => ({
                sitting_id: sitting.id,
                member_id: memberId,
                attendance: held ? ('present' as const) : ('invited' as const),
                papers_sent_on: sent <= today ? sent : null,
              })),
            )
            .execute();
        }
        sittings += 1;
      }
    }

    // A household whose assessment is done: on the fast track (approved foster carers), in Stage
    // Two, its Prospective Adopter's Report sent four weeks ago, so it is ready for panel.
    const household = await trx
      .insertInto('households')
      .values({
        reference: newReference(),
        raa_id: raa.id,
        relationship_status: 'L4',
        address_line_1: '7 Makebelieve Mews',
        town: 'London',
        postcode: 'SE22 9DM',
        postcode_district: 'SE22',
        approved_foster_carer: true,
        current_stage: 'stage_two',
        stage_since: addCalendarMonths(today, -5),
        offer: JSON.stringify({
          ageFrom: 0,
          ageTo: 4,
          maxChildren: 2,
          siblingGroups: true,
          earlyPermanence: true,
        }),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('household_applicants')
      .values([
        {
          household_id: household.id,
          position: 1,
          first_name: 'Morgan',
          last_name: 'Demo-Ashdown',
          date_of_birth: '1984-02-11',
          sex: '2',
          ethnicity: 'WBRI',
          disability: 'no',
        },
        {
          household_id: household.id,
          position: 2,
          first_name: 'Jamie',
          last_name: 'Demo-Ashdown',
          date_of_birth: '1986-07-23',
          sex: '2',
          ethnicity: 'MWBC',
          disability: 'yes',
        },
      ])
      .execute();
    const facts: Array<[string, string, Record<string, unknown>]> = [
      ['enquiry', addCalendarMonths(today, -7), {}],
      ['registration_of_interest_received', addCalendarDays(addCalendarMonths(today, -7), 7), {}],
      [
        'registration_of_interest_decision',
        addCalendarDays(addCalendarMonths(today, -7), 12),
        { registrationDecision: 'accepted', fastTrack: 'approved_foster_carer' },
      ],
      ['stage_two_notified', addCalendarMonths(today, -5), {}],
      ['prospective_adopters_report', addCalendarDays(today, -28), {}],
    ];
    for (const [kind, date, details] of facts) {
      await trx
        .insertInto('household_facts')
        .values({
          household_id: household.id,
          kind,
          effective_date: date,
          source: 'Demo data',
          details: JSON.stringify(details),
          recorded_at: new Date(`${date}T10:00:00Z`),
        })
        .execute();
    }
    await refreshHouseholdFunnel(trx, [household.id]);
    return { panels: spokes.length, members: centralList.length, sittings, ready: 1 };
  });
}
