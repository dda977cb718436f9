// Issue 4 §4 and §5: the tracking board with its filters and CSV, the work the service schedule
// raises, "My work", and the reminder emails, over real HTTP and a real SMTP sink.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendTaskReminders } from '../../src/modules/work/work.service.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { anOrganisation, signedInUser, type SignedInUser } from '../support/sign-in.js';
import { aChild } from '../support/children.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { createMailer } from '../../src/platform/mail/mailer.js';

let t: TestApp;
let raaId: string;
let spokeEast: string;
let spokeWest: string;
let councilA: string;
let councilB: string;
let councilC: string;
let familyFinder: SignedInUser;
let councilWorkerA: SignedInUser;

beforeAll(async () => {
  t = await createTestApp();
  raaId = await anOrganisation(t, { kind: 'raa', name: 'Adopt Board' });
  spokeEast = await anOrganisation(t, { kind: 'spoke', parentId: raaId, raaId, name: 'Board East' });
  spokeWest = await anOrganisation(t, { kind: 'spoke', parentId: raaId, raaId, name: 'Board West' });
  councilA = await anOrganisation(t, {
    kind: 'local_authority',
    parentId: spokeEast,
    raaId,
    name: 'Board Council A',
  });
  councilB = await anOrganisation(t, {
    kind: 'local_authority',
    parentId: spokeEast,
    raaId,
    name: 'Board Council B',
  });
  councilC = await anOrganisation(t, {
    kind: 'local_authority',
    parentId: spokeWest,
    raaId,
    name: 'Board Council C',
  });
  familyFinder = await signedInUser(t, {
    roles: ['family_finder'],
    organisationId: raaId,
    name: 'Fin Finder',
  });
  councilWorkerA = await signedInUser(t, { roles: ['la_social_worker'], organisationId: councilA });
  // Test clock: 2 November 2026.
  await aChild(t, {
    councilId: councilA,
    firstName: 'Overdue',
    lastName: 'Waiting',
    dateOfBirth: '2021-03-01',
    ethnicity: 'BAFR',
    facts: [
      ['entered_care', '2024-01-10'],
      ['should_be_placed_decision', '2024-09-01'],
      ['placement_order', '2024-11-01'],
      ['cpr_completed', '2024-08-15'],
    ],
  });
  await aChild(t, {
    councilId: councilB,
    firstName: 'Matched',
    lastName: 'Onward',
    dateOfBirth: '2024-02-01',
    familyFinderId: familyFinder.userId,
    facts: [
      ['entered_care', '2024-03-01'],
      ['should_be_placed_decision', '2025-01-10'],
      ['placement_order', '2025-03-01'],
      ['family_finder_allocated', '2025-01-15'],
      ['cpr_completed', '2025-01-01'],
      ['linked', '2025-06-01'],
      ['match_decision', '2025-07-01'],
    ],
  });
  await aChild(t, {
    councilId: councilC,
    firstName: 'West',
    lastName: 'Side',
    facts: [['entered_care', '2026-01-05']],
  });
});
afterAll(async () => {
  await t?.close();
});

const get = (actor: { cookie: string }, url: string) =>
  t.app.inject({ method: 'GET', url, headers: { cookie: actor.cookie } });
const post = (actor: SignedInUser, url: string, fields: Record<string, string>) =>
  t.app.inject({
    method: 'POST',
    url,
    headers: { cookie: actor.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: actor.csrfToken, ...fields }).toString(),
  });

/** The children the board lists, by name, in order. */
const listed = (html: string) =>
  [...html.matchAll(/<a class="govuk-link" href="\/children\/[0-9a-f-]{36}">([^<]+)<\/a>/g)].map((m) => m[1]);

