// The conversion funnel in Chromium (issue 5 §5), scanned by axe-core: an RAA manager opens it
// from the navigation, filters it, and finds the chart's numbers and the CSV link.
import { describe, expect, it } from 'vitest';
import { submit, visit } from './support/browser.js';
import { useKindredInChromium } from './support/journey.js';

const journey = useKindredInChromium();

describe('the conversion funnel (issue 5 §5)', () => {
  it('shows the funnel with its numbers and filters, and offers the CSV', async () => {
    const { page } = journey.browser;
    await journey.signInAsDemoUser('assessing.social.worker@demo.kindred.invalid');
    await visit(page, `${journey.kindred.baseUrl}/`);
    await submit(
      page,
      page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Conversion funnel' }),
    );
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Conversion funnel');
    const chart = page.locator('#funnel-chart');
    await expect(chart.locator('tbody tr').count()).resolves.toBe(5);
    await expect(chart.textContent()).resolves.toContain('Enquiries');
    await page.getByLabel('How they heard of us').selectOption({ label: 'Social media' });
    await submit(page, page.getByRole('button', { name: 'Apply filters' }));
    expect(page.url()).toContain('source=social_media');
    await expect(
      page.getByRole('link', { name: 'Download this funnel as CSV' }).getAttribute('href'),
    ).resolves.toContain('/adopters/funnel.csv?');
  });
});
