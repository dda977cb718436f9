// Test builders for adoption support (issue 8): a support case of an RAA with a family whose
// protected details are known, a child, a letterbox agreement with a writing birth relative, and
// the cross-organisation fixtures the route registry needs for every support route with an id.
import { randomBytes } from 'node:crypto';
import type { TestApp } from './test-app.js';

const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const letters = (n: number) =>
  Array.from({ length: n }, () => alphabet[Math.floor(Math.random() * alphabet.length)]).join('');

export interface FamilyDetails {
  familyName: string;
  surnames: string[];
  addressLine1: string;
  addressLine2?: string | null;
  town: string;
  postcode: string;
  email: string;
  phone: string;
  school: string;
}

/** Invented protected details, unique per call so tests cannot see each other's families. */
export function aFamily(overrides: Partial<FamilyDetails> = {}): FamilyDetails {
  const tag = randomBytes(2).toString('hex');
  const surname = `Quillfeather${tag}`;
  return {
    familyName: `Robin and Alex ${surname}`,
    surnames: [surname],
    addressLine1: '12 Lanternwick Row',
    addressLine2: 'Marrowfield Close',
    town: 'Brindleton',
    postcode: 'SE22 9QX',
    email: `${surname.toLowerCase()}@example.test`,
    phone: '020 7946 0123',
    school: 'Hollyhock Primary School',
    ...overrides,
  };
}

