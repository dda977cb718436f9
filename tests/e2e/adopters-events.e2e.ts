// Events and courses in Chromium (issue 5 §4), every page scanned by axe-core: an RAA assessing
// social worker creates an information event and a session, and invites an enquirer from their
// enquiry; the enquirer opens the link in the email (read from the server's outbox) and books a
// place without signing in; the worker sees the booking list.
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { submit, visit } from './support/browser.js';
import { useKindredInChromium } from './support/journey.js';

const journey = useKindredInChromium();
const email = `casey.${Date.now().toString(36)}@example.test`;
const year = new Date().getFullYear() + 1;

/** The booking link from the invitation in the outbox (<DATA_DIR>/outbox/*.eml; the data dir is under the temp dir). */
async function bookingLinkFor(address: string): Promise<string> {
  for (let attempt = 0; attempt < 40; attempt++) {
    for (const dir of readdirSync(tmpdir()).filter((d) => d.startsWith('kindred-e2e-'))) {
      const outbox = path.join(tmpdir(), dir, 'data', 'outbox');
      let files: string[];
      try {
        files = readdirSync(outbox).filter((f) => f.endsWith('.eml'));
      } catch {
        continue;
      }
      for (const file of files) {
        const text = readFileSync(path.join(outbox, file), 'utf8')
          .replace(/=\r?\n/g, '')
          .replace(/=3D/g, '=');
        if (!text.includes(address) || !text.includes('Book your place')) continue;
        const link = /https?:\/\/\S+\/adopt\/events\/book\/[A-Za-z0-9_-]{43}/.exec(text);
        if (link) return link[0];
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`No invitation for ${address} in the outbox`);
}

describe('events and courses (issue 5 §4)', () => {
  let reference = '';

  it('takes an enquiry from a member of the public', async () => {
    const { page } = journey.browser;
    await journey.browser.context.clearCookies();
    await visit(page, `${journey.kindred.baseUrl}/adopt/enquire`);
    await page.getByLabel('Your name').fill('Casey Booker');
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Postcode').fill('SE15 5AB');
    await page.getByLabel('On my own').check();
    await page.getByLabel('No', { exact: true }).check();
    await page.getByLabel('How did you hear about us?').selectOption({ label: 'An internet search' });
    await submit(page, page.getByRole('button', { name: 'Send enquiry' }));
    reference = (await page.locator('.govuk-panel__body strong').textContent()) ?? '';
    expect(reference).toMatch(/^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);
  });

  it('lets RAA staff create an event with a session and invite the enquirer', async () => {
    const { page } = journey.browser;
    await journey.signInAsDemoUser('assessing.social.worker@demo.kindred.invalid');
    await visit(page, `${journey.kindred.baseUrl}/events`);
    await submit(page, page.getByRole('button', { name: 'Create an event' }));
    await page.getByLabel('Information event').check();
    await page.getByLabel('Title').fill('Spring information evening');
    await submit(page, page.getByRole('button', { name: 'Create event' }));
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Spring information evening',
    );
    await submit(page, page.getByRole('button', { name: 'Add a session' }));
    await page.getByLabel('Day').fill('10');
    await page.getByLabel('Month').fill('3');
    await page.getByLabel('Year').fill(String(year));
    await page.getByLabel('Start time').fill('18:30');
    await page.getByLabel('End time').fill('20:30');
    await page.getByLabel('At a venue').check();
    await page.getByLabel('Venue name (for a venue)').fill('Peckham Library');
    await page.getByLabel('Number of places').fill('12');
    await submit(page, page.getByRole('button', { name: 'Add session' }));
    await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain(
      'Session added',
    );
    await expect(page.locator('main').textContent()).resolves.toContain(
      `10 March ${year} at 6:30pm to 8:30pm`,
    );

    await visit(page, `${journey.kindred.baseUrl}/enquiries`);
    await submit(
      page,
      page.locator('tbody tr').filter({ hasText: reference }).getByRole('link', { name: reference }),
    );
    await submit(
      page,
      page.getByRole('link', { name: 'Invite them to an information event or preparation group' }),
    );
    await page.getByLabel('Spring information evening').check();
    await submit(page, page.getByRole('button', { name: 'Send invitation' }));
    await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain(
      `Invitation sent to ${email}`,
    );
  });

  it('lets the enquirer book from the link in their email, without signing in', async () => {
    const { page } = journey.browser;
    const link = await bookingLinkFor(email);
    await journey.browser.context.clearCookies();
    await visit(page, link);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Book a place: Spring information evening',
    );
    await submit(page, page.getByRole('button', { name: 'Book' }));
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain('Select a session');
    await page.getByLabel(`10 March ${year} at 6:30pm to 8:30pm`).check();
    await submit(page, page.getByRole('button', { name: 'Book' }));
    await expect(page.locator('.govuk-panel__title').textContent()).resolves.toContain('You have a place');
    await expect(page.locator('main').textContent()).resolves.toContain('Peckham Library');
  });

  it('shows the booking to RAA staff', async () => {
    const { page } = journey.browser;
    await journey.signInAsDemoUser('assessing.social.worker@demo.kindred.invalid');
    await visit(page, `${journey.kindred.baseUrl}/events`);
    await submit(page, page.getByRole('link', { name: `10 March ${year} at 6:30pm to 8:30pm` }).first());
    const row = page.locator('tbody tr').filter({ hasText: 'Casey Booker' });
    await expect(row.textContent()).resolves.toContain('Booked');
  });
});
