// Synthetic prospective adopters for bench/adopters (issue 5, benchmark): households with
// coherent journeys as dated facts — enquiry, information event, registration of interest and its
// decision, Stage One with its checks, the Stage One outcome, Stage Two, the Prospective Adopter's
// Report, panel, agency decision, match and placement — with plausible gaps between steps and
// drop-outs (withdrawals with a reason, declined registrations, "not suitable", "not approved"),
// the fast track for foster carers and previous adopters, and a few corrected dates. Plus
// enquiries from people who never registered. Every name is invented and obviously so.
//
// The generator is pure and deterministic (a seeded mulberry32); the household's stage is derived
// with the pipeline's own currentStageSince. seedSyntheticHouseholds writes it in batches.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../platform/db/client.js';
import { addCalendarDays, calendarDaysBetween, type IsoDate } from '../../platform/time/index.js';
import { mulberry32 } from '../children/synthetic-children.js';
import { heardFromOptions } from './enquiry.forms.js';
import {
  currentStageSince,
  withdrawalReasons,
  type PipelineFact,
  type PipelineFactKind,
  type WithdrawalReason,
} from './pipeline.js';
import './enquiries.tables.js';
import './households.tables.js';

export const syntheticHouseholdSource = 'Synthetic data';

export interface SyntheticFact {
  id: string;
  kind: PipelineFactKind;
  date: IsoDate;
  details: Record<string, unknown>;
  supersedes: string | null;
}

export interface SyntheticHousehold {
  enquiryDate: IsoDate;
  councilIndex: number;
  heardFrom: string;
  previousExperience: 'none' | 'adopted' | 'foster_carer';
  facts: SyntheticFact[];
}

export interface SyntheticEnquiry {
  date: IsoDate;
  councilIndex: number;
  heardFrom: string;
  closedOn: IsoDate | null;
}

const sources = Object.keys(heardFromOptions);
// Roughly how people say they heard of an RAA: search and social media first.
const sourceWeights = [30, 22, 18, 8, 8, 9, 5];
const reasons = Object.keys(withdrawalReasons) as WithdrawalReason[];
const reasonWeights = [30, 20, 10, 8, 10, 5, 5, 10, 2];

function weighted<T>(next: () => number, items: readonly T[], weights: readonly number[]): T {
  const total = weights.reduce((a, b) => a + b, 0);
  let pick = next() * total;
  for (let i = 0; i < items.length; i += 1) {
    pick -= weights[i]!;
    if (pick < 0) return items[i]!;
  }
  return items[items.length - 1]!;
}

/**
 * `households` journeys and `enquiries` enquiries that never became households, with enquiry
 * dates spread evenly from `from` to `today`; nothing is dated after `today`.
 */
