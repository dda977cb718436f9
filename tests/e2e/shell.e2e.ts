// First journeys (issue 2 §8): the real server started as `npm start` starts it, driven by
// Chromium; every page is scanned by axe-core for WCAG 2.2 A/AA violations and watched for
// Content-Security-Policy violations (tests/e2e/support/journey.ts).
import { describe, expect, it } from 'vitest';
import { demoPassword } from '../../src/modules/identity/demo-users.js';
import { AccessibilityStatementPage } from './pages/accessibility-statement-page.js';
import { ErrorPage } from './pages/error-page.js';
import { HomePage } from './pages/home-page.js';
import { OrganisationsPage } from './pages/organisations-page.js';
import { SignInPage } from './pages/sign-in-page.js';
import { securityProblems, visit } from './support/browser.js';
import { useKindredInChromium } from './support/journey.js';

const journey = useKindredInChromium();

describe('the GOV.UK shell', () => {
  it('prints how to sign in when it starts on an empty database', () => {
    expect(journey.kindred.output()).toContain(`Demo users (password for all: "${demoPassword}")`);
    expect(journey.kindred.output()).toContain('family.finder@demo.kindred.invalid');
  });

  it('shows the accessibility statement with the demo banner', async () => {
    const statement = new AccessibilityStatementPage(journey.browser.page, journey.kindred.baseUrl);
    await statement.open();
    await expect(statement.headingText()).resolves.toBe('Accessibility statement for Kindred');
    await expect(statement.demoBanner().isVisible()).resolves.toBe(true);
  });

  it('shows the 404 page for an unknown address', async () => {
    const errorPage = new ErrorPage(journey.browser.page, journey.kindred.baseUrl);
    const response = await errorPage.open('/no-such-page');
    expect(response?.status()).toBe(404);
    await expect(errorPage.headingText()).resolves.toBe(ErrorPage.headings[404]);
    await expect(errorPage.homeLink().isVisible()).resolves.toBe(true);
  });

  it('sends an anonymous visitor to the sign-in page', async () => {
    const signIn = new SignInPage(journey.browser.page, journey.kindred.baseUrl);
    await visit(journey.browser.page, `${journey.kindred.baseUrl}/`);
    expect(signIn.pathname()).toBe(SignInPage.pathname);
    await expect(signIn.headingText()).resolves.toBe('Sign in to Kindred');
  });

  it('reaches the skip link first from the keyboard and moves focus to the main content', async () => {
    const { page } = journey.browser;
    const statement = new AccessibilityStatementPage(page, journey.kindred.baseUrl);
    await statement.open();
    await page.keyboard.press('Tab');
    await expect(statement.skipLink().evaluate((link) => link === document.activeElement)).resolves.toBe(
      true,
    );
    await page.keyboard.press('Enter');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('main-content');
    // The next Tab goes on from the main content, not back to the header.
    await page.keyboard.press('Tab');
    await expect(
      page.evaluate(() => Boolean(document.activeElement?.closest('#main-content, footer'))),
    ).resolves.toBe(true);
  });

  it('keeps to its Content-Security-Policy: the policy is enforced and nothing of ours breaks it', async () => {
    const { page } = journey.browser;
    const response = await visit(page, `${journey.kindred.baseUrl}/sign-in`);
    const policy = response?.headers()['content-security-policy'] ?? '';
    expect(policy).toMatch(/script-src [^;]*'nonce-/);
    expect(policy).not.toContain("'unsafe-inline'");
    await visit(page, `${journey.kindred.baseUrl}/privacy`);
    await visit(page, `${journey.kindred.baseUrl}/accessibility`);
    expect(securityProblems(journey.browser.problems)).toEqual([]);
    // GOV.UK Frontend's JavaScript ran under the policy: the page is marked as enhanced.
    await expect(page.evaluate(() => document.body.className)).resolves.toContain('govuk-frontend-supported');

    // And the policy is live: an injected inline script is blocked and reported.
    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'document.body.dataset.injected = "ran"';
      document.body.append(script);
    });
    await expect
      .poll(() => securityProblems(journey.browser.problems).some((p) => /^csp: .*script-src/.test(p)))
      .toBe(true);
    await expect(page.evaluate(() => document.body.dataset.injected)).resolves.toBeUndefined();
    journey.browser.resetChecks();
  });
});

describe('signed-in journeys', () => {
  it('refuses a wrong password with a GOV.UK error summary', async () => {
    const signIn = new SignInPage(journey.browser.page, journey.kindred.baseUrl);
    await signIn.open();
    await signIn.signIn('family.finder@demo.kindred.invalid', 'not the demo password');
    expect(signIn.pathname()).toBe(SignInPage.pathname);
    await expect(signIn.errorSummary().textContent()).resolves.toContain(
      'Enter a correct email address and password',
    );
  });

  it('signs in a demo family finder who sees the demo banner and their organisation', async () => {
    await journey.signInAsDemoUser('family.finder@demo.kindred.invalid');
    const home = new HomePage(journey.browser.page, journey.kindred.baseUrl);
    await expect(home.userName().textContent()).resolves.toBe('Tomasz Nowak');
    await expect(home.userOrganisation().textContent()).resolves.toBe(
      'South East family finding and matching team',
    );
    await expect(home.headingText()).resolves.toBe('South East family finding and matching team');
    await expect(home.demoBanner().textContent()).resolves.toContain(
      'The second sign-in factor is switched off in this demo.',
    );
  });

  it('shows the organisations of the region and one council’s details', async () => {
    const organisations = new OrganisationsPage(journey.browser.page, journey.kindred.baseUrl);
    await organisations.open();
    await expect(organisations.headingText()).resolves.toBe('Organisations');
    await organisations.openOrganisation('London Borough of Lewisham');
    expect(organisations.pathname()).toBe('/organisations/lewisham');
    await expect(organisations.headingText()).resolves.toBe('London Borough of Lewisham');
    await expect(organisations.detail('ONS code').textContent()).resolves.toContain('E09000023');
  });

  it('shows the account page and signs out', async () => {
    const home = new HomePage(journey.browser.page, journey.kindred.baseUrl);
    await visit(journey.browser.page, `${journey.kindred.baseUrl}/account`);
    await expect(home.headingText()).resolves.toBe('Your account');
    await home.signOut();
    expect(home.pathname()).toBe(SignInPage.pathname);
    await expect(home.mainText()).resolves.toContain('You have signed out.');
  });

  it('shows the 403 page to a signed-in user without the permission', async () => {
    const errorPage = new ErrorPage(journey.browser.page, journey.kindred.baseUrl);

    // A panel member holds no standing permissions outside their panels.
    await journey.signInAsDemoUser('panel.member@demo.kindred.invalid');
    const organisations = await errorPage.open('/organisations');
    expect(organisations?.status()).toBe(403);
    await expect(errorPage.headingText()).resolves.toBe(ErrorPage.headings[403]);

    // A board member sees the organisations but may not manage users.
    await journey.signInAsDemoUser('board.member@demo.kindred.invalid');
    const users = await errorPage.open('/admin/users');
    expect(users?.status()).toBe(403);
    await expect(errorPage.headingText()).resolves.toBe(ErrorPage.headings[403]);
  });
});