export async function aSupportCase(
  t: TestApp,
  raaId: string,
  options: {
    kind?: 'adoptive_family' | 'adopted_adult' | 'birth_relative';
    family?: FamilyDetails;
    workerId?: string | null;
    placingCouncilId?: string | null;
    person?: { firstName?: string; lastName?: string; adoptedOn?: string | null; relationship?: string };
  } = {},
): Promise<string> {
  const kind = options.kind ?? 'adoptive_family';
  const family = kind === 'adoptive_family' ? (options.family ?? aFamily()) : null;
  const row = await t.database.db
    .insertInto('support_cases')
    .values({
      reference: `${letters(4)}-${letters(4)}`,
      raa_id: raaId,
      kind,
      referral_on: '2026-09-01',
      referral_source: 'self',
      referral_reason: 'Asked for help with letterbox contact',
      allocated_worker_id: options.workerId ?? null,
      placing_council_id: options.placingCouncilId ?? null,
      family_name: family?.familyName ?? null,
      family_surnames: family?.surnames ?? [],
      address_line_1: family?.addressLine1 ?? null,
      address_line_2: family?.addressLine2 ?? null,
      town: family?.town ?? null,
      postcode: family?.postcode ?? null,
      postcode_district: family?.postcode.split(' ')[0] ?? null,
      email: family?.email ?? null,
      phone: family?.phone ?? null,
      school: family?.school ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (kind !== 'adoptive_family') {
    await t.database.db
      .insertInto('support_people')
      .values({
        case_id: row.id,
        first_name: options.person?.firstName ?? 'Pat',
        last_name: options.person?.lastName ?? `Example${randomBytes(2).toString('hex')}`,
        date_of_birth: '1970-01-01',
        relationship: (options.person?.relationship ??
          (kind === 'adopted_adult' ? 'adopted_adult' : 'birth_mother')) as never,
        adopted_on:
          kind === 'adopted_adult'
            ? options.person?.adoptedOn === undefined
              ? '1972-03-01'
              : options.person.adoptedOn
            : null,
        address_line_1: null,
        town: null,
        postcode: null,
        email: null,
        phone: null,
      })
      .execute();
  }
  return row.id;
}

export async function aSupportChild(
  t: TestApp,
  caseId: string,
  options: {
    firstName?: string;
    lastName?: string;
    birthFirstName?: string | null;
    birthLastName?: string | null;
  } = {},
): Promise<string> {
  const row = await t.database.db
    .insertInto('support_children')
    .values({
      case_id: caseId,
      first_name: options.firstName ?? 'Maya',
      last_name: options.lastName ?? 'Quillfeather',
      birth_first_name: options.birthFirstName === undefined ? 'Maya' : options.birthFirstName,
      birth_last_name: options.birthLastName === undefined ? 'Thornbury' : options.birthLastName,
      date_of_birth: '2018-04-01',
      adoption_order_on: '2020-02-01',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface AgreementFixture {
  agreementId: string;
  familyPartyId: string;
  relativePartyId: string;
}

/** An active agreement: letters in March and September from 2023, the family and a birth mother both writing. */
export async function anAgreement(
  t: TestApp,
  caseId: string,
  options: {
    raaId: string;
    childId?: string | null;
    status?: 'active' | 'ended';
    months?: number[];
    nextDueOn?: string;
    relative?: {
      name?: string;
      town?: string;
      postcode?: string;
      email?: string | null;
      prefersEmail?: boolean;
    };
  },
): Promise<AgreementFixture> {
  const ended = options.status === 'ended';
  const agreement = await t.database.db
    .insertInto('letterbox_agreements')
    .values({
      reference: `LB-${letters(6)}`,
      case_id: caseId,
      raa_id: options.raaId,
      support_child_id: options.childId ?? null,
      months: options.months ?? [3, 9],
      starts_on: '2023-03-01',
      status: ended ? 'ended' : 'active',
      ended_on: ended ? '2026-06-30' : null,
      end_reason: ended ? 'Reviewed and ended' : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const family = await t.database.db
    .insertInto('letterbox_parties')
    .values({
      agreement_id: agreement.id,
      side: 'adoptive_family',
      name: 'Mum and Dad',
      relationship: 'Adoptive family',
      writes: true,
      receives: true,
      address_line_1: null,
      address_line_2: null,
      town: null,
      postcode: null,
      email: null,
      phone: null,
      next_due_on: options.nextDueOn ?? '2023-03-01',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const relative = await t.database.db
    .insertInto('letterbox_parties')
    .values({
      agreement_id: agreement.id,
      side: 'birth_relative',
      name: options.relative?.name ?? 'Jo Thornbury',
      relationship: 'Birth mother',
      writes: true,
      receives: true,
      address_line_1: '4 Example Street',
      address_line_2: null,
      town: options.relative?.town ?? 'Lewisham',
      postcode: options.relative?.postcode ?? 'SE13 0ZZ',
      email: options.relative?.email === undefined ? 'jo.thornbury@example.test' : options.relative.email,
      phone: '07700 900123',
      prefers_email: options.relative?.prefersEmail ?? false,
      next_due_on: options.nextDueOn ?? '2023-03-01',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { agreementId: agreement.id, familyPartyId: family.id, relativePartyId: relative.id };
}

export async function anExchange(
  t: TestApp,
  agreementId: string,
  fromPartyId: string,
  options: {
    status?: 'received' | 'checked' | 'forwarded' | 'held';
    text?: string;
    redacted?: string | null;
    period?: string;
    heldBy?: string | null;
  } = {},
): Promise<string> {
  const status = options.status ?? 'received';
  const row = await t.database.db
    .insertInto('letterbox_exchanges')
    .values({
      agreement_id: agreementId,
      from_party_id: fromPartyId,
      for_period: options.period ?? '2026-09-01',
      received_on: '2026-09-10',
      original_text: options.text ?? 'Dear Jo, Maya has had a lovely summer and loves drawing.',
      redacted_text:
        status === 'received' ? null : (options.redacted ?? options.text ?? 'Maya has had a lovely summer.'),
      redaction_note: status === 'received' ? null : 'Nothing identifying found',
      status,
      held_reason: status === 'held' ? 'Upsetting content to discuss with the family' : null,
      held_by: status === 'held' ? (options.heldBy ?? null) : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

type Fixture = (t: TestApp, otherOrganisationId: string) => Promise<Record<string, string>>;

const caseOf: Fixture = async (t, other) => ({ id: await aSupportCase(t, other) });
const restrictedCaseOf: Fixture = async (t, other) => ({
  id: await aSupportCase(t, other, { kind: 'adopted_adult' }),
});

const agreementOf = async (t: TestApp, other: string) => {
  const caseId = await aSupportCase(t, other);
  return { caseId, ...(await anAgreement(t, caseId, { raaId: other })) };
};

/** One fixture per support route with a path parameter, for tests/integration/access-route-registry.test.ts. */
export const supportCrossOrganisationFixtures: Record<string, Fixture> = {
  '/support/cases/:id': caseOf,
  '/support/cases/:id/edit': caseOf,
  '/support/cases/:id/children': caseOf,
  '/support/cases/:id/assessments': caseOf,
  '/support/cases/:id/plans': caseOf,
  '/support/cases/:id/liaison': caseOf,
  '/support/cases/:id/records': restrictedCaseOf,
  '/support/cases/:id/fund/new': caseOf,
  '/support/cases/:id/fund': caseOf,
  '/support/cases/:id/letterbox/new': caseOf,
  '/support/cases/:id/letterbox': caseOf,
  '/support/liaison/cases/:id': caseOf,
  '/support/assessments/:id': async (t, other) => {
    const caseId = await aSupportCase(t, other);
    const row = await t.database.db
      .insertInto('support_assessments')
      .values({ case_id: caseId, requested_on: '2026-09-01', due_on: '2026-10-13' })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: row.id };
  },
  '/support/plans/:id/review': async (t, other) => {
    const caseId = await aSupportCase(t, other);
    const row = await t.database.db
      .insertInto('support_plans')
      .values({ case_id: caseId, agreed_on: '2026-09-01', review_on: '2027-03-01', summary: 'A plan' })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: row.id };
  },
  '/support/fund/:id': async (t, other) => {
    const caseId = await aSupportCase(t, other);
    const childId = await aSupportChild(t, caseId);
    const row = await t.database.db
      .insertInto('support_fund_applications')
      .values({
        case_id: caseId,
        raa_id: other,
        support_child_id: childId,
        financial_year: 2026,
        category: 'therapy',
        service_type: 'theraplay',
        provider_name: 'A provider',
        description: 'Theraplay',
        starts_on: '2026-10-01',
        total_cost_pence: 100_000,
        fund_share_pence: 100_000,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: row.id };
  },
  '/support/offer/:id': async (t, other) => {
    const row = await t.database.db
      .insertInto('support_offer_items')
      .values({
        raa_id: other,
        kind: 'event',
        audience: 'families',
        title: 'Their picnic',
        held_on: '2026-08-01',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: row.id };
  },
  '/support/offer/:id/attendance': async (t, other) =>
    supportCrossOrganisationFixtures['/support/offer/:id']!(t, other),
  '/support/letterbox/:id': async (t, other) => ({ id: (await agreementOf(t, other)).agreementId }),
  '/support/letterbox/:id/end': async (t, other) => ({ id: (await agreementOf(t, other)).agreementId }),
  '/support/letterbox/:id/items': async (t, other) => ({ id: (await agreementOf(t, other)).agreementId }),
  ...Object.fromEntries(
    ['', '/check', '/hold', '/forward', '/acknowledge', '/held-notice'].map((suffix) => [
      `/support/letterbox-items/:id${suffix}`,
      (async (t, other) => {
        const { agreementId, relativePartyId } = await agreementOf(t, other);
        return { id: await anExchange(t, agreementId, relativePartyId) };
      }) satisfies Fixture,
    ]),
  ),
  '/support/letterbox-outputs/:id': async (t, other) => {
    const { agreementId, relativePartyId } = await agreementOf(t, other);
    const row = await t.database.db
      .insertInto('letterbox_outputs')
      .values({
        agreement_id: agreementId,
        party_id: relativePartyId,
        audience: 'adoptive_family',
        kind: 'family-reminder-letter',
        channel: 'letter',
        view: null,
        subject: 'A letter',
        body: 'Text',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: row.id };
  },
  ...Object.fromEntries(
    ['', '/checks', '/outcome'].map((suffix) => [
      `/support/records/:id${suffix}`,
      (async (t, other) => {
        const caseId = await aSupportCase(t, other, { kind: 'adopted_adult' });
        const row = await t.database.db
          .insertInto('support_record_requests')
          .values({
            case_id: caseId,
            raa_id: other,
            kind: 'birth_records_counselling',
            received_on: '2026-09-01',
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        return { id: row.id };
      }) satisfies Fixture,
    ]),
  ),
};
