// The fixture every browser journey shares: the real server started as `npm start` starts it,
// one Chromium, a screenshot kept for a failed test, and proof that SIGTERM shuts down cleanly.
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { openBrowser, screenshotOnFailure, type BrowserSession } from './browser.js';
import { startKindred, type RunningKindred } from './server.js';

export interface Journey {
  kindred: RunningKindred;
  browser: BrowserSession;
}

export function useKindredInChromium(): Journey {
  const journey = {} as Journey;
  beforeAll(async () => {
    journey.kindred = await startKindred();
    journey.browser = await openBrowser();
  });
  afterEach(async (context) => {
    if (context.task.result?.state === 'fail')
      await screenshotOnFailure(journey.browser?.page, context.task.name);
  });
  afterAll(async () => {
    await journey.browser?.close();
    if (journey.kindred) expect(await journey.kindred.stop()).toBe(0);
  });
  return journey;
}
