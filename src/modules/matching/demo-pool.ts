// The demo's pool of families (issue 6): invented households with coherent journeys from the
// adopters' synthetic generator, given applicants and what they can offer, so that matching,
// linking and sufficiency have something to show. About a third are moved to the partner
// agencies (the hub's other RAAs, voluntary adoption agencies) to show the partner pools and the
// interagency fee. Some demo children get matching considerations and a birth family district.
// Every name is invented and obviously so. Deterministic (mulberry32).
import type { Db } from '../../platform/db/client.js';
import { addCalendarMonths, todayInLondon } from '../../platform/time/index.js';
import { seedSyntheticHouseholds } from '../adopters/synthetic-households.js';
import { needAreas, type EthnicityCode, type NeedArea } from '../children/child-codes.js';
import { mulberry32 } from '../children/synthetic-children.js';
import { contactKinds, type ChildMatchingConsiderations, type ContactKind } from './matching-profiles.js';
import './matching.tables.js';

const applicantFirstNames = [
  'Ada-Demo',
  'Basil',
  'Cleo',
  'Dorian',
  'Edie',
  'Fitz',
  'Greer',
  'Hal',
  'Ines',
  'Jonno',
];
const applicantLastNames = [
  'Demoworth',
  'Madeup-Lane',
  'Pretendly',
  'Samplecroft',
  'Fictionsby',
  'Mockington',
];
// Applicants' own answer to the disability question (migration 0019): mostly "no", some "yes",
// a few who prefer not to say and some not asked yet, as a board would see in practice.
const demoDisabilities = [
  'no',
  'no',
  'yes',
  'no',
  null,
  'no',
  'not_stated',
  'no',
  'no',
  'yes',
  'no',
  null,
  'no',
  'no',
  'no',
  'yes',
  'no',
  'not_stated',
  'no',
  null,
] as const;
const ethnicities: EthnicityCode[] = [
  'WBRI',
  'WBRI',
  'WBRI',
  'WOTH',
  'MWBC',
  'BCRB',
  'BAFR',
  'AIND',
  'APKN',
  'WIRI',
];
const religions = ['Christian', 'Muslim', 'Hindu', 'No religion', 'No religion', 'Jewish', 'Sikh'];
const languages = [
  ['English'],
  ['English'],
  ['English', 'Polish'],
  ['English', 'Urdu'],
  ['English', 'Yoruba'],
];

export async function seedDemoPool(
  db: Db,
  options: { now: Date; households?: number; seed?: number },
): Promise<{ approved: number; partner: number }> {
  const next = mulberry32(options.seed ?? 20_261_203);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const chance = (p: number) => next() < p;
  const today = todayInLondon(options.now);

  const raa = await db
    .selectFrom('organisations')
    .select('id')
    .where('kind', '=', 'raa')
    .executeTakeFirstOrThrow();
  const councils = await db
    .selectFrom('organisations')
    .select(['id', 'postcode_districts'])
    .where('kind', '=', 'local_authority')
    .where('raa_id', '=', raa.id)
    .orderBy('code')
    .execute();
  const partners = await db
    .selectFrom('organisations')
    .select('id')
    .where('kind', 'in', ['partner_raa', 'voluntary_adoption_agency'])
    .orderBy('code')
    .execute();
  await seedSyntheticHouseholds(db, {
    raaId: raa.id,
    councilIds: councils.map((c) => c.id),
    households: options.households ?? 160,
    enquiries: 0,
    from: addCalendarMonths(today, -30),
    today,
    seed: options.seed ?? 20_261_203,
  });
  const approved = await db
    .selectFrom('households')
    .select(['id', 'council_id', 'relationship_status'])
    .where('current_stage', '=', 'approved')
    .orderBy('reference')
    .execute();
  const districts = new Map(councils.map((c) => [c.id, c.postcode_districts]));
  let partner = 0;
  for (const [index, household] of approved.entries()) {
    const ageFrom = chance(0.7) ? 0 : pick([1, 2, 3]);
    const ageTo = ageFrom + pick([2, 3, 4, 5, 7]);
    const canMeet = needAreas.filter(() => chance(0.45));
    const cannotMeet = needAreas.filter((area: NeedArea) => !canMeet.includes(area) && chance(0.2));
    const contact = contactKinds.filter((kind: ContactKind) => kind === 'letterbox' || chance(0.4));
    const toPartner = partners.length > 0 && index % 3 === 2;
    const district = pick(districts.get(household.council_id ?? '') ?? ['SE15']);
    await db
      .updateTable('households')
      .set({
        offer: JSON.stringify({
          ageFrom,
          ageTo,
          maxChildren: pick([1, 1, 2, 2, 3]),
          siblingGroups: chance(0.45),
          earlyPermanence: chance(0.35),
          needsCanMeetAreas: canMeet,
          needsCannotMeetAreas: cannotMeet,
          contactSupported: contact,
        }),
        postcode_district: district,
        postcode: `${district} 1AA`,
        ...(toPartner ? { raa_id: partners[index % partners.length]!.id, enquiry_id: null } : {}),
      })
      .where('id', '=', household.id)
      .execute();
    const applicants = household.relationship_status === 'L0' ? 1 : 2;
    const lastName = pick(applicantLastNames);
    await db
      .insertInto('household_applicants')
      .values(
        Array.from({ length: applicants }, (_, i) => ({
          household_id: household.id,
          position: (i + 1) as 1 | 2,
          first_name: pick(applicantFirstNames),
          last_name: lastName,
          date_of_birth: `${1975 + Math.floor(next() * 20)}-0${1 + Math.floor(next() * 9)}-1${Math.floor(next() * 9)}`,
          sex: pick(['1', '2'] as const),
          ethnicity: pick(ethnicities),
          religion: pick(religions),
          languages: pick(languages),
          // From the position in the pool, not the random stream, so the rest of the demo is unchanged.
          disability: demoDisabilities[(index * 2 + i) % demoDisabilities.length]!,
        })),
      )
      .onConflict((oc) => oc.columns(['household_id', 'position']).doNothing())
      .execute();
    if (toPartner) partner += 1;
  }

  // Matching considerations and a birth family district for some demo children.
  const children = await db
    .selectFrom('children')
    .select(['id', 'responsible_council_id'])
    .where('is_synthetic', '=', true)
    .orderBy('council_child_id')
    .execute();
  for (const [index, child] of children.entries()) {
    if (index % 2 === 1) continue;
    const considerations: ChildMatchingConsiderations = {
      heritage: chance(0.5),
      religion: chance(0.2),
      language: chance(0.2),
      contactRequired: chance(0.6) ? ['letterbox'] : [],
      separation: chance(0.3) ? 'outside_district' : 'none',
    };
    await db
      .updateTable('children')
      .set({ matching: JSON.stringify(considerations) })
      .where('id', '=', child.id)
      .execute();
    const district = pick(districts.get(child.responsible_council_id) ?? ['SE15']);
    await db
      .insertInto('child_birth_families')
      .values({ child_id: child.id, birth_family_postcode_district: district })
      .onConflict((oc) => oc.column('child_id').doUpdateSet({ birth_family_postcode_district: district }))
      .execute();
  }
  return { approved: approved.length, partner };
}
