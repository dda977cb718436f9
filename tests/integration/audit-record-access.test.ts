// "Who has seen this record" (security.md LG-6; issue 3 §6): a manager sees every access to a
// record in their organisations with who and when, in UK time, newest first, filtered by dates;
// a record outside their organisations is not found (P4); looking is itself audited (LG-1) and a
// refused look is audited too (LG-3).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/platform/access/actor.js';
import { permissionsFor, type Role } from '../../src/platform/access/permissions.js';
import { auditKeyFrom, verifyAuditChain, writeAudit } from '../../src/platform/audit/audit.js';
import { describeAction } from '../../src/modules/audit/action-labels.js';
import { auditPaths } from '../../src/modules/audit/audit.paths.js';
import { parseDateParts } from '../../src/modules/audit/audit.routes.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { anOrganisation, signedInUser } from '../support/sign-in.js';

let t: TestApp;
let raa: string;
let spoke: string;
let council: string;
let otherRaa: string;

beforeAll(async () => {
  t = await createTestApp();
  raa = await anOrganisation(t, { kind: 'raa', name: 'Adopt Test RAA' });
  spoke = await anOrganisation(t, { kind: 'spoke', parentId: raa, raaId: raa, name: 'Test spoke' });
  council = await anOrganisation(t, {
    kind: 'local_authority',
    parentId: spoke,
    raaId: raa,
    name: 'Test Borough Council',
  });
  otherRaa = await anOrganisation(t, { kind: 'raa', name: 'Another RAA' });
});
afterAll(async () => {
  await t.close();
});

const key = () => auditKeyFrom(t.config.secret);

function actorFor(userId: string, organisationId: string, roles: Role[]): Actor {
  return {
    userId,
    sessionId: randomUUID(),
    name: 'not stored',
    email: 'not stored',
    organisation: { id: organisationId, code: 'unused', name: 'not stored', kind: 'raa' },
    roles,
    permissions: permissionsFor(roles),
    scope: { organisationIds: [organisationId], raaId: null, nonIdentifyingOnly: false },
    secondFactorSkipped: false,
  };
}

async function recordView(
  actor: Actor | null,
  subjectId: string,
  at: string,
  options: { organisationId?: string; action?: string; outcome?: 'success' | 'denied' } = {},
): Promise<void> {
  await writeAudit(
    t.database.db,
    key(),
    { actor, ip: '192.0.2.1', userAgent: 'test', correlationId: randomUUID(), now: new Date(at) },
    {
      action: options.action ?? 'child.view',
      outcome: options.outcome ?? 'success',
      subjectType: 'child',
      subjectId,
      subjectOrganisationId: options.organisationId ?? council,
    },
  );
}

async function get(url: string, cookie: string) {
  return t.app.inject({ url, headers: { cookie } });
}

async function countAudit(action: string, subjectId: string, outcome: 'success' | 'denied'): Promise<number> {
  const rows = await t.database.db
    .selectFrom('audit_events')
    .select('seq')
    .where('action', '=', action)
    .where('subject_id', '=', subjectId)
    .where('outcome', '=', outcome)
    .execute();
  return rows.length;
}

