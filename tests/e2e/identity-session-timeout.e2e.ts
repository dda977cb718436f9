// The idle-timeout warning in a real browser with a controlled clock (security.md AU-5;
// WCAG 2.2 SC 2.2.1 Timing adjustable): shown two minutes before sign-out, focus moved to it,
// one action to stay signed in, and a clear page after sign-out.
import { describe, expect, it } from 'vitest';
import { demoPassword } from '../../src/modules/identity/demo-users.js';
import { SignInPage } from './pages/sign-in-page.js';
import { expectNoAccessibilityViolations, visit } from './support/browser.js';
import { useKindredInChromium } from './support/journey.js';

const journey = useKindredInChromium();

describe('session timeout warning (AU-5, WCAG 2.2 SC 2.2.1)', () => {
  it('warns two minutes before the idle sign-out, extends with one action, then signs out', async () => {
    const { page } = journey.browser;
    await page.clock.install();
    const signIn = new SignInPage(page, journey.kindred.baseUrl);
    await signIn.open();
    await signIn.signIn('support.worker@demo.kindred.invalid', demoPassword);
    // Scanned below, once the warning shows: a scan here would spend the seconds being counted.
    await page.goto(`${journey.kindred.baseUrl}/account`);
    const dialog = page.getByRole('alertdialog', { name: 'You will be signed out soon' });
    await expect(dialog.isVisible()).resolves.toBe(false);

    // The page says how long is left (up to 30 minutes, counted from the server's last write).
    const secondsLeft = Number(await page.locator('body').getAttribute('data-session-idle-seconds'));
    expect(secondsLeft).toBeGreaterThan(1700);
    expect(secondsLeft).toBeLessThanOrEqual(1800);
    await page.clock.runFor((secondsLeft - 121) * 1000);
    await expect(dialog.isVisible()).resolves.toBe(false);
    await page.clock.runFor(2000);
    await expect(dialog.isVisible()).resolves.toBe(true);
    await expect(dialog.textContent()).resolves.toContain(
      'to protect the information in Kindred. Anything you have not saved will be lost.',
    );
    await expect(
      page.evaluate(() => document.activeElement?.getAttribute('role') === 'alertdialog'),
    ).resolves.toBe(true);
    await expectNoAccessibilityViolations(page);

    const extended = page.waitForResponse((response) => response.url().endsWith('/session/extend'));
    await page.getByRole('button', { name: 'Stay signed in' }).click();
    expect((await extended).status()).toBe(200);
    // The dialog closes when the page has handled the answer, a moment after it arrives.
    await expect.poll(() => dialog.isVisible()).toBe(false);

    // Left alone after extending: the warning returns, then the session ends.
    await page.clock.runFor('28:30');
    await expect(dialog.isVisible()).resolves.toBe(true);
    const navigated = page.waitForURL(/\/sign-in\?timedOut=1$/);
    await page.clock.runFor('02:00');
    await navigated;
    await expect(page.locator('main').textContent()).resolves.toContain(
      'You were signed out because you were inactive for 30 minutes',
    );
    await expectNoAccessibilityViolations(page);
    await visit(page, `${journey.kindred.baseUrl}/account`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    expect(journey.browser.problems).toEqual([]);
  });
});