export function syntheticAdopters(options: {
  households: number;
  enquiries: number;
  councils: number;
  from: IsoDate;
  today: IsoDate;
  seed: number;
}): { households: SyntheticHousehold[]; enquiries: SyntheticEnquiry[] } {
  const next = mulberry32(options.seed);
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const chance = (p: number) => next() < p;
  const span = calendarDaysBetween(options.from, options.today);
  const households: SyntheticHousehold[] = [];

  for (let n = 0; n < options.households; n += 1) {
    const enquiryDate = addCalendarDays(options.from, int(0, span));
    const previousExperience = chance(0.06) ? 'foster_carer' : chance(0.04) ? 'adopted' : 'none';
    const facts: SyntheticFact[] = [];
    let stopped = false;
    const add = (kind: PipelineFactKind, date: IsoDate, details: Record<string, unknown> = {}) => {
      if (stopped || date > options.today) {
        stopped = true;
        return false;
      }
      facts.push({ id: randomUUID(), kind, date, details, supersedes: null });
      return true;
    };
    const withdraw = (date: IsoDate) => {
      const reason = weighted(next, reasons, reasonWeights);
      add('withdrawn', date, {
        withdrawalReason: reason,
        ...(reason === 'other' ? { reasonDetail: 'Synthetic reason' } : {}),
      });
      stopped = true;
    };

    const walk = (): void => {
      add('enquiry', enquiryDate);
      let day = enquiryDate;
      if (chance(0.8)) add('information_event_attended', (day = addCalendarDays(day, int(7, 45))));
      const received = addCalendarDays(day, int(7, 90));
      if (!add('registration_of_interest_received', received)) return;
      if (chance(0.07)) {
        add('registration_of_interest_decision', addCalendarDays(received, int(3, 10)), {
          registrationDecision: 'declined',
        });
        return;
      }
      const fastTrack =
        previousExperience === 'foster_carer'
          ? 'approved_foster_carer'
          : previousExperience === 'adopted'
            ? 'previous_adopter'
            : null;
      const accepted = addCalendarDays(received, int(1, 7));
      if (
        !add('registration_of_interest_decision', accepted, {
          registrationDecision: 'accepted',
          ...(fastTrack ? { fastTrack } : {}),
        })
      )
        return;

      let stageTwoFrom = accepted;
      if (!fastTrack) {
        const stageOne = addCalendarDays(accepted, int(0, 14));
        if (!add('stage_one_started', stageOne)) return;
        // A few start dates were first recorded wrongly and corrected.
        if (chance(0.03)) {
          const wrong = facts.at(-1)!;
          const corrected = addCalendarDays(stageOne, int(1, 5));
          if (corrected <= options.today) {
            facts.push({
              id: randomUUID(),
              kind: 'stage_one_started',
              date: corrected,
              details: {},
              supersedes: wrong.id,
            });
          }
        }
        for (const type of ['enhanced_dbs', 'medical']) {
          const asked = addCalendarDays(stageOne, int(1, 7));
          add('statutory_check', asked, { check: { type, subject: 'Applicant 1', step: 'requested' } });
          add('statutory_check', addCalendarDays(asked, int(10, 40)), {
            check: { type, subject: 'Applicant 1', step: 'received' },
          });
        }
        if (chance(0.15)) {
          withdraw(addCalendarDays(stageOne, int(10, 60)));
          return;
        }
        const outcomeDate = addCalendarDays(stageOne, int(50, 80));
        if (chance(0.05)) {
          add('stage_one_outcome', outcomeDate, { stageOneOutcome: 'not_suitable' });
          return;
        }
        if (!add('stage_one_outcome', outcomeDate, { stageOneOutcome: 'may_be_suitable' })) return;
        if (chance(0.08)) {
          withdraw(addCalendarDays(outcomeDate, int(20, 170)));
          return;
        }
        stageTwoFrom = outcomeDate;
      }
      const stageTwo = addCalendarDays(stageTwoFrom, int(7, 60));
      if (!add('stage_two_notified', stageTwo)) return;
      if (chance(0.1)) {
        withdraw(addCalendarDays(stageTwo, int(20, 110)));
        return;
      }
      const report = addCalendarDays(stageTwo, int(90, 130));
      if (!add('prospective_adopters_report', report)) return;
      const panel = addCalendarDays(report, int(14, 30));
      const suitable = !chance(0.03);
      if (!add('panel', panel, { panelRecommendation: suitable ? 'suitable' : 'not_suitable' })) return;
      const decided = addCalendarDays(panel, int(3, 10));
      if (!suitable) {
        if (!add('agency_decision', decided, { agencyDecision: 'qualifying_determination' })) return;
        add('agency_decision', addCalendarDays(decided, int(62, 80)), { agencyDecision: 'not_approved' });
        return;
      }
      if (!add('agency_decision', decided, { agencyDecision: 'approved' })) return;
      if (chance(0.35)) return; // still waiting for a match
      const matched = addCalendarDays(decided, int(60, 400));
      if (!add('matched', matched)) return;
      add('placed', addCalendarDays(matched, int(30, 60)));
    };
    walk();

    households.push({
      enquiryDate,
      councilIndex: int(0, options.councils - 1),
      heardFrom: weighted(next, sources, sourceWeights),
      previousExperience,
      facts,
    });
  }

  const enquiries: SyntheticEnquiry[] = [];
  for (let n = 0; n < options.enquiries; n += 1) {
    const date = addCalendarDays(options.from, int(0, span));
    const closedOn = chance(0.7) ? addCalendarDays(date, int(3, 60)) : null;
    enquiries.push({
      date,
      councilIndex: int(0, options.councils - 1),
      heardFrom: weighted(next, sources, sourceWeights),
      closedOn: closedOn && closedOn <= options.today ? closedOn : null,
    });
  }
  return { households, enquiries };
}

const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
/** A reference in the enquiry/household shape, numbered: prefix of four letters, then base 32. */
function syntheticReference(prefix: string, n: number): string {
  let code = '';
  for (let i = 0, rest = n; i < 4; i += 1, rest = Math.floor(rest / 32)) code = alphabet[rest % 32] + code;
  return `${prefix}-${code}`;
}

const noon = (date: IsoDate) => new Date(`${date}T12:00:00Z`);