describe('tracking board (issue 4 §4)', () => {
  it('lists every child in the RAA by name, with stage, tags and what is overdue', async () => {
    const page = await get(familyFinder, '/children');
    expect(page.statusCode).toBe(200);
    // Ordered by last name.
    expect(listed(page.body)).toEqual(['Matched Onward', 'West Side', 'Overdue Waiting']);
    expect(page.body).toContain('3 children');
    expect(page.body).toContain('No match 6 months after the placement order');
    expect(page.body).toContain('Update to the permanence report overdue');
    expect(page.body).toContain('No family finder 10 working days after the decision');
    expect(page.body).toContain('Black or minority ethnic heritage');
    // The stage chart counts every stage, with a link that filters the board to it.
    expect(page.body).toMatch(
      /stage=family_finding">Family finding<\/a><\/th>\s*<td class="govuk-table__cell govuk-table__cell--numeric">1<\/td>/,
    );
    expect(page.body).toMatch(
      /stage=adopted">Adopted<\/a><\/th>\s*<td class="govuk-table__cell govuk-table__cell--numeric">0<\/td>/,
    );
  });

  it('filters by council, spoke, stage, family finder, waiting time, tag, overdue and name', async () => {
    const names = async (query: string) => listed((await get(familyFinder, `/children?${query}`)).body);
    expect(await names(`council=${councilB}`)).toEqual(['Matched Onward']);
    expect(await names(`spoke=${spokeWest}`)).toEqual(['West Side']);
    expect(await names('stage=family_finding')).toEqual(['Overdue Waiting']);
    expect(await names('stage=matched&stage=early_identification')).toEqual(['Matched Onward', 'West Side']);
    expect(await names(`familyFinder=${familyFinder.userId}`)).toEqual(['Matched Onward']);
    expect(await names('familyFinder=unallocated')).toEqual(['West Side', 'Overdue Waiting']);
    expect(await names('waiting=548')).toEqual(['Overdue Waiting']);
    expect(await names('waiting=90&stage=matched')).toEqual([]);
    expect(await names('tag=minority_ethnic_heritage')).toEqual(['Overdue Waiting']);
    expect(await names('tag=aged_four_or_over')).toEqual(['Overdue Waiting']);
    expect(await names('overdue=no_match')).toEqual(['Overdue Waiting']);
    expect(await names('overdue=any')).toEqual(['Overdue Waiting']);
    expect(await names('q=onwa')).toEqual(['Matched Onward']);
    // Unknown or hostile values are ignored, never an error.
    expect(await names('stage=nonsense&council=x&q=%27%3B--&page=-4')).toEqual([]);
    expect((await get(familyFinder, '/children?stage=nonsense&council=x&page=abc')).statusCode).toBe(200);
  });

  it('shows a council only its own children', async () => {
    expect(listed((await get(councilWorkerA, '/children')).body)).toEqual(['Overdue Waiting']);
    expect(listed((await get(councilWorkerA, `/children?council=${councilB}`)).body)).toEqual([]);
  });

  it('exports the filtered list as CSV, neutralising spreadsheet formulas, and audits the export', async () => {
    await aChild(t, { councilId: councilC, firstName: '=HYPERLINK("x")', lastName: 'Formula' });
    const response = await get(familyFinder, `/children/export.csv?spoke=${spokeWest}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(
      /^attachment; filename="children-2026-11-02\.csv"$/,
    );
    const lines = response.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    expect(lines[0]).toBe(
      'Council,Council child ID,First name,Last name,Date of birth,Ethnicity,Stage,In stage since,Spoke,Family finder,Decision to place for adoption,Placement order,Days since placement order,Latest permanence report,Match decision,Hard to place,Overdue',
    );
    expect(lines).toHaveLength(3);
    expect(response.body).toContain(`"'=HYPERLINK(""x"")"`);
    expect(response.body).not.toContain('Overdue Waiting');
    const audit = await t.database.db
      .selectFrom('audit_events')
      .select(['reason', 'actor_user_id'])
      .where('action', '=', 'children.export')
      .executeTakeFirstOrThrow();
    expect(audit).toEqual({ reason: `2 children; spoke=${spokeWest}`, actor_user_id: familyFinder.userId });
  });
});

describe('work by the service schedule (issue 4 §5)', () => {
  it('raises "Allocate a family finder" for the RAA side on the decision to place, and allocation completes it', async () => {
    const childId = await aChild(t, {
      councilId: councilA,
      firstName: 'Task',
      lastName: 'Raised',
      facts: [['entered_care', '2026-01-05']],
    });
    const decision = await post(councilWorkerA, `/children/${childId}/journey`, {
      kind: 'should_be_placed_decision',
      source: 'ADM decision letter',
      'effectiveDate-day': '20',
      'effectiveDate-month': '10',
      'effectiveDate-year': '2026',
    });
    expect(decision.statusCode).toBe(303);
    const tasks = await t.database.db
      .selectFrom('tasks')
      .selectAll()
      .where('child_id', '=', childId)
      .orderBy('kind')
      .execute();
    expect(tasks.map((task) => [task.kind, task.owner_organisation_id, task.due_date, task.status])).toEqual([
      ['allocate_family_finder', spokeEast, '2026-11-03', 'open'],
      ['national_register_referral', spokeEast, '2027-01-20', 'open'],
    ]);
    // A council worker cannot allocate: that is the RAA's part.
    expect(
      (
        await post(councilWorkerA, `/children/${childId}/family-finder`, {
          familyFinderId: familyFinder.userId,
          version: '2',
          'allocatedOn-day': '1',
          'allocatedOn-month': '11',
          'allocatedOn-year': '2026',
        })
      ).statusCode,
    ).toBe(403);

    const eastFinder = await signedInUser(t, {
      roles: ['family_finder'],
      organisationId: spokeEast,
      name: 'East Finder',
    });
    const myWork = await get(eastFinder, '/my-work');
    expect(myWork.statusCode).toBe(200);
    expect(myWork.body).toContain('Allocate a family finder');
    expect(myWork.body).toContain('Task Raised');

    const version = (
      await t.database.db
        .selectFrom('children')
        .select('version')
        .where('id', '=', childId)
        .executeTakeFirstOrThrow()
    ).version;
    const allocated = await post(eastFinder, `/children/${childId}/family-finder`, {
      familyFinderId: eastFinder.userId,
      version: String(version),
      'allocatedOn-day': '1',
      'allocatedOn-month': '11',
      'allocatedOn-year': '2026',
    });
    expect(allocated.statusCode).toBe(303);
    const after = await t.database.db
      .selectFrom('tasks')
      .select(['kind', 'status', 'owner_user_id'])
      .where('child_id', '=', childId)
      .orderBy('kind')
      .execute();
    expect(after).toEqual([
      { kind: 'allocate_family_finder', status: 'done', owner_user_id: null },
      { kind: 'national_register_referral', status: 'open', owner_user_id: eastFinder.userId },
    ]);
    const mine = await get(eastFinder, '/my-work');
    expect(mine.body).toContain('Refer to the national register');
  });

  it('lets a team member take a task and mark it done; a stale click is a 409, another team’s task a 404', async () => {
    const childId = await aChild(t, { councilId: councilA, firstName: 'Take', lastName: 'Me' });
    const task = await t.database.db
      .insertInto('tasks')
      .values({
        child_id: childId,
        kind: 'custom',
        title: 'Chair the life appreciation day',
        owner_organisation_id: councilA,
        due_date: '2026-11-10',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const taken = await post(councilWorkerA, `/my-work/tasks/${task.id}/take`, { version: '1' });
    expect(taken.statusCode).toBe(303);
    expect((await post(councilWorkerA, `/my-work/tasks/${task.id}/done`, { version: '1' })).statusCode).toBe(
      409,
    );
    expect((await post(councilWorkerA, `/my-work/tasks/${task.id}/done`, { version: '2' })).statusCode).toBe(
      303,
    );
    const row = await t.database.db
      .selectFrom('tasks')
      .select(['status', 'owner_user_id', 'completed_by'])
      .where('id', '=', task.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      status: 'done',
      owner_user_id: councilWorkerA.userId,
      completed_by: councilWorkerA.userId,
    });
    const otherCouncil = await signedInUser(t, { roles: ['la_social_worker'], organisationId: councilB });
    expect((await post(otherCouncil, `/my-work/tasks/${task.id}/take`, { version: '3' })).statusCode).toBe(
      404,
    );
  });

  it('emails reminders for due and overdue tasks once a day, without naming the child', async () => {
    const sink: SmtpSink = await startSmtpSink();
    try {
      const mailer = createMailer({ ...t.config, smtpUrl: sink.url });
      const childId = await aChild(t, { councilId: councilC, firstName: 'Private', lastName: 'Name' });
      const westWorker = await signedInUser(t, {
        roles: ['la_social_worker'],
        organisationId: councilC,
        email: 'west.worker@example.test',
      });
      await t.database.db
        .insertInto('tasks')
        .values([
          {
            child_id: childId,
            kind: 'update_cpr',
            title: 'Update the Child Permanence Report',
            owner_organisation_id: councilC,
            due_date: '2026-10-30',
          },
          {
            child_id: childId,
            kind: 'custom',
            title: 'Send the profile',
            owner_organisation_id: councilC,
            owner_user_id: westWorker.userId,
            due_date: '2026-11-04',
          },
          {
            child_id: childId,
            kind: 'first_adoption_review',
            title: 'Far in the future',
            owner_organisation_id: councilC,
            due_date: '2027-01-04',
          },
        ])
        .execute();
      const first = await sendTaskReminders(
        { db: t.database.db, mailer, publicUrl: 'https://kindred.example' },
        '2026-11-02',
      );
      expect(first.tasks).toBeGreaterThanOrEqual(2);
      const mine = await sink.waitFor((mail) => mail.to.includes('west.worker@example.test'));
      expect(mine.subject).toBe('Kindred: 1 overdue task');
      expect(mine.text).toContain('Update the Child Permanence Report: overdue, was due 30 October 2026');
      expect(mine.text).toContain('Send the profile: due 4 November 2026');
      expect(mine.text).not.toContain('Far in the future');
      expect(mine.text).not.toContain('Private');
      expect(mine.text).toContain('https://kindred.example/my-work');
      const again = await sendTaskReminders(
        { db: t.database.db, mailer, publicUrl: 'https://kindred.example' },
        '2026-11-02',
      );
      expect(again).toEqual({ emails: 0, tasks: 0 });
    } finally {
      await sink.close();
    }
  });
});
