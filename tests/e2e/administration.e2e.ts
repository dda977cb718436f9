// Administration journeys in Chromium, every page scanned by axe-core: a system administrator
// invites a colleague (with a mistake first) and opens an account, a team manager looks up who
// has seen a record, and the forgotten-password page.
import { describe, expect, it } from 'vitest';
import { submit, visit } from './support/browser.js';
import { useKindredInChromium } from './support/journey.js';

const journey = useKindredInChromium();

describe('user administration (issue 3 §4)', () => {
  it('lets a system administrator invite a colleague, correcting a mistake on the way', async () => {
    const { page } = journey.browser;
    await journey.signInAsDemoUser('system.administrator@demo.kindred.invalid');
    await visit(page, `${journey.kindred.baseUrl}/admin/users`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('Users');
    await expect(page.getByText('family.finder@demo.kindred.invalid').isVisible()).resolves.toBe(true);

    await visit(page, `${journey.kindred.baseUrl}/admin/users/invite`);
    const sendInvitation = page.locator('form button[type="submit"], form .govuk-button').last();
    // Submitting the empty form shows the GOV.UK error summary.
    await submit(page, sendInvitation);
    await expect(page.locator('.govuk-error-summary').isVisible()).resolves.toBe(true);

    await page.getByLabel('Full name').fill('Morgan Example');
    await page.getByLabel('Email address').fill('morgan.example@demo.kindred.invalid');
    await page
      .getByLabel('Organisation')
      .selectOption({ label: 'South East family finding and matching team' });
    await page.getByLabel('Family finder').check();
    await submit(page, sendInvitation);
    await expect(page.locator('main').textContent()).resolves.toContain('Morgan Example');
  });

  it('shows a user’s account details page', async () => {
    const { page } = journey.browser;
    await visit(page, `${journey.kindred.baseUrl}/admin/users`);
    await submit(page, page.getByRole('link', { name: 'Tomasz Nowak' }));
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('Tomasz Nowak');
  });
});

describe('audit trail (issue 3 §6)', () => {
  it('lets a team manager look up who has seen a record, and says plainly when nothing is found', async () => {
    const { page } = journey.browser;
    await journey.signInAsDemoUser('team.manager@demo.kindred.invalid');
    await visit(page, `${journey.kindred.baseUrl}/audit`);
    await page.getByLabel('Type of record').fill('user');
    await page.getByLabel('Record reference').fill('00000000-0000-0000-0000-000000000000');
    await submit(
      page,
      page
        .getByRole('button')
        .filter({ hasText: /show|look|find|search/i })
        .first(),
    );
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toMatch(
      /not found|Page not found|could not find/i,
    );
  });
});

describe('account recovery (issue 3 §2)', () => {
  it('answers a forgotten-password request without saying whether the account exists', async () => {
    const { page } = journey.browser;
    await journey.browser.context.clearCookies();
    await visit(page, `${journey.kindred.baseUrl}/forgot-password`);
    await page.getByLabel('Email address').fill('nobody@demo.kindred.invalid');
    await submit(page, page.locator('form .govuk-button').last());
    await expect(page.locator('main').textContent()).resolves.toContain('If');
  });
});
