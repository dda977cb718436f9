// The RAA's public front door in Chromium (issue 5 §1), every page scanned by axe-core: a member
// of the public reads about adopting, makes a mistake, sends an enquiry and gets a reference; an
// RAA assessing social worker finds it in the triage queue with the council of residence.
import { describe, expect, it } from 'vitest';
import { submit, visit } from './support/browser.js';
import { useKindredInChromium } from './support/journey.js';

const journey = useKindredInChromium();
let reference = '';

describe('asking about adopting (issue 5 §1)', () => {
  it('lets a member of the public enquire without signing in, correcting a mistake on the way', async () => {
    const { page } = journey.browser;
    await journey.browser.context.clearCookies();
    await visit(page, `${journey.kindred.baseUrl}/adopt`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Adopting a child');
    await submit(page, page.getByRole('button', { name: 'Ask about adopting' }));
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Ask about adopting');

    await page.getByLabel('Your name').fill('Jordan Enquirer');
    await page.getByLabel('Email address').fill('jordan.enquirer@example.test');
    await page.getByLabel('Postcode').fill('SE15');
    await submit(page, page.getByRole('button', { name: 'Send enquiry' }));
    const summary = page.locator('.govuk-error-summary');
    await expect(summary.textContent()).resolves.toContain('Enter a real postcode, like SE15 5AB');
    await expect(page.getByLabel('Your name').inputValue()).resolves.toBe('Jordan Enquirer');

    await page.getByLabel('Postcode').fill('SE15 5AB');
    await page.getByLabel('With a partner').check();
    await page.getByLabel('Yes, I have adopted before').check();
    await page.getByLabel('How did you hear about us?').selectOption({ label: 'Social media' });
    await submit(page, page.getByRole('button', { name: 'Send enquiry' }));
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('Enquiry sent');
    reference = (await page.locator('.govuk-panel__body strong').textContent()) ?? '';
    expect(reference).toMatch(/^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);
  });

  it('puts the enquiry in the RAA’s triage queue with the council of residence', async () => {
    const { page } = journey.browser;
    expect(reference, 'the enquiry sent by the first journey').not.toBe('');
    await journey.signInAsDemoUser('assessing.social.worker@demo.kindred.invalid');
    await visit(page, `${journey.kindred.baseUrl}/enquiries`);
    const row = page.locator('tbody tr').filter({ hasText: reference });
    await expect(row.textContent()).resolves.toContain('Jordan Enquirer');
    await expect(row.textContent()).resolves.toContain('Southwark');
    await submit(page, row.getByRole('link', { name: reference }));
    await expect(page.getByText('may be eligible for the fast track').isVisible()).resolves.toBe(true);
    await page.getByLabel('Contacted').check();
    await page.getByLabel('Note (optional)').fill('Phoned; booked onto the next information event.');
    await submit(page, page.getByRole('button', { name: 'Save' }));
    await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain('Saved');
  });

  it('records the registration of interest and the start of Stage One, with the clock shown', async () => {
    const { page } = journey.browser;
    await submit(page, page.getByRole('link', { name: 'Record their registration of interest' }));
    await page.getByLabel('Married couple (different gender)', { exact: true }).check();
    const second = page.getByRole('group', { name: 'Second applicant (couples only)' });
    await second.getByLabel('First name').fill('Robin');
    await second.getByLabel('Last name').fill('Enquirer');
    await second.getByLabel('Day').fill('2');
    await second.getByLabel('Month').fill('2');
    await second.getByLabel('Year').fill('1986');
    await second.getByLabel('Male', { exact: true }).check();
    await second.getByLabel('Ethnicity').selectOption('WBRI');
    const first = page.getByRole('group', { name: 'First applicant' });
    await first.getByLabel('Day').fill('1');
    await first.getByLabel('Month').fill('1');
    await first.getByLabel('Year').fill('1985');
    await first.getByLabel('Female', { exact: true }).check();
    await first.getByLabel('Ethnicity').selectOption('BCRB');
    await page.getByLabel('Address line 1').fill('10 Example Street');
    const received = page.getByRole('group', { name: 'Date the registration of interest was received' });
    const today = new Date();
    await received.getByLabel('Day').fill(String(today.getDate()));
    await received.getByLabel('Month').fill(String(today.getMonth() + 1));
    await received.getByLabel('Year').fill(String(today.getFullYear()));
    await submit(page, page.getByRole('button', { name: 'Record registration' }));
    await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain(
      'Registration of interest recorded',
    );
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Jordan Enquirer and Robin Enquirer',
    );

    const recordStep = async (kind: string, extra: () => Promise<void> = async () => undefined) => {
      await submit(page, page.getByRole('button', { name: 'Record a step' }));
      await page.getByLabel('What happened').selectOption({ label: kind });
      const date = page.getByRole('group', { name: 'Date it happened' });
      await date.getByLabel('Day').fill(String(today.getDate()));
      await date.getByLabel('Month').fill(String(today.getMonth() + 1));
      await date.getByLabel('Year').fill(String(today.getFullYear()));
      await extra();
      await submit(page, page.getByRole('button', { name: 'Record step' }));
    };
    await recordStep('Decision on the registration of interest', () =>
      page
        .getByLabel('Decision on the registration of interest')
        .selectOption('accepted')
        .then(() => undefined),
    );
    await recordStep('Stage One started');
    await expect(page.locator('main').textContent()).resolves.toMatch(/Stage One:\s*Day 0 of \d+/);
  });

  it("records an applicant's answer to the disability question (Ofsted Annex A List 11)", async () => {
    const { page } = journey.browser;
    await submit(page, page.getByRole('link', { name: 'Jordan Enquirer' }));
    const question = page.getByRole('group', {
      name: 'Does Jordan Enquirer consider themselves to have a disability? (optional)',
    });
    await question.getByLabel('Prefers not to say', { exact: true }).check();
    await submit(page, page.getByRole('button', { name: 'Save' }));
    await expect(page.locator('main').textContent()).resolves.toContain('disability: prefers not to say');
  });
});
