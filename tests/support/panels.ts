// Test builders for panels (issue 7): households at a given point of their journey, written the way
// the households service writes them (facts, then the derived stage), a link ready for the
// matching panel, central-list members, and HTTP helpers for forms and uploads.
import { randomBytes } from 'node:crypto';
import type { SignedInUser } from './sign-in.js';
import type { TestApp } from './test-app.js';

const letters = () =>
  Array.from({ length: 4 }, () => 'ABCDEFGHJKLMNPQRSTUVWXYZ'[Math.floor(Math.random() * 24)]).join('');

type Fact = [kind: string, date: string, details?: Record<string, unknown>];

/** Facts of a fast-track household up to its Prospective Adopter's Report (Stage Two). */
export const reportSentFacts: Fact[] = [
  ['enquiry', '2026-03-01'],
  ['registration_of_interest_received', '2026-03-05'],
  [
    'registration_of_interest_decision',
    '2026-03-10',
    { registrationDecision: 'accepted', fastTrack: 'previous_adopter' },
  ],
  ['stage_two_notified', '2026-04-01'],
  ['prospective_adopters_report', '2026-09-15'],
];

export const approvedFacts: Fact[] = [
  ...reportSentFacts,
  ['panel', '2026-09-30', { panelRecommendation: 'suitable' }],
  ['agency_decision', '2026-10-05', { agencyDecision: 'approved' }],
];

export async function aHousehold(
  t: TestApp,
  raaId: string,
  options: {
    facts: Fact[];
    stage: string;
    stageSince: string;
    surname?: string;
    firstNames?: [string, string];
  },
): Promise<{ id: string; reference: string; names: string[] }> {
  const reference = `${letters()}-${letters()}`;
  const household = await t.database.db
    .insertInto('households')
    .values({
      reference,
      raa_id: raaId,
      relationship_status: 'L11',
      address_line_1: '12 Invented Road',
      town: 'London',
      postcode: 'SE22 8AA',
      postcode_district: 'SE22',
      current_stage: options.stage,
      stage_since: options.stageSince,
      offer: JSON.stringify({ ageFrom: 0, ageTo: 5, maxChildren: 2 }),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const surname = options.surname ?? `Family${randomBytes(2).toString('hex')}`;
  const [first, second] = options.firstNames ?? ['Robin', 'Alex'];
  await t.database.db
    .insertInto('household_applicants')
    .values(
      [first, second].map((name, index) => ({
        household_id: household.id,
        position: (index + 1) as 1 | 2,
        first_name: name,
        last_name: surname,
        date_of_birth: '1985-04-01',
        sex: '2' as const,
        ethnicity: 'WBRI',
      })),
    )
    .execute();
  for (const [kind, date, details] of options.facts) {
    await t.database.db
      .insertInto('household_facts')
      .values({
        household_id: household.id,
        kind,
        effective_date: date,
        source: 'Test',
        details: JSON.stringify(details ?? {}),
        recorded_at: new Date(`${date}T09:00:00Z`),
      })
      .execute();
  }
  return { id: household.id, reference, names: [`${first} ${surname}`, `${second} ${surname}`] };
}

export async function aMember(
  t: TestApp,
  raaId: string,
  role: string,
  options: { name?: string; qualifiedOn?: string | null; userId?: string | null } = {},
): Promise<string> {
  const row = await t.database.db
    .insertInto('panel_members')
    .values({
      raa_id: raaId,
      name: options.name ?? `${role.replaceAll('_', ' ')} ${randomBytes(2).toString('hex')}`,
      role: role as never,
      social_work_qualified_on: options.qualifiedOn ?? (role === 'social_worker' ? '2015-07-01' : null),
      appointed_on: '2025-01-06',
      review_due: '2027-01-06',
      user_id: options.userId ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export { formPost, pageText } from './http.js';

export function multipartPost(
  t: TestApp,
  actor: SignedInUser,
  url: string,
  fields: Record<string, string>,
  file: { field: string; filename: string; type: string; content: Buffer },
) {
  const boundary = `----kindred${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries({ _csrf: actor.csrfToken, ...fields })) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.filename}"\r\nContent-Type: ${file.type}\r\n\r\n`,
    ),
    file.content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return t.app.inject({
    method: 'POST',
    url,
    headers: { cookie: actor.cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat(parts),
  });
}

export const dateFields = (prefix: string, iso: string): Record<string, string> => {
  const [year = '', month = '', day = ''] = iso.split('-');
  return { [`${prefix}-day`]: day, [`${prefix}-month`]: month, [`${prefix}-year`]: year };
};

/** A minimal valid PDF (one empty page). */
export const tinyPdf = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);
