// Issue 4 §1, §2, §6 and its "Bad input": a child's record over real HTTP on a real database.
// Council staff reach their own council's children, RAA staff their member councils'; restricted
// parts only with the role that needs them; every view and change audited; impossible journeys,
// duplicates, stale edits, bad sibling links and bad photos refused with a message and no write.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { anOrganisation, signedInUser, type SignedInUser } from '../support/sign-in.js';
import { aChild } from '../support/children.js';

let t: TestApp;
let raaId: string;
let spokeId: string;
let councilA: string;
let councilB: string;
let councilWorkerA: SignedInUser;
let councilWorkerB: SignedInUser;
let familyFinder: SignedInUser;
let decisionMaker: SignedInUser;
let performanceOfficer: SignedInUser;

beforeAll(async () => {
  t = await createTestApp();
  raaId = await anOrganisation(t, { kind: 'raa', name: 'Adopt Example' });
  spokeId = await anOrganisation(t, { kind: 'spoke', parentId: raaId, raaId, name: 'Example South' });
  councilA = await anOrganisation(t, {
    kind: 'local_authority',
    parentId: spokeId,
    raaId,
    name: 'Council A',
  });
  councilB = await anOrganisation(t, {
    kind: 'local_authority',
    parentId: spokeId,
    raaId,
    name: 'Council B',
  });
  councilWorkerA = await signedInUser(t, { roles: ['la_social_worker'], organisationId: councilA });
  councilWorkerB = await signedInUser(t, { roles: ['la_social_worker'], organisationId: councilB });
  familyFinder = await signedInUser(t, {
    roles: ['family_finder'],
    organisationId: spokeId,
    name: 'Fran Finder',
  });
  decisionMaker = await signedInUser(t, { roles: ['agency_decision_maker'], organisationId: councilA });
  performanceOfficer = await signedInUser(t, { roles: ['performance_officer'], organisationId: raaId });
});
afterAll(async () => {
  await t?.close();
});

const get = (actor: { cookie: string }, url: string) =>
  t.app.inject({ method: 'GET', url, headers: { cookie: actor.cookie } });

function post(actor: SignedInUser, url: string, fields: Record<string, string>) {
  return t.app.inject({
    method: 'POST',
    url,
    headers: { cookie: actor.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: actor.csrfToken, ...fields }).toString(),
  });
}

const childFields = (overrides: Record<string, string> = {}) => ({
  councilId: councilA,
  councilChildId: `A${Math.random().toString(36).slice(2, 9)}`,
  firstName: 'Robin',
  lastName: 'Example',
  'dateOfBirth-day': '4',
  'dateOfBirth-month': '5',
  'dateOfBirth-year': '2021',
  sex: '2',
  ethnicity: 'BCRB',
  earlyPermanence: 'being_considered',
  'needs-development': 'Speech delay; assessment awaited',
  'needs-development-uncertain': 'yes',
  ...overrides,
});

const dateParts = (prefix: string, iso: string) => {
  const [year, month, day] = iso.split('-');
  return {
    [`${prefix}-day`]: String(Number(day)),
    [`${prefix}-month`]: String(Number(month)),
    [`${prefix}-year`]: year!,
  };
};

async function audits(action: string, subjectId?: string) {
  let query = t.database.db
    .selectFrom('audit_events')
    .select(['outcome', 'reason', 'actor_user_id'])
    .where('action', '=', action);
  if (subjectId) query = query.where('subject_id', '=', subjectId);
  return query.orderBy('seq').execute();
}

