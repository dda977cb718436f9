// First journeys (issue 2 §8): the real server started as `npm start` starts it, driven by
// Chromium, every page scanned by axe-core for WCAG 2.2 A/AA violations.
import { describe, expect, it } from 'vitest';
import { demoPassword } from '../../src/modules/identity/demo-users.js';
import { OrganisationsPage } from './pages/organisations-page.js';
import { SignInPage } from './pages/sign-in-page.js';
import { visit, expectNoAccessibilityViolations } from './support/browser.js';
import { useKindredInChromium } from './support/journey.js';

const journey = useKindredInChromium();

describe('the GOV.UK shell', () => {
  it('prints how to sign in when it starts on an empty database', () => {
    expect(journey.kindred.output()).toContain(`Demo users (password for all: "${demoPassword}")`);
    expect(journey.kindred.output()).toContain('family.finder@demo.kindred.invalid');
  });

  it('shows the accessibility statement with the demo banner', async () => {
    await visit(journey.browser.page, `${journey.kindred.baseUrl}/accessibility`);
    await expect(journey.browser.page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Accessibility statement for Kindred',
    );
    await expect(journey.browser.page.getByTestId('demo-banner').isVisible()).resolves.toBe(true);
  });

  it('shows the 404 page for an unknown address', async () => {
    const response = await journey.browser.page.goto(`${journey.kindred.baseUrl}/no-such-page`);
    expect(response?.status()).toBe(404);
    await expectNoAccessibilityViolations(journey.browser.page);
    await expect(journey.browser.page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Page not found',
    );
  });

  it('sends an anonymous visitor to the sign-in page', async () => {
    await journey.browser.page.goto(`${journey.kindred.baseUrl}/`);
    expect(new URL(journey.browser.page.url()).pathname).toBe('/sign-in');
    await expectNoAccessibilityViolations(journey.browser.page);
  });

  it('reaches the skip link first from the keyboard and moves focus to the main content', async () => {
    await visit(journey.browser.page, `${journey.kindred.baseUrl}/accessibility`);
    await journey.browser.page.keyboard.press('Tab');
    const focused = await journey.browser.page.evaluate(() => document.activeElement?.textContent?.trim());
    expect(focused).toBe('Skip to main content');
    await journey.browser.page.keyboard.press('Enter');
    const target = await journey.browser.page.evaluate(() => document.activeElement?.id);
    expect(target).toBe('main-content');
  });

  it('keeps to its Content-Security-Policy: no violations, no script errors', async () => {
    const violations: string[] = [];
    await journey.browser.page.exposeFunction('reportCspViolation', (text: string) => violations.push(text));
    await journey.browser.page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        (window as unknown as { reportCspViolation(text: string): void }).reportCspViolation(
          `${event.violatedDirective} ${event.blockedURI}`,
        );
      });
    });
    await visit(journey.browser.page, `${journey.kindred.baseUrl}/sign-in`);
    await visit(journey.browser.page, `${journey.kindred.baseUrl}/privacy`);
    expect(violations).toEqual([]);
    expect(journey.browser.problems.filter((p) => /Content Security Policy|page error/i.test(p))).toEqual([]);
    // GOV.UK Frontend's JavaScript ran: the page is marked as enhanced.
    const bodyClass = await journey.browser.page.evaluate(() => document.body.className);
    expect(bodyClass).toContain('govuk-frontend-supported');
  });
});

describe('signed-in journeys', () => {
  it('refuses a wrong password with a GOV.UK error summary', async () => {
    const signIn = new SignInPage(journey.browser.page, journey.kindred.baseUrl);
    await signIn.open();
    await signIn.signIn('family.finder@demo.kindred.invalid', 'not the demo password');
    await expect(signIn.errorSummary().textContent()).resolves.toContain(
      'Enter a correct email address and password',
    );
  });

  it('signs in a demo family finder who sees their organisation and the region', async () => {
    const signIn = new SignInPage(journey.browser.page, journey.kindred.baseUrl);
    await signIn.open();
    await signIn.signIn('family.finder@demo.kindred.invalid', demoPassword);
    expect(new URL(journey.browser.page.url()).pathname).toBe('/');
    await expect(
      journey.browser.page.locator('.kindred-user__organisation').textContent(),
    ).resolves.toContain('family finding');
    await expect(journey.browser.page.getByTestId('demo-banner').textContent()).resolves.toContain(
      'second sign-in factor is switched off',
    );

    const organisations = new OrganisationsPage(journey.browser.page, journey.kindred.baseUrl);
    await organisations.open();
    await expect(organisations.heading().textContent()).resolves.toBe('Organisations');
    await organisations.openOrganisation('London Borough of Lewisham');
    await expect(organisations.heading().textContent()).resolves.toBe('London Borough of Lewisham');
    await expect(journey.browser.page.getByText('E09000023').isVisible()).resolves.toBe(true);
  });

  it('shows the account page and signs out', async () => {
    await visit(journey.browser.page, `${journey.kindred.baseUrl}/account`);
    await expect(journey.browser.page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Your account',
    );
    await journey.browser.page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await journey.browser.page.waitForLoadState('load');
    expect(new URL(journey.browser.page.url()).pathname).toBe('/sign-in');
    await expectNoAccessibilityViolations(journey.browser.page);
  });

  it('shows the 403 page to a signed-in user without the permission', async () => {
    const signIn = new SignInPage(journey.browser.page, journey.kindred.baseUrl);
    await signIn.open();
    await signIn.signIn('panel.member@demo.kindred.invalid', demoPassword);
    const response = await journey.browser.page.goto(`${journey.kindred.baseUrl}/organisations`);
    expect(response?.status()).toBe(403);
    await expectNoAccessibilityViolations(journey.browser.page);
    await expect(journey.browser.page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'You do not have permission to see this page',
    );
  });
});
