// Panels and agency decisions in Chromium (issue 7), every page scanned by axe-core: the demo's
// panel adviser opens Panels from the navigation, schedules a sitting of the South East panel,
// then takes the panel's latest sitting (the last working day: the demo seeds it with members
// asked), builds its agenda from the cases ready for panel, records attendance, minutes the
// recommendation after a mistake the error summary catches, and signs the minute off for the
// chair; the RAA's agency decision maker finds it in Decisions, sees the clock and approves; the
// team manager follows the item to the household, now approved and waiting for a match.
import { describe, expect, it } from 'vitest';
import {
  addCalendarDays,
  addWorkingDays,
  englandAndWalesCalendar,
  todayInLondon,
} from '../../src/platform/time/index.js';
import { formatDate } from '../../src/platform/views/render.js';
import { submit, visit } from './support/browser.js';
import { useKindredInChromium } from './support/journey.js';

const journey = useKindredInChromium();

function lastWorkingDayOnOrBefore(date: string): string {
  let day = date;
  while (!englandAndWalesCalendar().isWorkingDay(day)) day = addCalendarDays(day, -1);
  return day;
}

describe('adoption panels and agency decisions (issue 7)', () => {
  const today = todayInLondon();
  const recent = lastWorkingDayOnOrBefore(today);
  let itemUrl = '';

  it(
    'lets the panel adviser schedule a sitting, build the agenda, record attendance and a recommendation, and sign off',
    { timeout: 180_000 },
    async () => {
      const { page } = journey.browser;
      const { baseUrl } = journey.kindred;
      await journey.signInAsDemoUser('panel.adviser@demo.kindred.invalid');
      await visit(page, `${baseUrl}/`);
      await submit(
        page,
        page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Panels' }),
      );
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Adoption panels');
      await expect(page.locator('main').textContent()).resolves.toContain('(to be confirmed)');
      await submit(page, page.getByRole('link', { name: 'South East adoption panel' }));

      // Schedule a sitting a few weeks ahead, on a working day.
      const ahead = addWorkingDays(today, 25);
      const [year, month, day] = ahead.split('-');
      await page.getByLabel('Day', { exact: true }).fill(String(Number(day)));
      await page.getByLabel('Month', { exact: true }).fill(String(Number(month)));
      await page.getByLabel('Year', { exact: true }).fill(year ?? '');
      await page.getByLabel('Venue (optional)').fill('Southwark civic centre, room 3');
      await submit(page, page.getByRole('button', { name: 'Schedule sitting' }));
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
        `Sitting on ${formatDate(ahead)}`,
      );
      await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain(
        'Sitting scheduled',
      );

      // The panel's latest sitting: build its agenda from the cases ready for panel.
      await submit(page, page.getByRole('link', { name: 'Back to South East adoption panel' }));
      await submit(
        page,
        page.locator('#sittings').getByRole('link', { name: formatDate(recent), exact: true }),
      );
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
        `Sitting on ${formatDate(recent)}`,
      );
      await submit(page, page.getByRole('link', { name: 'Add cases ready for panel to the agenda' }));
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
        'Cases ready for panel',
      );
      await submit(
        page,
        page.locator('#ready-approvals').getByRole('button', { name: /Morgan Demo-Ashdown/ }),
      );
      await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain(
        'Case added to the agenda',
      );
      await expect(page.locator('#quorum').textContent()).resolves.toContain('Not quorate');

      // Everyone asked came.
      for (const radio of await page.locator('input[type="radio"][value="present"]').all())
        await radio.check();
      await submit(page, page.getByRole('button', { name: 'Save attendance' }));
      await expect(page.locator('#quorum').textContent()).resolves.toContain('Quorate');

      await submit(page, page.locator('#agenda').getByRole('link', { name: /Morgan Demo-Ashdown/ }));
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
        'Approval of prospective adopters',
      );
      itemUrl = new URL(page.url()).pathname;

      // A minute without a recommendation is refused beside the radios.
      await page
        .getByLabel('Reasons', { exact: true })
        .fill('A thorough report; the applicants spoke warmly about their support network.');
      await submit(page, page.getByRole('button', { name: 'Save minute' }));
      await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain(
        'Choose the panel’s recommendation',
      );
      await page.getByLabel('Recommends that the applicants are suitable to adopt').check();
      await page.getByLabel('Votes in favour (optional)').fill('6');
      await submit(page, page.getByRole('button', { name: 'Save minute' }));
      await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain(
        'Minute saved',
      );
      await submit(page, page.getByRole('button', { name: 'Sign off the minute' }));
      await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain(
        'Minute signed off',
      );
      await expect(page.locator('#minute').textContent()).resolves.toContain(
        'for the chair, Imogen Demo-Harcourt',
      );
    },
  );

  it(
    'lets the agency decision maker approve within the clock, and the household joins the pool',
    { timeout: 120_000 },
    async () => {
      const { page } = journey.browser;
      const { baseUrl } = journey.kindred;
      await journey.signInAsDemoUser('agency.decision.maker@demo.kindred.invalid');
      await visit(page, `${baseUrl}/`);
      await submit(
        page,
        page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Decisions' }),
      );
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Agency decisions');
      await expect(page.locator('#awaiting').textContent()).resolves.toContain('working days left');
      await submit(page, page.locator('#awaiting').getByRole('link', { name: /Morgan Demo-Ashdown/ }));
      expect(new URL(page.url()).pathname).toBe(itemUrl);
      await expect(page.locator('#decision').textContent()).resolves.toContain('Decision due by');
      await page.getByLabel('Approved as suitable to adopt').check();
      await page
        .getByLabel('Your reasons')
        .fill('The assessment is thorough and the panel’s reasons are sound.');
      await submit(page, page.getByRole('button', { name: 'Record decision' }));
      await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain(
        'Decision recorded',
      );
      await expect(page.locator('#letters').textContent()).resolves.toContain('.pdf');

      // The team manager follows the item to the household: approved, in the pool.
      await journey.signInAsDemoUser('team.manager@demo.kindred.invalid');
      await visit(page, `${baseUrl}${itemUrl}`);
      await submit(page, page.locator('.govuk-summary-list').getByRole('link', { name: /^Household / }));
      await expect(page.locator('main').textContent()).resolves.toContain('Approved, waiting for a match');
    },
  );
});