/** Writes the synthetic adopters for one RAA and its councils (up to 32^4 of each), in batches. */
export async function seedSyntheticHouseholds(
  db: Db,
  options: {
    raaId: string;
    councilIds: readonly string[];
    households: number;
    enquiries: number;
    from: IsoDate;
    today: IsoDate;
    seed?: number;
    onProgress?: (written: number, total: number) => void;
  },
): Promise<{ households: number; enquiries: number; facts: number }> {
  const data = syntheticAdopters({
    households: options.households,
    enquiries: options.enquiries,
    councils: options.councilIds.length,
    from: options.from,
    today: options.today,
    seed: options.seed ?? 20_261_123,
  });
  const batch = 500;
  let facts = 0;
  for (let start = 0; start < data.households.length; start += batch) {
    const slice = data.households.slice(start, start + batch);
    await db.transaction().execute(async (trx) => {
      const enquiryIds = slice.map(() => randomUUID());
      const householdIds = slice.map(() => randomUUID());
      await trx
        .insertInto('adopter_enquiries')
        .values(
          slice.map((h, i) => ({
            id: enquiryIds[i],
            reference: syntheticReference('SYNE', start + i),
            raa_id: options.raaId,
            council_id: options.councilIds[h.councilIndex]!,
            name: `Synthetic Enquirer ${start + i}`,
            email: `enquirer-${start + i}@synthetic.kindred.invalid`,
            phone: null,
            postcode: 'SE15 5AB',
            postcode_district: 'SE15',
            applying_as: 'couple' as const,
            previous_experience: h.previousExperience,
            heard_from: h.heardFrom,
            message: null,
            status: 'invited' as const,
            created_at: noon(h.enquiryDate),
          })),
        )
        .execute();
      await trx
        .insertInto('households')
        .values(
          slice.map((h, i) => {
            const stage = currentStageSince(
              h.facts.map((f): PipelineFact => ({
                id: f.id,
                kind: f.kind,
                effectiveDate: f.date,
                source: syntheticHouseholdSource,
                recordedBy: 'synthetic',
                recordedAt: `${f.date}T12:00:00Z`,
                supersedes: f.supersedes,
                ...(f.details as Partial<PipelineFact>),
              })),
            );
            return {
              id: householdIds[i],
              reference: syntheticReference('SYNH', start + i),
              raa_id: options.raaId,
              council_id: options.councilIds[h.councilIndex]!,
              enquiry_id: enquiryIds[i],
              relationship_status: 'L11' as const,
              address_line_1: null,
              address_line_2: null,
              town: null,
              postcode: 'SE15 5AB',
              postcode_district: 'SE15',
              children_in_household: null,
              support_network: null,
              previous_adopter: h.previousExperience === 'adopted',
              approved_foster_carer: h.previousExperience === 'foster_carer',
              heard_from: h.heardFrom,
              assessing_social_worker_id: null,
              current_stage: stage.stage,
              stage_since: stage.since,
              created_by: null,
            };
          }),
        )
        .execute();
      const rows = slice.flatMap((h, i) =>
        h.facts.map((f) => ({
          id: f.id,
          household_id: householdIds[i]!,
          kind: f.kind,
          effective_date: f.date,
          source: syntheticHouseholdSource,
          recorded_by: null,
          recorded_at: noon(f.date),
          supersedes_id: f.supersedes,
          correction_reason: f.supersedes ? 'Date first recorded wrongly' : null,
          details: JSON.stringify(f.details),
        })),
      );
      // A correction refers to the fact before it, so facts go in in generation order.
      for (let at = 0; at < rows.length; at += 2_000) {
        await trx
          .insertInto('household_facts')
          .values(rows.slice(at, at + 2_000))
          .execute();
      }
      facts += rows.length;
      // The funnel's milestone columns, as recording each fact would have refreshed them.
      await sql`select refresh_household_funnel(${householdIds}::uuid[])`.execute(trx);
    });
    options.onProgress?.(Math.min(start + batch, data.households.length), data.households.length);
  }
  for (let start = 0; start < data.enquiries.length; start += 1_000) {
    const slice = data.enquiries.slice(start, start + 1_000);
    await db
      .insertInto('adopter_enquiries')
      .values(
        slice.map((e, i) => ({
          reference: syntheticReference('SYNQ', start + i),
          raa_id: options.raaId,
          council_id: options.councilIds[e.councilIndex]!,
          name: `Synthetic Enquirer Q${start + i}`,
          email: `enquiry-${start + i}@synthetic.kindred.invalid`,
          phone: null,
          postcode: 'SE15 5AB',
          postcode_district: 'SE15',
          applying_as: 'single' as const,
          previous_experience: 'none' as const,
          heard_from: e.heardFrom,
          message: null,
          status: e.closedOn ? ('closed' as const) : ('contacted' as const),
          closed_reason: e.closedOn ? 'Synthetic: decided not to go ahead' : null,
          triaged_at: e.closedOn ? noon(e.closedOn) : null,
          created_at: noon(e.date),
        })),
      )
      .execute();
  }
  return { households: data.households.length, enquiries: data.enquiries.length, facts };
}
