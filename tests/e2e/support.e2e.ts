// Adoption support in Chromium (issue 8), every page scanned by axe-core: the demo's support worker
// opens Adoption support from the navigation, follows the demo family's case to its letterbox
// agreement, opens the item that has just arrived, tries to record a check that still holds the
// family's surname (refused, with a message linked to the text), removes it, records the check and
// forwards the item; then tries to release the item the team manager held, without a fresh check,
// and is refused.
import { describe, expect, it } from 'vitest';
import { submit, visit } from './support/browser.js';
import { useKindredInChromium } from './support/journey.js';

const journey = useKindredInChromium();

describe('letterbox contact (issue 8 §4)', () => {
  it(
    'checks and redacts an item and forwards it, and refuses to release a held item without a check',
    { timeout: 180_000 },
    async () => {
      const { page } = journey.browser;
      const { baseUrl } = journey.kindred;
      await journey.signInAsDemoUser('support.worker@demo.kindred.invalid');
      await visit(page, `${baseUrl}/`);
      await submit(
        page,
        page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Adoption support' }),
      );
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Adoption support');

      const familyRow = page.locator('#caseload tbody tr', { hasText: 'Robin and Alex Demoquill' });
      await submit(page, familyRow.getByRole('link'));
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
        'Robin and Alex Demoquill',
      );
      await expect(page.locator('#fund').textContent()).resolves.toContain('Approved');

      await submit(page, page.locator('#agreements tbody tr').first().getByRole('link'));
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toMatch(
        /^Letterbox agreement LB-/,
      );

      await submit(
        page,
        page.locator('#exchanges tbody tr', { hasText: 'Received, not yet checked' }).getByRole('link'),
      );
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain(
        'Received, not yet checked',
      );
      await expect(page.locator('#original-text').textContent()).resolves.toContain('Demoquill');

      // The text as it arrived still names the family and the school: the check is refused.
      await page.getByLabel('What did you remove?').fill('Nothing');
      await submit(page, page.getByRole('button', { name: 'Record the check' }));
      await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain(
        'The checked text still contains the adoptive family’s surname',
      );
      await page.locator('.govuk-error-summary a').first().click();
      await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('redactedText');

      await page
        .getByLabel('The item as it will be passed on')
        .fill(
          'Dear Jo,\nPoppy has started Year 2 and has a new friend. She still loves swimming.\nLove from Mum and Dad',
        );
      await page
        .getByLabel('What did you remove?')
        .fill('Removed the school, a friend’s name and the surname');
      await submit(page, page.getByRole('button', { name: 'Record the check' }));
      await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain(
        'Check recorded',
      );
      await expect(page.locator('#redacted-text').textContent()).resolves.not.toContain('Demoquill');

      await submit(page, page.getByRole('button', { name: 'Forward the item' }));
      await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain(
        'Item forwarded',
      );
      await expect(page.locator('#item-outputs').textContent()).resolves.toContain(
        'Covering letter with the family’s letter',
      );

      // The birth mother's item, held by the team manager: no release without a fresh check.
      await submit(page, page.getByRole('link', { name: /^Back to agreement/ }));
      await submit(page, page.locator('#exchanges tbody tr', { hasText: 'Held' }).getByRole('link'));
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('Held');
      await submit(page, page.getByRole('button', { name: 'Release and forward' }));
      await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain(
        'This item is held, so it cannot be released yet: a worker other than the one who held it must check it again first',
      );
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('Held');
    },
  );

  it(
    'passes an accessibility scan on every other support page, for each kind of user',
    { timeout: 180_000 },
    async () => {
      const { page } = journey.browser;
      const { baseUrl } = journey.kindred;
      await journey.signInAsDemoUser('support.worker@demo.kindred.invalid');
      await visit(page, `${baseUrl}/support`);
      const caseHref = await page
        .locator('#caseload tbody tr', { hasText: 'Demoquill' })
        .getByRole('link')
        .getAttribute('href');
      for (const path of [
        '/support/cases/new',
        `${caseHref}/edit`,
        `${caseHref}/fund/new`,
        `${caseHref}/letterbox/new`,
        '/support/offer',
      ]) {
        await visit(page, `${baseUrl}${path}`);
        await expect(page.getByRole('heading', { level: 1 }).count()).resolves.toBe(1);
      }
      await submit(page, page.locator('#offer tbody tr').first().getByRole('link'));
      await visit(page, `${baseUrl}${caseHref}`);
      await submit(page, page.locator('#fund tbody tr').first().getByRole('link'));
      await visit(page, `${baseUrl}/support?q=Inventedson`);
      await submit(page, page.locator('#caseload tbody tr').first().getByRole('link'));
      await submit(page, page.locator('#records tbody tr').first().getByRole('link'));
      await expect(page.locator('main .govuk-warning-text').textContent()).resolves.toContain(
        '12 November 1975',
      );

      await journey.signInAsDemoUser('team.manager@demo.kindred.invalid');
      await visit(page, `${baseUrl}/support/spend`);
      await expect(page.locator('#spend').textContent()).resolves.toContain('Lewisham');

      await journey.signInAsDemoUser('la.social.worker@demo.kindred.invalid');
      await visit(page, `${baseUrl}/support/liaison`);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
        'Adoption support liaison',
      );
      await expect(page.locator('main').textContent()).resolves.not.toContain('Demoquill');
    },
  );
});
