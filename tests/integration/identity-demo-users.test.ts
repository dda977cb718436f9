// The demo region's users (issue 3 §8): one per role, signing in without a second factor only
// in demo mode, and not at all once demo mode is off.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandIO } from '../../src/cli/command.js';
import { seedDemoIfEmpty } from '../../src/cli/commands/seed-demo.js';
import { demoPassword, demoUsers, seedDemoUsers } from '../../src/modules/identity/demo-users.js';
import { passwordPolicyProblem } from '../../src/modules/identity/passwords.js';
import { roles } from '../../src/platform/access/permissions.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { Browser } from '../support/people.js';

let demo: TestApp;
let plain: TestApp;
const printed: string[] = [];

beforeAll(async () => {
  demo = await createTestApp({ config: { demo: true } });
  const io: CommandIO = {
    out: (line) => printed.push(line),
    err: (line) => printed.push(line),
    interactive: false,
  };
  expect(await seedDemoIfEmpty(demo.database, demo.config, io)).toBe(true);
  // The same database served without demo mode.
  plain = await createTestApp({ database: demo.database, config: { demo: false } });
});
afterAll(async () => {
  await plain?.app.close();
  await demo?.close();
});

async function signIn(t: TestApp, email: string, password = demoPassword) {
  const browser = new Browser(t);
  await browser.get('/sign-in');
  const response = await browser.post('/sign-in', { email, password });
  return { browser, response };
}

describe('demo users (issue 3 §8)', () => {
  it('has an active demo user for each of the 16 roles, and a council decision maker, with a password that passes the policy', async () => {
    expect(new Set(demoUsers.map((user) => user.role))).toEqual(new Set(roles));
    expect(new Set(demoUsers.map((user) => user.email)).size).toBe(demoUsers.length);
    expect(passwordPolicyProblem(demoPassword)).toBe(null);
    const rows = await demo.database.db
      .selectFrom('users')
      .innerJoin('user_roles', 'user_roles.user_id', 'users.id')
      .select(['users.email', 'users.status', 'users.is_demo', 'users.totp_enrolled_at', 'user_roles.role'])
      .where('users.email', 'like', '%@demo.kindred.invalid')
      .execute();
    expect(rows).toHaveLength(roles.length + 1);
    const councilDecisionMaker = 'council.agency.decision.maker@demo.kindred.invalid';
    for (const row of rows) {
      expect(row).toMatchObject({ status: 'active', is_demo: true, totp_enrolled_at: null });
      if (row.email !== councilDecisionMaker)
        expect(row.email).toBe(`${row.role.replaceAll('_', '.')}@demo.kindred.invalid`);
    }
    // The match decision belongs to the child's council (seeds 001 §11.6), so one decision maker
    // works for a member council.
    const council = await demo.database.db
      .selectFrom('users')
      .innerJoin('organisations', 'organisations.id', 'users.organisation_id')
      .innerJoin('user_roles', 'user_roles.user_id', 'users.id')
      .select(['organisations.kind', 'user_roles.role'])
      .where('users.email', '=', councilDecisionMaker)
      .executeTakeFirstOrThrow();
    expect(council).toEqual({ kind: 'local_authority', role: 'agency_decision_maker' });
  });

  it('prints how to sign in: each role and email, the password, and that the second factor is skipped', () => {
    const output = printed.join('\n');
    expect(output).toContain(`Demo users (password for all: "${demoPassword}"):`);
    expect(output).toMatch(/Family finder\s+family\.finder@demo\.kindred\.invalid/);
    expect(output).toMatch(/Council social worker\s+la\.social\.worker@demo\.kindred\.invalid/);
    expect(output).toContain('Demo mode: the second sign-in factor is skipped');
  });

  it('gives the demo invented children with coherent journeys, their scheduled work, and the demo family finder', async () => {
    const output = printed.join('\n');
    expect(output).toMatch(/Added 100 invented children with their journeys, and \d+ open tasks\./);
    const db = demo.database.db;
    const children = await db
      .selectFrom('children')
      .select(['id', 'is_synthetic', 'family_finder_id'])
      .execute();
    expect(children).toHaveLength(100);
    expect(children.every((child) => child.is_synthetic)).toBe(true);
    const finder = await db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'family.finder@demo.kindred.invalid')
      .executeTakeFirstOrThrow();
    expect(children.some((child) => child.family_finder_id === finder.id)).toBe(true);
    // Every open task is one the schedule raises, owned by a council or the spoke serving it.
    const tasks = await db
      .selectFrom('tasks')
      .innerJoin('organisations', 'organisations.id', 'tasks.owner_organisation_id')
      .select(['tasks.kind', 'organisations.kind as owner'])
      .execute();
    expect(tasks.length).toBeGreaterThan(10);
    for (const task of tasks) {
      expect(task.owner).toBe(
        ['update_cpr', 'first_adoption_review'].includes(task.kind) ? 'local_authority' : 'spoke',
      );
    }
  });

  it('adds nobody twice when seeded again', async () => {
    expect(await seedDemoUsers(demo.database)).toEqual([]);
  });

  it.each([
    ['family.finder', 'South East family finding and matching team', 'Family finder'],
    ['la.social.worker', 'London Borough of Lewisham', 'Council social worker'],
    ['board.member', 'Adopt London South', 'Board member'],
  ])(
    'signs %s in without a second factor in demo mode, and says so (AU-1)',
    async (name, organisation, role) => {
      const { browser, response } = await signIn(demo, `${name}@demo.kindred.invalid`);
      expect(response.headers.location).toBe('/');
      const account = await browser.get('/account');
      expect(account.statusCode).toBe(200);
      expect(account.body).toContain(organisation);
      expect(account.body).toContain(role);
      expect(account.body).toContain('The second sign-in factor is switched off in this demo.');
    },
  );

  it('refuses demo users entirely once demo mode is off, as if they did not exist (AU-1, AU-3)', async () => {
    const { response } = await signIn(plain, 'family.finder@demo.kindred.invalid');
    expect(response.statusCode).toBe(401);
    expect(response.body).toContain('Enter a correct email address and password');
    const { browser } = await signIn(demo, 'panel.member@demo.kindred.invalid');
    const reused = await plain.app.inject({ url: '/account', headers: { cookie: browser.cookieHeader } });
    expect(reused.headers.location).toBe('/sign-in');
  });
});
