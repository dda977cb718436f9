// The fixture every browser journey shares: the real server started as `npm start` starts it,
// one Chromium, and after every test three checks — every document the test loaded was scanned
// by axe, the Content-Security-Policy held, and a screenshot is kept if the test failed. Once
// the file's tests are done, SIGTERM must shut the server down cleanly (exit code 0).
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { demoPassword } from '../../../src/modules/identity/demo-users.js';
import { SignInPage } from '../pages/sign-in-page.js';
import { openBrowser, screenshotOnFailure, securityProblems, type BrowserSession } from './browser.js';
import { startKindred, type RunningKindred } from './server.js';

export interface Journey {
  kindred: RunningKindred;
  browser: BrowserSession;
  /** Signs in through the real sign-in page as a demo user (no second factor in demo mode). */
  signInAsDemoUser(email: string): Promise<void>;
}

/** Signs in through the real sign-in page, in any browser session, as a demo user. */
export async function signInAsDemoUserIn(
  browser: BrowserSession,
  baseUrl: string,
  email: string,
): Promise<void> {
  await browser.context.clearCookies();
  const signIn = new SignInPage(browser.page, baseUrl);
  await signIn.open();
  await signIn.signIn(email, demoPassword);
  const landed = new URL(browser.page.url()).pathname;
  if (landed !== '/') throw new Error(`Signing in as ${email} ended on ${landed}, not the home page`);
}

export function useKindredInChromium(): Journey {
  const journey = {
    signInAsDemoUser: (email: string) => signInAsDemoUserIn(journey.browser, journey.kindred.baseUrl, email),
  } as Journey;

  beforeAll(async () => {
    journey.kindred = await startKindred();
    journey.browser = await openBrowser();
  });

  beforeEach(() => {
    journey.browser?.resetChecks();
  });

  afterEach(async (context) => {
    if (!journey.browser) return;
    if (context.task.result?.state === 'fail') {
      // A test marked `it.fails` (a known product bug) fails as expected: no screenshot.
      if (context.task.fails) return;
      const file = await screenshotOnFailure(journey.browser.page, context.task.name);
      if (file) console.log(`Screenshot of the failed test: ${file}`);
      return;
    }
    expect(
      journey.browser.unscannedDocuments(),
      'pages loaded but never scanned by axe (use visit() or submit())',
    ).toEqual([]);
    expect(securityProblems(journey.browser.problems), 'CSP violations or script errors').toEqual([]);
  });

  afterAll(async () => {
    await journey.browser?.close();
    if (journey.kindred) {
      const code = await journey.kindred.stop();
      expect(code, `Kindred's exit code after SIGTERM\n${journey.kindred.output()}`).toBe(0);
    }
  });
  return journey;
}
