// Administration journeys in Chromium, keyboard-first where it matters, every page scanned by
// axe-core: a system administrator invites a colleague (with a mistake first), opens their
// account, and a team manager looks up who has seen a record; the forgotten-password page.
import { describe, expect, it } from 'vitest';
import { demoPassword } from '../../src/modules/identity/demo-users.js';
import { SignInPage } from './pages/sign-in-page.js';
import { expectNoAccessibilityViolations, visit } from './support/browser.js';
import { useKindredInChromium } from './support/journey.js';

const journey = useKindredInChromium();

async function signInAs(email: string): Promise<void> {
  await journey.browser.context.clearCookies();
  const signIn = new SignInPage(journey.browser.page, journey.kindred.baseUrl);
  await signIn.open();
  await signIn.signIn(email, demoPassword);
  expect(new URL(journey.browser.page.url()).pathname).toBe('/');
}

describe('user administration (issue 3 §4)', () => {
  it('lets a system administrator invite a colleague, correcting a mistake on the way', async () => {
    await signInAs('system.administrator@demo.kindred.invalid');
    await visit(journey.browser.page, `${journey.kindred.baseUrl}/admin/users`);
    await expect(journey.browser.page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain(
      'Users',
    );
    await expect(
      journey.browser.page.getByText('family.finder@demo.kindred.invalid').isVisible(),
    ).resolves.toBe(true);

    await visit(journey.browser.page, `${journey.kindred.baseUrl}/admin/users/invite`);
    // Submitting the empty form shows the GOV.UK error summary, which takes focus.
    await journey.browser.page.locator('form button[type="submit"], form .govuk-button').last().click();
    await journey.browser.page.waitForLoadState('load');
    await expectNoAccessibilityViolations(journey.browser.page);
    await expect(journey.browser.page.locator('.govuk-error-summary').isVisible()).resolves.toBe(true);

    await journey.browser.page.getByLabel('Full name').fill('Morgan Example');
    await journey.browser.page.getByLabel('Email address').fill('morgan.example@demo.kindred.invalid');
    await journey.browser.page
      .getByLabel('Organisation')
      .selectOption({ label: 'South East family finding and matching team' });
    await journey.browser.page.getByLabel('Family finder').check();
    await journey.browser.page.locator('form button[type="submit"], form .govuk-button').last().click();
    await journey.browser.page.waitForLoadState('load');
    await expectNoAccessibilityViolations(journey.browser.page);
    await expect(journey.browser.page.locator('main').textContent()).resolves.toContain('Morgan Example');
  });

  it('shows a user’s account details page', async () => {
    await visit(journey.browser.page, `${journey.kindred.baseUrl}/admin/users`);
    await journey.browser.page.getByRole('link', { name: 'Tomasz Nowak' }).click();
    await journey.browser.page.waitForLoadState('load');
    await expectNoAccessibilityViolations(journey.browser.page);
    await expect(journey.browser.page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain(
      'Tomasz Nowak',
    );
  });
});

describe('audit trail (issue 3 §6)', () => {
  it('lets a team manager look up who has seen a record, and says plainly when nothing is found', async () => {
    await signInAs('team.manager@demo.kindred.invalid');
    await visit(journey.browser.page, `${journey.kindred.baseUrl}/audit`);
    await journey.browser.page.getByLabel('Type of record').fill('user');
    await journey.browser.page.getByLabel('Record reference').fill('00000000-0000-0000-0000-000000000000');
    await journey.browser.page
      .getByRole('button')
      .filter({ hasText: /show|look|find|search/i })
      .first()
      .click();
    await journey.browser.page.waitForLoadState('load');
    await expectNoAccessibilityViolations(journey.browser.page);
    await expect(journey.browser.page.getByRole('heading', { level: 1 }).textContent()).resolves.toMatch(
      /not found|Page not found|could not find/i,
    );
  });
});

describe('account recovery (issue 3 §2)', () => {
  it('answers a forgotten-password request without saying whether the account exists', async () => {
    await journey.browser.context.clearCookies();
    await visit(journey.browser.page, `${journey.kindred.baseUrl}/forgot-password`);
    await journey.browser.page.getByLabel('Email address').fill('nobody@demo.kindred.invalid');
    await journey.browser.page.locator('form .govuk-button').last().click();
    await journey.browser.page.waitForLoadState('load');
    await expectNoAccessibilityViolations(journey.browser.page);
    await expect(journey.browser.page.locator('main').textContent()).resolves.toContain('If');
  });
});
