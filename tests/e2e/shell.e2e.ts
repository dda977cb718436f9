// First journeys (issue 2 §8): the real server started as `npm start` starts it, driven by
// Chromium, every page scanned by axe-core for WCAG 2.2 A/AA violations.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword } from '../../src/modules/identity/demo-users.js';
import { OrganisationsPage } from './pages/organisations-page.js';
import { SignInPage } from './pages/sign-in-page.js';
import {
  openBrowser,
  screenshotOnFailure,
  visit,
  expectNoAccessibilityViolations,
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

describe('the GOV.UK shell', () => {
  it('prints how to sign in when it starts on an empty database', () => {
    expect(kindred.output()).toContain(`Demo users (password for all: "${demoPassword}")`);
    expect(kindred.output()).toContain('family.finder@demo.kindred.invalid');
  });

  it('shows the accessibility statement with the demo banner', async () => {
    await visit(browser.page, `${kindred.baseUrl}/accessibility`);
    await expect(browser.page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Accessibility statement for Kindred',
    );
    await expect(browser.page.getByTestId('demo-banner').isVisible()).resolves.toBe(true);
  });

  it('shows the 404 page for an unknown address', async () => {
    const response = await browser.page.goto(`${kindred.baseUrl}/no-such-page`);
    expect(response?.status()).toBe(404);
    await expectNoAccessibilityViolations(browser.page);
    await expect(browser.page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Page not found',
    );
  });

  it('sends an anonymous visitor to the sign-in page', async () => {
    await browser.page.goto(`${kindred.baseUrl}/`);
    expect(new URL(browser.page.url()).pathname).toBe('/sign-in');
    await expectNoAccessibilityViolations(browser.page);
  });

  it('reaches the skip link first from the keyboard and moves focus to the main content', async () => {
    await visit(browser.page, `${kindred.baseUrl}/accessibility`);
    await browser.page.keyboard.press('Tab');
    const focused = await browser.page.evaluate(() => document.activeElement?.textContent?.trim());
    expect(focused).toBe('Skip to main content');
    await browser.page.keyboard.press('Enter');
    const target = await browser.page.evaluate(() => document.activeElement?.id);
    expect(target).toBe('main-content');
  });

  it('keeps to its Content-Security-Policy: no violations, no script errors', async () => {
    const violations: string[] = [];
    await browser.page.exposeFunction('reportCspViolation', (text: string) => violations.push(text));
    await browser.page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        (window as unknown as { reportCspViolation(text: string): void }).reportCspViolation(
          `${event.violatedDirective} ${event.blockedURI}`,
        );
      });
    });
    await visit(browser.page, `${kindred.baseUrl}/sign-in`);
    await visit(browser.page, `${kindred.baseUrl}/privacy`);
    expect(violations).toEqual([]);
    expect(browser.problems.filter((p) => /Content Security Policy|page error/i.test(p))).toEqual([]);
    // GOV.UK Frontend's JavaScript ran: the page is marked as enhanced.
    const bodyClass = await browser.page.evaluate(() => document.body.className);
    expect(bodyClass).toContain('govuk-frontend-supported');
  });
});

describe('signed-in journeys', () => {
  it('refuses a wrong password with a GOV.UK error summary', async () => {
    const signIn = new SignInPage(browser.page, kindred.baseUrl);
    await signIn.open();
    await signIn.signIn('family.finder@demo.kindred.invalid', 'not the demo password');
    await expect(signIn.errorSummary().textContent()).resolves.toContain(
      'Enter a correct email address and password',
    );
  });

  it('signs in a demo family finder who sees their organisation and the region', async () => {
    const signIn = new SignInPage(browser.page, kindred.baseUrl);
    await signIn.open();
    await signIn.signIn('family.finder@demo.kindred.invalid', demoPassword);
    expect(new URL(browser.page.url()).pathname).toBe('/');
    await expect(browser.page.locator('.kindred-user__organisation').textContent()).resolves.toContain(
      'family finding',
    );
    await expect(browser.page.getByTestId('demo-banner').textContent()).resolves.toContain(
      'second sign-in factor is switched off',
    );

    const organisations = new OrganisationsPage(browser.page, kindred.baseUrl);
    await organisations.open();
    await expect(organisations.heading().textContent()).resolves.toBe('Organisations');
    await organisations.openOrganisation('London Borough of Lewisham');
    await expect(organisations.heading().textContent()).resolves.toBe('London Borough of Lewisham');
    await expect(browser.page.getByText('E09000023').isVisible()).resolves.toBe(true);
  });

  it('shows the account page and signs out', async () => {
    await visit(browser.page, `${kindred.baseUrl}/account`);
    await expect(browser.page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Your account');
    await browser.page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await browser.page.waitForLoadState('load');
    expect(new URL(browser.page.url()).pathname).toBe('/sign-in');
    await expectNoAccessibilityViolations(browser.page);
  });

  it('shows the 403 page to a signed-in user without the permission', async () => {
    const signIn = new SignInPage(browser.page, kindred.baseUrl);
    await signIn.open();
    await signIn.signIn('panel.member@demo.kindred.invalid', demoPassword);
    const response = await browser.page.goto(`${kindred.baseUrl}/organisations`);
    expect(response?.status()).toBe(403);
    await expectNoAccessibilityViolations(browser.page);
    await expect(browser.page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'You do not have permission to see this page',
    );
  });
});