const childCount = async () =>
  Number(
    (
      await t.database.db
        .selectFrom('children')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

const errorSummary = (html: string) =>
  /govuk-error-summary__list">([\s\S]*?)<\/ul>/
    .exec(html)?.[1]
    ?.replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim() ?? '';

describe('adding a child (issue 4 §1)', () => {
  it('adds a child from the form, audits it and shows the hard-to-place profile', async () => {
    const fields = childFields();
    const response = await post(councilWorkerA, '/children', fields);
    expect(response.statusCode).toBe(303);
    const childId = /\/children\/([0-9a-f-]{36})/.exec(response.headers.location as string)![1]!;
    const page = await get(councilWorkerA, `/children/${childId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Robin Example');
    expect(page.body).toContain('Caribbean');
    expect(page.body).toContain('Black or minority ethnic heritage');
    expect(page.body).toContain('Developmental uncertainty');
    expect(page.body).toContain('Record a family-finding strategy');
    expect(await audits('child.create', childId)).toEqual([
      expect.objectContaining({ outcome: 'success', actor_user_id: councilWorkerA.userId }),
    ]);
    expect(await audits('child.view', childId)).toHaveLength(1);
  });

  it('refuses a duplicate council child id with a message and writes nothing', async () => {
    const fields = childFields({ councilChildId: 'DUP001' });
    expect((await post(councilWorkerA, '/children', fields)).statusCode).toBe(303);
    const before = await childCount();
    const again = await post(councilWorkerA, '/children', { ...fields, councilChildId: 'dup001' });
    expect(again.statusCode).toBe(400);
    expect(errorSummary(again.body)).toBe('Council A already has a child with the ID dup001 in Kindred');
    expect(again.body).toContain('value="Robin"');
    expect(await childCount()).toBe(before);
  });

  it('refuses a council outside the actor’s scope, a future date of birth and missing fields', async () => {
    const before = await childCount();
    const otherCouncil = await post(councilWorkerB, '/children', childFields({ councilId: councilA }));
    expect(otherCouncil.statusCode).toBe(400);
    expect(errorSummary(otherCouncil.body)).toContain("Select the child's council from the list");
    const future = await post(
      councilWorkerA,
      '/children',
      childFields(dateParts('dateOfBirth', '2027-01-01')),
    );
    expect(errorSummary(future.body)).toBe('The date of birth must be today or in the past');
    const empty = await post(councilWorkerA, '/children', { councilId: '', ethnicity: '' });
    expect(empty.statusCode).toBe(400);
    // In the order of the page, and a blank choice reads as nothing chosen.
    expect(errorSummary(empty.body)).toMatch(
      /^Select the child's council Enter the council's child ID Enter the child's first name Enter the child's last name Enter the date of birth Select the child's sex Select the child's ethnicity /,
    );
    expect(errorSummary(empty.body)).toContain("Enter the council's child ID");
    expect(errorSummary(empty.body)).toContain("Enter the child's first name");
    expect(errorSummary(empty.body)).toContain('Enter the date of birth');
    expect(await childCount()).toBe(before);
    expect((await audits('child.create')).filter((a) => a.outcome === 'denied')).toHaveLength(1);
  });
});

describe('who sees a child (issue 4 §6, AC-2)', () => {
  it('lets the child’s council and the RAA in; another council gets 404 and the refusal is audited', async () => {
    const childId = await aChild(t, { councilId: councilA, firstName: 'Ash' });
    expect((await get(councilWorkerA, `/children/${childId}`)).statusCode).toBe(200);
    expect((await get(familyFinder, `/children/${childId}`)).statusCode).toBe(200);
    expect((await get(councilWorkerB, `/children/${childId}`)).statusCode).toBe(404);
    expect(await audits('child.view', childId)).toEqual([
      expect.objectContaining({ outcome: 'success', actor_user_id: councilWorkerA.userId }),
      expect.objectContaining({ outcome: 'success', actor_user_id: familyFinder.userId }),
      expect.objectContaining({ outcome: 'denied', actor_user_id: councilWorkerB.userId }),
    ]);
    const boardB = await get(councilWorkerB, '/children?q=Ash');
    expect(boardB.body).not.toContain(childId);
  });

  it('shows the birth family only to roles that need to know, and audits each reading', async () => {
    const childId = await aChild(t, { councilId: councilA });
    const saved = await post(councilWorkerA, `/children/${childId}/birth-family/edit`, {
      version: '1',
      birthMotherName: 'Jo Birthparent',
      birthFamilyPostcodeDistrict: 'se15',
    });
    expect(saved.statusCode).toBe(303);
    const asDecisionMaker = await get(decisionMaker, `/children/${childId}/birth-family`);
    expect(asDecisionMaker.statusCode).toBe(200);
    expect(asDecisionMaker.body).toContain('Jo Birthparent');
    expect(asDecisionMaker.body).toContain('SE15');
    const asPerformance = await get(performanceOfficer, `/children/${childId}/birth-family`);
    expect(asPerformance.statusCode).toBe(403);
    const record = await get(performanceOfficer, `/children/${childId}`);
    expect(record.statusCode).toBe(200);
    expect(record.body).not.toContain('Jo Birthparent');
    expect(record.body).not.toContain('/birth-family');
    expect(await audits('child.birth-family.view', childId)).toEqual([
      expect.objectContaining({ outcome: 'success', actor_user_id: decisionMaker.userId }),
    ]);
    expect(await audits('child.birth-family.update', childId)).toHaveLength(1);
    // The decision maker reads but does not change the record.
    const change = await post(decisionMaker, `/children/${childId}/birth-family/edit`, {
      version: '2',
      birthMotherName: 'X',
    });
    expect(change.statusCode).toBe(403);
  });
});

describe('the journey as dated facts (issue 4 §2)', () => {
  it('records facts, derives the stage and refuses impossible sequences with a sentence', async () => {
    const childId = await aChild(t, { councilId: councilA, dateOfBirth: '2022-01-10' });
    const record = (kind: string, date: string, extra: Record<string, string> = {}) =>
      post(councilWorkerA, `/children/${childId}/journey`, {
        kind,
        source: 'Council case system',
        ...dateParts('effectiveDate', date),
        ...extra,
      });

    const placedFirst = await record('placed_for_adoption', '2024-01-01');
    expect(placedFirst.statusCode).toBe(400);
    expect(errorSummary(placedFirst.body)).toBe(
      'The child cannot be placed for adoption before a match decision is recorded',
    );
    const beforeBirth = await record('entered_care', '2021-12-01');
    expect(errorSummary(beforeBirth.body)).toBe(
      "The date the child entered care cannot be before the child's date of birth",
    );
    const future = await record('entered_care', '2027-01-01');
    expect(errorSummary(future.body)).toBe('The date the child entered care cannot be in the future');

    expect((await record('entered_care', '2023-01-10')).statusCode).toBe(303);
    expect((await record('should_be_placed_decision', '2023-09-20')).statusCode).toBe(303);
    expect((await record('placement_order', '2023-11-15')).statusCode).toBe(303);
    const row = await t.database.db
      .selectFrom('children')
      .selectAll()
      .where('id', '=', childId)
      .executeTakeFirstOrThrow();
    expect(row.current_stage).toBe('family_finding');
    expect(row.placement_order_date).toBe('2023-11-15');
    const page = await get(councilWorkerA, `/children/${childId}`);
    expect(page.body).toContain('Family finding');
    expect(page.body).toContain('No match 6 months after the placement order');
    expect(page.body).toContain('No family finder 10 working days after the decision');
    const facts = await t.database.db
      .selectFrom('child_journey_facts')
      .select('kind')
      .where('child_id', '=', childId)
      .execute();
    expect(facts).toHaveLength(3);
  });

  it('corrects a date by superseding it with a reason; the old fact stays', async () => {
    const childId = await aChild(t, {
      councilId: councilA,
      facts: [
        ['entered_care', '2023-02-01'],
        ['placement_order', '2023-12-01'],
      ],
    });
    const original = await t.database.db
      .selectFrom('child_journey_facts')
      .select('id')
      .where('child_id', '=', childId)
      .where('kind', '=', 'placement_order')
      .executeTakeFirstOrThrow();
    const withoutReason = await post(councilWorkerA, `/children/${childId}/journey`, {
      kind: 'placement_order',
      supersedes: original.id,
      source: 'Court order',
      ...dateParts('effectiveDate', '2023-12-04'),
    });
    expect(errorSummary(withoutReason.body)).toBe('Give a reason for the correction');
    const corrected = await post(councilWorkerA, `/children/${childId}/journey`, {
      kind: 'placement_order',
      supersedes: original.id,
      source: 'Court order',
      correctionReason: 'Sealed order shows the 4th',
      ...dateParts('effectiveDate', '2023-12-04'),
    });
    expect(corrected.statusCode).toBe(303);
    const facts = await t.database.db
      .selectFrom('child_journey_facts')
      .selectAll()
      .where('child_id', '=', childId)
      .where('kind', '=', 'placement_order')
      .execute();
    expect(facts.map((f) => f.effective_date).sort()).toEqual(['2023-12-01', '2023-12-04']);
    const row = await t.database.db
      .selectFrom('children')
      .select('placement_order_date')
      .where('id', '=', childId)
      .executeTakeFirstOrThrow();
    expect(row.placement_order_date).toBe('2023-12-04');
    const again = await post(councilWorkerA, `/children/${childId}/journey`, {
      kind: 'placement_order',
      supersedes: original.id,
      source: 'Court order',
      correctionReason: 'twice',
      ...dateParts('effectiveDate', '2023-12-05'),
    });
    expect(errorSummary(again.body)).toBe(
      'That fact has already been corrected: correct the correction instead',
    );
    expect(await audits('child.journey.correct', childId)).toEqual([
      expect.objectContaining({ outcome: 'failed' }),
      expect.objectContaining({ outcome: 'success' }),
      expect.objectContaining({ outcome: 'failed' }),
    ]);
  });

  it('never lets a fact be changed or deleted in the database', async () => {
    const childId = await aChild(t, { councilId: councilA, facts: [['entered_care', '2023-02-01']] });
    await expect(
      t.database.db
        .updateTable('child_journey_facts')
        .set({ effective_date: '2023-02-02' })
        .where('child_id', '=', childId)
        .execute(),
    ).rejects.toThrow(/never changed or deleted/);
  });
});

describe('stale edits (issue 4, Bad input; design.md §4)', () => {
  it('shows both versions at 409 and keeps what was typed; nothing is overwritten', async () => {
    const childId = await aChild(t, { councilId: councilA, firstName: 'Kit', lastName: 'Original' });
    const first = await post(
      familyFinder,
      `/children/${childId}/edit`,
      childFields({
        version: '1',
        firstName: 'Kit',
        lastName: 'Saved-First',
        councilId: '',
        councilChildId: '',
      }),
    );
    expect(first.statusCode).toBe(303);
    const second = await post(
      councilWorkerA,
      `/children/${childId}/edit`,
      childFields({
        version: '1',
        firstName: 'Kit',
        lastName: 'Typed-Second',
        ethnicity: 'WBRI',
        contactPlan: 'Letterbox twice a year',
      }),
    );
    expect(second.statusCode).toBe(409);
    expect(second.body).toContain('Someone else changed this record');
    expect(second.body).toContain('Saved-First');
    expect(second.body).toContain('Typed-Second');
    expect(second.body).toContain('Letterbox twice a year');
    // Coded fields are compared too, shown by their labels.
    expect(second.body).toMatch(/Ethnicity<\/th>\s*<td[^>]*>Caribbean<\/td>\s*<td[^>]*>White British<\/td>/);
    expect(second.body).not.toMatch(/>Date of birth<\/th>/);
    expect(second.body).toContain('name="version" value="2"');
    const row = await t.database.db
      .selectFrom('children')
      .select(['last_name', 'version'])
      .where('id', '=', childId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ last_name: 'Saved-First', version: 2 });
  });
});

describe('stale edits of restricted parts', () => {
  it('keeps what was typed in the birth family form at 409 and saves nothing', async () => {
    const childId = await aChild(t, { councilId: councilA });
    expect(
      (await post(familyFinder, `/children/${childId}/birth-family/edit`, { version: '1', notes: 'First' }))
        .statusCode,
    ).toBe(303);
    const stale = await post(councilWorkerA, `/children/${childId}/birth-family/edit`, {
      version: '1',
      notes: 'A long note typed over an hour',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Someone else changed this record after you opened the form');
    expect(stale.body).toContain('A long note typed over an hour');
    expect(stale.body).toContain('name="version" value="2"');
    const row = await t.database.db
      .selectFrom('child_birth_families')
      .select('notes')
      .where('child_id', '=', childId)
      .executeTakeFirstOrThrow();
    expect(row.notes).toBe('First');
  });
});

describe('siblings (issue 4 §1, Bad input)', () => {
  it('links siblings, refuses a link to self and a link that would close a cycle', async () => {
    const [a, b, c] = [
      await aChild(t, { councilId: councilA, councilChildId: 'SIBA', firstName: 'Amy' }),
      await aChild(t, { councilId: councilA, councilChildId: 'SIBB', firstName: 'Ben' }),
      await aChild(t, { councilId: councilA, councilChildId: 'SIBC', firstName: 'Cal' }),
    ];
    const link = (from: string, to: string, plan = 'together', reason = '') =>
      post(councilWorkerA, `/children/${from}/siblings`, {
        siblingCouncilId: councilA,
        siblingChildId: to,
        placementPlan: plan,
        reason,
      });
    expect(errorSummary((await link(a, 'SIBA')).body)).toBe('A child cannot be linked as their own sibling');
    expect((await link(a, 'SIBB')).statusCode).toBe(303);
    expect(errorSummary((await link(b, 'sibc', 'apart')).body)).toBe(
      'Give the reason the children are to be placed apart',
    );
    expect((await link(b, 'SIBC', 'apart', 'Different needs')).statusCode).toBe(303);
    const cycle = await link(c, 'SIBA', 'together');
    expect(cycle.statusCode).toBe(400);
    expect(errorSummary(cycle.body)).toContain('are already in the same sibling group through other links');
    expect(
      await t.database.db
        .selectFrom('child_sibling_links')
        .select('id')
        .where('child_a_id', 'in', [a, b, c])
        .execute(),
    ).toHaveLength(2);
    const rows = await t.database.db
      .selectFrom('children')
      .select(['id', 'sibling_group_size', 'hard_to_place_tags'])
      .where('id', 'in', [a, b, c])
      .execute();
    expect(rows.every((r) => r.sibling_group_size === 3)).toBe(true);
    expect(rows.find((r) => r.id === a)!.hard_to_place_tags).toContain('sibling_group');
    expect(rows.find((r) => r.id === c)!.hard_to_place_tags).not.toContain('sibling_group');
    const page = await get(councilWorkerA, `/children/${a}`);
    expect(page.body).toContain('To be placed together');
    expect(page.body).toContain('Related through another sibling');
  });
});

describe('photos (issue 4 §1, Bad input)', () => {
  const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(100, 1)]);

  function upload(actor: SignedInUser, childId: string, content: Buffer, filename: string, type: string) {
    const boundary = '----kindredtest';
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${actor.csrfToken}\r\n`,
      ),
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="photo"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`,
      ),
      content,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return t.app.inject({
      method: 'POST',
      url: `/children/${childId}/photos`,
      headers: { cookie: actor.cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: body,
    });
  }

  it('stores a real PNG, serves it only to restricted roles, and refuses other files by their bytes', async () => {
    const childId = await aChild(t, { councilId: councilA });
    expect((await upload(familyFinder, childId, png, 'me.png', 'image/png')).statusCode).toBe(303);
    const disguised = await upload(
      familyFinder,
      childId,
      Buffer.from('<script>alert(1)</script>'),
      'me.png',
      'image/png',
    );
    expect(disguised.statusCode).toBe(400);
    expect(errorSummary(disguised.body)).toBe('The photo must be a JPG or PNG');
    const big = await upload(
      familyFinder,
      childId,
      Buffer.concat([png, Buffer.alloc(5 * 1024 * 1024)]),
      'big.png',
      'image/png',
    );
    expect(big.statusCode).toBe(400);
    expect(errorSummary(big.body)).toBe('The photo must be smaller than 5 MB');
    const photos = await t.database.db
      .selectFrom('child_photos')
      .select('id')
      .where('child_id', '=', childId)
      .execute();
    expect(photos).toHaveLength(1);
    const served = await get(familyFinder, `/children/${childId}/photos/${photos[0]!.id}`);
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toBe('image/png');
    expect((await get(performanceOfficer, `/children/${childId}/photos/${photos[0]!.id}`)).statusCode).toBe(
      403,
    );
    expect(await audits('child.photo.view', childId)).toHaveLength(1);
  });
});
