// Matching in Chromium (issue 6), every page scanned by axe-core: the demo's family finder opens
// Sufficiency from the navigation, follows the child with the most compatible families to the
// ranked list, reads why a family scored as it did, compares two families side by side,
// shortlists one and moves the link on, and logs family-finding activity after a mistake; the
// team manager corrects an impossible weight. The demo's pool of invented families is used.
import { describe, expect, it } from 'vitest';
import { submit, visit } from './support/browser.js';
import { useKindredInChromium } from './support/journey.js';

const journey = useKindredInChromium();

describe('matching from one regional pool (issue 6)', () => {
  it(
    'goes from sufficiency to a ranked list, compares two families, shortlists one and moves the link on',
    { timeout: 180_000 },
    async () => {
      const { page } = journey.browser;
      const { baseUrl } = journey.kindred;
      await journey.signInAsDemoUser('family.finder@demo.kindred.invalid');
      await visit(page, `${baseUrl}/`);
      await submit(
        page,
        page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Sufficiency' }),
      );
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
        'Sufficiency of families',
      );
      await expect(page.locator('#sufficiency-bands tbody tr').count()).resolves.toBe(4);
      await expect(page.locator('#recruitment-priorities').textContent()).resolves.toContain(
        'Aged four or over',
      );

      // The children are listed fewest families first: the last has the most.
      const mostFamilies = page.locator('#sufficiency-children tbody tr').last().getByRole('link');
      const childName = (await mostFamilies.textContent())?.trim() ?? '';
      await submit(page, mostFamilies);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
        'Families who might fit',
      );
      await expect(page.locator('.govuk-caption-l').textContent()).resolves.toBe(childName);

      const candidates = page.locator('#own-pool-heading + ol > li');
      expect(await candidates.count()).toBeGreaterThan(1);
      const first = candidates.first();
      await first.getByText('Why this score').click();
      await expect(first.locator('.govuk-details__text').isVisible()).resolves.toBe(true);

      await candidates.nth(0).getByRole('checkbox').check();
      await candidates.nth(1).getByRole('checkbox').check();
      await submit(page, page.getByRole('button', { name: 'Compare chosen households' }));
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Compare families');
      await expect(page.locator('#comparison thead th').count()).resolves.toBe(2);
      await expect(page.locator('#comparison').textContent()).resolves.toContain('Needs they can meet');
      await submit(page, page.getByRole('link', { name: 'Back to families who might fit' }));

      // Families can share names; the button names the household's reference too, so it is unique.
      const firstFamily = page.locator('#own-pool-heading + ol > li').first();
      const title = (await firstFamily.locator('.kindred-candidate__title').textContent())?.trim() ?? '';
      const shortlistButton = firstFamily.getByRole('button', { name: /to the shortlist$/ });
      await expect(shortlistButton.getAttribute('aria-label')).resolves.toMatch(
        new RegExp(`^Add ${title} \\(household [A-Z0-9]{4}-[A-Z0-9]{4}\\) to the shortlist$`),
      );
      await submit(page, shortlistButton);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Link: Shortlisted');
      await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain(
        'Household added to the shortlist',
      );

      await submit(page, page.getByRole('button', { name: 'Record: Profile shared' }));
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
        'Link: Profile shared',
      );
      // An expression of interest needs its side: the error summary says so, and links to the radios.
      await submit(page, page.getByRole('button', { name: 'Record: Expression of interest' }));
      await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain(
        'Say who expressed an interest',
      );
      await page.getByLabel('The household').check();
      await page.getByLabel('Note (optional)').fill('They asked for the profile after the activity day.');
      await submit(page, page.getByRole('button', { name: 'Record: Expression of interest' }));
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
        'Link: Expression of interest',
      );
      await expect(page.locator('#link-history').textContent()).resolves.toContain(
        'expressed by the household',
      );

      await submit(page, page.getByRole('link', { name: 'Back to links and family finding' }));
      await expect(page.locator('#links').textContent()).resolves.toContain('Expression of interest');
      await submit(page, page.getByRole('button', { name: 'Log activity' }));
      await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain(
        'Choose the kind of activity',
      );
      await page.getByLabel('Kind of activity').selectOption({ label: 'Profile sent' });
      const today = new Date();
      await page.getByLabel('Day').fill(String(today.getDate()));
      await page.getByLabel('Month').fill(String(today.getMonth() + 1));
      await page.getByLabel('Year').fill(String(today.getFullYear()));
      await page.getByLabel('What happened').fill('Profile sent to Adopt London North');
      await submit(page, page.getByRole('button', { name: 'Log activity' }));
      await expect(page.locator('#activities').textContent()).resolves.toContain(
        'Profile sent to Adopt London North',
      );
    },
  );

  it('lets the team manager set the weights, refusing an impossible one with a clear message', async () => {
    const { page } = journey.browser;
    await journey.signInAsDemoUser('team.manager@demo.kindred.invalid');
    await visit(page, `${journey.kindred.baseUrl}/matching/weights`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Matching weights');
    await page.getByLabel('Religion').fill('12');
    await submit(page, page.getByRole('button', { name: 'Save weights' }));
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain(
      'The weight for religion must be 10 or less',
    );
    await page.locator('.govuk-error-summary a').first().click();
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('religion');
    await page.getByLabel('Religion').fill('3');
    await submit(page, page.getByRole('button', { name: 'Save weights' }));
    await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain(
      'Matching weights saved',
    );
  });
});
