// Administration journeys in Chromium, keyboard-first where it matters, every page scanned by
// axe-core: a system administrator invites a colleague (with a mistake first), opens their
// account, and a team manager looks up who has seen a record; the forgotten-password page.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword } from '../../src/modules/identity/demo-users.js';
import { SignInPage } from './pages/sign-in-page.js';
import {
  expectNoAccessibilityViolations,
  openBrowser,
  screenshotOnFailure,
  visit,
  type BrowserSession,
} from './support/browser.js';
import { startKindred, type RunningKindred } from './support/server.js';

let kindred: RunningKindred;
let browser: BrowserSession;

beforeAll(async () => {
  kindred = await startKindred();
  browser = await openBrowser();
});

afterEach(async (context) => {
  if (context.task.result?.state === 'fail') await screenshotOnFailure(browser?.page, context.task.name);
});

afterAll(async () => {
  await browser?.close();
  if (kindred) expect(await kindred.stop()).toBe(0);
});

async function signInAs(email: string): Promise<void> {
  await browser.context.clearCookies();
  const signIn = new SignInPage(browser.page, kindred.baseUrl);
  await signIn.open();
  await signIn.signIn(email, demoPassword);
  expect(new URL(browser.page.url()).pathname).toBe('/');
}

describe('user administration (issue 3 §4)', () => {
  it('lets a system administrator invite a colleague, correcting a mistake on the way', async () => {
    await signInAs('system.administrator@demo.kindred.invalid');
    await visit(browser.page, `${kindred.baseUrl}/admin/users`);
    await expect(browser.page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('Users');
    await expect(browser.page.getByText('family.finder@demo.kindred.invalid').isVisible()).resolves.toBe(
      true,
    );

    await visit(browser.page, `${kindred.baseUrl}/admin/users/invite`);
    // Submitting the empty form shows the GOV.UK error summary, which takes focus.
    await browser.page.locator('form button[type="submit"], form .govuk-button').last().click();
    await browser.page.waitForLoadState('load');
    await expectNoAccessibilityViolations(browser.page);
    await expect(browser.page.locator('.govuk-error-summary').isVisible()).resolves.toBe(true);

    await browser.page.getByLabel('Full name').fill('Morgan Example');
    await browser.page.getByLabel('Email address').fill('morgan.example@demo.kindred.invalid');
    await browser.page
      .getByLabel('Organisation')
      .selectOption({ label: 'South East family finding and matching team' });
    await browser.page.getByLabel('Family finder').check();
    await browser.page.locator('form button[type="submit"], form .govuk-button').last().click();
    await browser.page.waitForLoadState('load');
    await expectNoAccessibilityViolations(browser.page);
    await expect(browser.page.locator('main').textContent()).resolves.toContain('Morgan Example');
  });

  it('shows a user’s account details page', async () => {
    await visit(browser.page, `${kindred.baseUrl}/admin/users`);
    await browser.page.getByRole('link', { name: 'Tomasz Nowak' }).click();
    await browser.page.waitForLoadState('load');
    await expectNoAccessibilityViolations(browser.page);
    await expect(browser.page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain(
      'Tomasz Nowak',
    );
  });
});

describe('audit trail (issue 3 §6)', () => {
  it('lets a team manager look up who has seen a record, and says plainly when nothing is found', async () => {
    await signInAs('team.manager@demo.kindred.invalid');
    await visit(browser.page, `${kindred.baseUrl}/audit`);
    await browser.page.getByLabel('Type of record').fill('user');
    await browser.page.getByLabel('Record reference').fill('00000000-0000-0000-0000-000000000000');
    await browser.page
      .getByRole('button')
      .filter({ hasText: /show|look|find|search/i })
      .first()
      .click();
    await browser.page.waitForLoadState('load');
    await expectNoAccessibilityViolations(browser.page);
    await expect(browser.page.getByRole('heading', { level: 1 }).textContent()).resolves.toMatch(
      /not found|Page not found|could not find/i,
    );
  });
});

describe('account recovery (issue 3 §2)', () => {
  it('answers a forgotten-password request without saying whether the account exists', async () => {
    await browser.context.clearCookies();
    await visit(browser.page, `${kindred.baseUrl}/forgot-password`);
    await browser.page.getByLabel('Email address').fill('nobody@demo.kindred.invalid');
    await browser.page.locator('form .govuk-button').last().click();
    await browser.page.waitForLoadState('load');
    await expectNoAccessibilityViolations(browser.page);
    await expect(browser.page.locator('main').textContent()).resolves.toContain('If');
  });
});