/** The body rows of the access table, as the text of each cell. */
function tableRows(html: string): string[][] {
  const body = /<tbody class="govuk-table__body">([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  return [...body.matchAll(/<tr class="govuk-table__row">([\s\S]*?)<\/tr>/g)].map((row) =>
    [...(row[1] ?? '').matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((cell) =>
      (cell[1] ?? '')
        .replace(/<br>/g, ' | ')
        .replace(/<[^>]+>/g, '')
        .replace(/\s+/g, ' ')
        .trim(),
    ),
  );
}

describe('who has seen this record (LG-6)', () => {
  it('lists three people’s views of a record with who, organisation, role and UK time, newest first', async () => {
    const childId = randomUUID();
    const names = ['Ada Viewer', 'Bea Viewer', 'Cal Viewer'];
    const viewers = [];
    for (const name of names) {
      viewers.push(await signedInUser(t, { roles: ['la_social_worker'], organisationId: council, name }));
    }
    // 22:45 UTC on 1 July is 11:45pm in British Summer Time.
    const times = ['2026-07-01T09:00:00Z', '2026-07-01T12:15:00Z', '2026-07-01T22:45:00Z'];
    for (const [i, viewer] of viewers.entries()) {
      await recordView(actorFor(viewer.userId, council, ['la_social_worker']), childId, times[i]!);
    }
    const manager = await signedInUser(t, {
      roles: ['team_manager'],
      organisationId: raa,
      name: 'Mo Manager',
    });
    const page = await get(auditPaths.recordAccess('child', childId), manager.cookie);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Who has seen or changed this record');
    const rows = tableRows(page.body);
    // The manager's own look at the log comes first: it happened just now.
    expect(rows[0]?.[1]).toContain('Mo Manager');
    expect(rows[0]?.[2]).toContain('Looked at who has seen this record');
    expect(rows.slice(1)).toEqual([
      [
        '1 July 2026 at 11:45pm',
        'Cal Viewer | Test Borough Council · Council social worker',
        'Viewed | child.view',
        'Done',
        '',
      ],
      [
        '1 July 2026 at 1:15pm',
        'Bea Viewer | Test Borough Council · Council social worker',
        'Viewed | child.view',
        'Done',
        '',
      ],
      [
        '1 July 2026 at 10:00am',
        'Ada Viewer | Test Borough Council · Council social worker',
        'Viewed | child.view',
        'Done',
        '',
      ],
    ]);
  });

  it('audits each look at the log in the same transaction, and the chain still verifies (LG-1)', async () => {
    const childId = randomUUID();
    await recordView(null, childId, '2026-07-01T09:00:00Z');
    const manager = await signedInUser(t, { roles: ['la_manager'], organisationId: council });
    for (let i = 0; i < 3; i += 1) {
      expect((await get(auditPaths.recordAccess('child', childId), manager.cookie)).statusCode).toBe(200);
    }
    const views = await t.database.db
      .selectFrom('audit_events')
      .select(['actor_user_id', 'subject_organisation_id', 'outcome'])
      .where('action', '=', 'audit.record-access.view')
      .where('subject_id', '=', childId)
      .execute();
    expect(views).toEqual(
      Array.from({ length: 3 }, () => ({
        actor_user_id: manager.userId,
        subject_organisation_id: council,
        outcome: 'success',
      })),
    );
    expect((await verifyAuditChain(t.database.db, key())).ok).toBe(true);
  });

  it('shows a council manager only their council’s entries, while the RAA sees the whole record', async () => {
    const childId = randomUUID();
    await recordView(null, childId, '2026-07-01T09:00:00Z', {
      organisationId: council,
      action: 'child.update',
    });
    await recordView(null, childId, '2026-07-02T09:00:00Z', {
      organisationId: spoke,
      action: 'child.export',
    });
    const councilManager = await signedInUser(t, { roles: ['la_manager'], organisationId: council });
    const councilRows = tableRows(
      (await get(auditPaths.recordAccess('child', childId), councilManager.cookie)).body,
    );
    expect(councilRows.map((row) => row[2])).toEqual([
      'Looked at who has seen this record | audit.record-access.view',
      'Changed | child.update',
    ]);
    const raaManager = await signedInUser(t, { roles: ['head_of_service'], organisationId: raa });
    const raaRows = tableRows((await get(auditPaths.recordAccess('child', childId), raaManager.cookie)).body);
    expect(raaRows.map((row) => row[2])).toContain('Exported | child.export');
    expect(raaRows.map((row) => row[1])).toContain('Kindred (system)');
  });

  it('answers a record outside the manager’s organisations exactly as one that does not exist, and audits the refusal (P4, LG-3)', async () => {
    const childId = randomUUID();
    await recordView(null, childId, '2026-07-01T09:00:00Z');
    const outsider = await signedInUser(t, { roles: ['team_manager'], organisationId: otherRaa });
    const elsewhere = await get(auditPaths.recordAccess('child', childId), outsider.cookie);
    const missing = await get(auditPaths.recordAccess('child', randomUUID()), outsider.cookie);
    expect(elsewhere.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    const main = (html: string) => /<main[\s\S]*<\/main>/.exec(html)?.[0];
    expect(main(elsewhere.body)).toEqual(main(missing.body));
    expect(await countAudit('audit.record-access.view', childId, 'denied')).toBe(1);
    expect(await countAudit('audit.record-access.view', childId, 'success')).toBe(0);
  });

  it('refuses staff without audit:read with 403 and a denied audit entry', async () => {
    const childId = randomUUID();
    await recordView(null, childId, '2026-07-01T09:00:00Z');
    const worker = await signedInUser(t, { roles: ['la_social_worker'], organisationId: council });
    const response = await get(auditPaths.recordAccess('child', childId), worker.cookie);
    expect(response.statusCode).toBe(403);
    const denied = await t.database.db
      .selectFrom('audit_events')
      .select(['reason'])
      .where('action', '=', 'access.route')
      .where('actor_user_id', '=', worker.userId)
      .execute();
    expect(denied).toEqual([{ reason: 'missing permission audit:read' }]);
    expect((await get(auditPaths.home(), worker.cookie)).statusCode).toBe(403);
    expect((await get('/', worker.cookie)).body).not.toContain('href="/audit"');
  });

  it('filters by a date range of UK days', async () => {
    const childId = randomUUID();
    await recordView(null, childId, '2026-06-30T22:59:00Z', { action: 'child.print' }); // 23:59 on 30 June
    await recordView(null, childId, '2026-06-30T23:00:00Z', { action: 'child.update' }); // 00:00 on 1 July
    await recordView(null, childId, '2026-07-02T22:59:59Z', { action: 'child.export' }); // 23:59 on 2 July
    await recordView(null, childId, '2026-07-02T23:00:00Z', { action: 'child.delete' }); // 00:00 on 3 July
    const manager = await signedInUser(t, { roles: ['team_manager'], organisationId: raa });
    const url = auditPaths.recordAccess('child', childId, {
      'from-day': '1',
      'from-month': '7',
      'from-year': '2026',
      'to-day': '2',
      'to-month': '7',
      'to-year': '2026',
    });
    const page = await get(url, manager.cookie);
    expect(page.statusCode).toBe(200);
    expect(tableRows(page.body).map((row) => row[2])).toEqual([
      'Exported | child.export',
      'Changed | child.update',
    ]);
    expect(page.body).toContain('Show all dates');
  });

  it('re-shows the filter at 400 with the GOV.UK error summary for an impossible date, showing no entries', async () => {
    const childId = randomUUID();
    await recordView(null, childId, '2026-07-01T09:00:00Z');
    const manager = await signedInUser(t, { roles: ['team_manager'], organisationId: raa });
    const page = await get(
      auditPaths.recordAccess('child', childId, { 'from-day': '31', 'from-month': '2', 'from-year': '2026' }),
      manager.cookie,
    );
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('govuk-error-summary');
    expect(page.body).toContain('The ‘from’ date must be a real date');
    expect(page.body).toContain('href="#from-day"');
    expect(page.body).not.toContain('data-testid="record-access"');
    expect(await countAudit('audit.record-access.view', childId, 'success')).toBe(0);
  });

  it('answers malformed record types and references with a 400 page', async () => {
    const manager = await signedInUser(t, { roles: ['team_manager'], organisationId: raa });
    for (const url of [
      '/audit/records/Child/abc',
      '/audit/records/c/abc',
      `/audit/records/${'a'.repeat(42)}/abc`,
      '/audit/records/child/abc?before=soon',
    ]) {
      const response = await get(url, manager.cookie);
      expect(response.statusCode, url).toBe(400);
      expect(response.body).toContain('There is a problem with your request');
    }
    // A reference of 100 characters is a valid look-up (found nothing); a longer one is refused,
    // by Fastify's router (maxParamLength 100) before the page's own check.
    expect((await get(`/audit/records/child/${'x'.repeat(100)}`, manager.cookie)).statusCode).toBe(404);
    expect([400, 414]).toContain(
      (await get(`/audit/records/child/${'x'.repeat(101)}`, manager.cookie)).statusCode,
    );
  });

  it('pages through a long log 100 entries at a time', async () => {
    const childId = randomUUID();
    for (let i = 0; i < 104; i += 1) {
      await recordView(null, childId, new Date(Date.UTC(2026, 5, 1, 9, 0, i)).toISOString());
    }
    const manager = await signedInUser(t, { roles: ['team_manager'], organisationId: raa });
    const first = await get(auditPaths.recordAccess('child', childId), manager.cookie);
    expect(tableRows(first.body)).toHaveLength(100);
    const older = /<a class="govuk-link govuk-pagination__link" href="([^"]+)" rel="next">/.exec(
      first.body,
    )?.[1];
    expect(older).toBeTruthy();
    const second = await get(older!.replaceAll('&amp;', '&'), manager.cookie);
    expect(second.statusCode).toBe(200);
    // 104 views plus the manager's first look make 105: 100 on the first page, 5 on the second.
    expect(tableRows(second.body)).toHaveLength(5);
    expect(second.body).toContain('Newest entries');
  });
});

describe('the audit look-up page', () => {
  it('shows the form, the trail’s head and the navigation item for a manager', async () => {
    const manager = await signedInUser(t, { roles: ['system_administrator'], organisationId: raa });
    const page = await get(auditPaths.home(), manager.cookie);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<form method="get" action="/audit"');
    expect(page.body).toMatch(/The trail holds \d+ entries\. The latest, number \d+, was written on /);
    expect(page.body).toContain('href="/audit"');
  });

  it('sends a valid look-up to the record’s page, and re-shows an invalid one at 400 with errors', async () => {
    const manager = await signedInUser(t, { roles: ['team_manager'], organisationId: raa });
    const found = await get('/audit?subjectType=child&subjectId=abc-123', manager.cookie);
    expect(found.statusCode).toBe(302);
    expect(found.headers.location).toBe('/audit/records/child/abc-123');
    const invalid = await get('/audit?subjectType=Child+record&subjectId=', manager.cookie);
    expect(invalid.statusCode).toBe(400);
    expect(invalid.body).toContain('govuk-error-summary');
    expect(invalid.body).toContain('Enter the type of record in lower case, like child or user');
    expect(invalid.body).toContain('Enter the record’s reference');
  });
});

describe('plain words for actions and dates', () => {
  it.each([
    ['auth.sign-in', 'Signed in'],
    ['child.view', 'Viewed'],
    ['adopter.assessment.update', 'Changed'],
    ['panel.minutes.approve', 'panel.minutes.approve'],
  ])('describes %s as “%s”', (action, label) => {
    expect(describeAction(action)).toBe(label);
  });

  it.each([
    [{ day: '', month: '', year: '' }, { value: null }],
    [{ day: '1', month: '7', year: '2026' }, { value: '2026-07-01' }],
    [{ day: '29', month: '2', year: '2028' }, { value: '2028-02-29' }],
    [
      { day: '29', month: '2', year: '2026' },
      { value: null, error: { field: 'from-day', message: 'From must be a real date' } },
    ],
    [
      { day: '1', month: '', year: '' },
      { value: null, error: { field: 'from-month', message: 'From must include a month and year' } },
    ],
    [
      { day: 'x', month: '7', year: '26' },
      { value: null, error: { field: 'from-day', message: 'From must be a real date' } },
    ],
  ])('reads the date parts %o', (parts, expected) => {
    expect(parseDateParts('from', 'From', parts)).toEqual(expected);
  });
});
