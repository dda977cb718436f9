// Performance reports, statutory returns and SSDA903 imports in Chromium (issue 9), every page
// scanned by axe-core: the demo's performance officer opens Reports from the navigation, follows a
// scorecard figure to the children behind it, opens the monthly tracking report and a council's
// quarterly report (downloading its XLSX), checks every statutory return and downloads one as CSV
// in the published column order; the head of service writes the quarterly commentary after two
// mistakes the error summary catches, and the monthly one from the keyboard alone; the
// performance officer imports the fake SSDA903 return (refused without files, then checked, its
// error report downloaded, and only the valid children imported); the board member sees the
// dashboard's charts with their tables and is refused the children behind a figure and the returns.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Download, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectNoAccessibilityViolations, submit, visit } from './support/browser.js';
import { useKindredInChromium } from './support/journey.js';
import { hasFocus, pressEnterOn, typeInto } from './support/keyboard.js';

const journey = useKindredInChromium();

const fakeReturn = path.resolve('tests/fixtures/ssda903/fake-data');
const heading = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();
const menuLink = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name, exact: true });

/** Clicks a download link (no new document) and returns the file Chromium saved. */
async function download(page: Page, link: ReturnType<Page['getByRole']>): Promise<Download> {
  const started = page.waitForEvent('download');
  await link.click();
  return started;
}

async function savedBytes(file: Download): Promise<Buffer> {
  expect(await file.failure()).toBeNull();
  return readFileSync(await file.path());
}

const running = /Waiting to start|Reading the files|Checking the return|Importing/;

/**
 * Waits (up to a minute) until the import's job page shows a result. While the job runs the page
 * checks itself every 5 seconds and loads the result when it is done; the result page is scanned.
 */
async function waitForImportResult(page: Page): Promise<string> {
  const status = page.locator('#status [data-status-text]');
  const deadline = Date.now() + 60_000;
  for (;;) {
    const text = (await status.textContent().catch(() => null))?.trim() ?? '';
    if (text && !running.test(text)) break;
    if (Date.now() > deadline) throw new Error(`The import was still "${text}" after a minute`);
    await page.waitForTimeout(500);
  }
  await expectNoAccessibilityViolations(page);
  return (await status.textContent())?.trim() ?? '';
}

/** The value beside a key in the job page's summary list. */
const summaryValue = (page: Page, key: string) =>
  page
    .locator('.govuk-summary-list__row', { has: page.getByText(key, { exact: true }) })
    .locator('.govuk-summary-list__value')
    .textContent()
    .then((text) => text?.trim() ?? '');

describe('performance reports and statutory returns (issue 9)', () => {
  let drillDownUrl = '';
  let quarterlyUrl = '';

  it(
    'lets the performance officer open the scorecard, its children, the reports and every return, and download them',
    { timeout: 240_000 },
    async () => {
      const { page } = journey.browser;
      const { baseUrl } = journey.kindred;
      await journey.signInAsDemoUser('performance.officer@demo.kindred.invalid');
      await visit(page, `${baseUrl}/`);
      await submit(page, menuLink(page, 'Reports'));
      await expect(heading(page)).resolves.toBe('Reports');

      // The scorecard: a figure leads to exactly the children it counts.
      await submit(page, page.locator('#reports').getByRole('link', { name: 'Adoption Scorecard' }));
      await expect(heading(page)).resolves.toBe('Adoption Scorecard');
      const councils = page.locator('#scorecard-council-children');
      await expect(councils.locator('tbody tr').count()).resolves.toBe(10);
      const a1 = councils
        .locator('tbody td', { has: page.locator('a[href*="/reports/scorecard/A1/"]') })
        .filter({ hasText: /\d+ child/ })
        .first();
      const counted = (await a1.innerText()).match(/^(\d+) (?:child|children)$/m)?.[1];
      expect(counted, 'the A1 cell says how many children it averages').toBeDefined();
      await submit(page, a1.getByRole('link'));
      drillDownUrl = page.url();
      await expect(heading(page)).resolves.toBe(
        'A1: average days from entering care to moving in with the adoptive family',
      );
      await expect(page.locator('#drill-down tbody tr').count()).resolves.toBe(Number(counted));
      const firstChild = page.locator('#drill-down tbody tr').first().getByRole('link');
      const childName = (await firstChild.textContent())?.trim();
      await submit(page, firstChild);
      await expect(heading(page)).resolves.toContain(childName);

      // The monthly tracking report, with each chart's figures in a table.
      await visit(page, `${baseUrl}/reports`);
      await submit(page, page.getByRole('link', { name: 'Monthly tracking report' }));
      await expect(heading(page)).resolves.toMatch(/^Monthly tracking report: \w+ \d{4}$/);
      await expect(page.locator('figure svg[role="img"]').count()).resolves.toBeGreaterThan(0);
      await expect(page.locator('figure table tbody tr').count()).resolves.toBeGreaterThan(0);

      // A council's quarterly report, and its XLSX.
      await visit(page, `${baseUrl}/reports`);
      await submit(
        page,
        page.locator('#quarterly-reports').getByRole('link', { name: 'London Borough of Lewisham' }),
      );
      quarterlyUrl = page.url();
      await expect(heading(page)).resolves.toMatch(/^Quarterly report to London Borough of Lewisham: /);
      const xlsx = await download(page, page.getByRole('link', { name: 'as XLSX' }));
      expect(xlsx.suggestedFilename()).toMatch(/^quarterly-report-\d{4}-Q[1-4]\.xlsx$/);
      const workbook = await savedBytes(xlsx);
      expect(workbook.length).toBeGreaterThan(1000);
      expect(workbook.subarray(0, 2).toString('latin1'), 'an XLSX is a zip file').toBe('PK');

      // Every return's check page; one downloaded as CSV, in the columns the page lists.
      await visit(page, `${baseUrl}/reports`);
      await submit(page, page.getByRole('link', { name: 'Statutory returns' }));
      await expect(heading(page)).resolves.toBe('Statutory returns');
      const returns = page.locator('#returns .govuk-summary-list__row');
      await expect(returns.count()).resolves.toBe(4);
      const checks = await returns.evaluateAll((rows) =>
        rows.map((row) => ({
          title: row.querySelector('dt')?.textContent?.trim() ?? '',
          href: row.querySelector('a')?.getAttribute('href') ?? '',
        })),
      );
      for (const check of checks) {
        await visit(page, `${baseUrl}${check.href}`);
        await expect(heading(page)).resolves.toBe(check.title);
        await expect(
          page.locator('#no-problems, #return-problems').count(),
          `${check.title}: either every row passed or the problems are listed`,
        ).resolves.toBe(1);
      }
      await visit(page, `${baseUrl}${checks[0]!.href}`);
      const columns = await page
        .locator('.govuk-details__text li')
        .evaluateAll((items) => items.map((item) => item.textContent?.trim() ?? ''));
      expect(columns.length).toBeGreaterThan(5);
      const csv = await download(page, page.locator('#downloads').getByRole('link', { name: /CSV$/ }));
      expect(csv.suggestedFilename()).toMatch(/^asglb-children-\d{4}-Q[1-4]\.csv$/);
      const rows = parse((await savedBytes(csv)).toString('utf8'), { bom: true }) as string[][];
      expect(rows[0], 'the published column order').toEqual(columns);
      expect(rows.length).toBeGreaterThan(1);
    },
  );

  it(
    'lets the head of service write the quarterly commentary, with mistakes caught by the error summary',
    { timeout: 240_000 },
    async () => {
      const { page } = journey.browser;
      await journey.signInAsDemoUser('head.of.service@demo.kindred.invalid');
      await visit(page, quarterlyUrl);
      await expect(page.locator('#commentary-text').textContent()).resolves.toContain(
        'No commentary has been written for this period.',
      );

      await submit(page, page.getByRole('button', { name: 'Save commentary' }));
      await expect(page.title()).resolves.toMatch(/^Error: /);
      await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain(
        'Enter the commentary',
      );
      await page.locator('.govuk-error-summary a').first().click();
      await expect(hasFocus(page.locator('#body'))).resolves.toBe(true);

      await page.locator('#body').fill('x'.repeat(10_001));
      await submit(page, page.getByRole('button', { name: 'Save commentary' }));
      await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain(
        'Commentary must be 10,000 characters or fewer',
      );
      await expect(page.locator('#body-error').textContent()).resolves.toContain(
        'Commentary must be 10,000 characters or fewer',
      );

      const commentary =
        'Lewisham’s A2 is above the threshold: two children waited long for a match.\nFamily finding has widened its search to the whole region.';
      await page.locator('#body').fill(commentary);
      await submit(page, page.getByRole('button', { name: 'Save commentary' }));
      await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain(
        'Commentary saved',
      );
      await expect(page.locator('#commentary-text').textContent()).resolves.toContain(
        'Family finding has widened its search to the whole region.',
      );
      await expect(page.locator('main').textContent()).resolves.toContain('Last saved by Catherine Byrne');

      const pdf = await download(page, page.getByRole('link', { name: 'Download as PDF' }));
      expect(pdf.suggestedFilename()).toMatch(/^quarterly-report-\d{4}-Q[1-4]\.pdf$/);
      expect((await savedBytes(pdf)).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    },
  );

  it(
    'lets the head of service write the monthly commentary from the keyboard alone',
    { timeout: 240_000 },
    async () => {
      const { page } = journey.browser;
      const { baseUrl } = journey.kindred;
      await journey.signInAsDemoUser('head.of.service@demo.kindred.invalid');
      await visit(page, `${baseUrl}/reports/tracking`);
      await typeInto(
        page,
        page.getByRole('textbox', { name: /Commentary for / }),
        'Matches picked up this month; the panel sits twice in December.',
      );
      await pressEnterOn(page, page.getByRole('button', { name: 'Save commentary' }));
      await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain(
        'Commentary saved',
      );
      await expect(page.locator('#commentary-text').textContent()).resolves.toContain(
        'the panel sits twice in December',
      );
    },
  );

  it(
    'lets the performance officer import an SSDA903 return: refused without files, checked, and only the valid children imported',
    { timeout: 240_000 },
    async () => {
      const { page } = journey.browser;
      const { baseUrl } = journey.kindred;
      await journey.signInAsDemoUser('performance.officer@demo.kindred.invalid');
      await visit(page, `${baseUrl}/`);
      await submit(page, menuLink(page, 'Imports'));
      await expect(heading(page)).resolves.toBe('SSDA903 imports');

      // Nothing chosen: one error summary, whose links move focus to the fields.
      await submit(page, page.getByRole('button', { name: 'Upload and check' }));
      await expect(page.title()).resolves.toMatch(/^Error: /);
      await expect(page.locator('.govuk-error-summary').count()).resolves.toBe(1);
      await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain(
        'Choose the return’s CSV files, or its XML file',
      );
      await page
        .locator('.govuk-error-summary')
        .getByRole('link', { name: /Choose the return/ })
        .click();
      await expect(hasFocus(page.locator('#files'))).resolves.toBe(true);

      // The fake return's tables, whatever their names, for Lewisham.
      await page.getByLabel('Council').selectOption({ label: 'London Borough of Lewisham (209)' });
      const files = readdirSync(fakeReturn)
        .filter((name) => name.endsWith('.csv'))
        .map((name) => path.join(fakeReturn, name));
      await page.locator('#files').setInputFiles(files);
      await submit(page, page.getByRole('button', { name: 'Upload and check' }));
      await expect(heading(page)).resolves.toBe('SSDA903 import');
      await expect(page.locator('meta[http-equiv="refresh"]').count()).resolves.toBe(0);
      const jobUrl = page.url();

      const checked = await waitForImportResult(page);
      expect(checked).toBe('The return has errors: nothing imported');
      await expect(page.locator('main').textContent()).resolves.toContain(
        'DoLo.csv was ignored: its columns do not match any SSDA903 table Kindred reads.',
      );
      await expect(summaryValue(page, 'Children added to Kindred')).resolves.toBe('0');
      const errorCount = Number(await summaryValue(page, 'Errors'));
      expect(errorCount).toBeGreaterThan(0);

      const report = await download(page, page.getByRole('link', { name: 'Download every error (CSV)' }));
      expect(report.suggestedFilename()).toBe('ssda903-errors-2017-18.csv');
      const errors = parse((await savedBytes(report)).toString('utf8'), { bom: true }) as string[][];
      expect(errors[0]).toEqual(['code', 'table', 'row', 'child', 'fields', 'message']);
      expect(errors.length - 1).toBe(errorCount);

      // The user's explicit choice: import only the children without errors.
      await submit(page, page.getByRole('button', { name: 'Import only the children without errors' }));
      expect(page.url()).toBe(jobUrl);
      const imported = await waitForImportResult(page);
      expect(imported).toBe('Imported');
      expect(Number(await summaryValue(page, 'Children added to Kindred'))).toBeGreaterThan(0);
      await expect(page.locator('main').textContent()).resolves.toContain('Children skipped');

      await submit(page, page.getByRole('link', { name: 'SSDA903 imports' }));
      await expect(page.locator('main table tbody tr').first().textContent()).resolves.toContain('Imported');
    },
  );

  it(
    'shows the board member the dashboard with its charts’ figures, and refuses the children behind a figure and the returns',
    { timeout: 240_000 },
    async () => {
      const { page } = journey.browser;
      const { baseUrl } = journey.kindred;
      await journey.signInAsDemoUser('board.member@demo.kindred.invalid');
      await visit(page, `${baseUrl}/`);
      await submit(page, menuLink(page, 'Reports'));
      await expect(page.locator('#reports').textContent()).resolves.not.toContain('Statutory returns');
      await submit(page, page.getByRole('link', { name: 'Board dashboard' }));
      await expect(heading(page)).resolves.toBe('Board dashboard');
      await expect(page.locator('table[id^="benefits-"]').count()).resolves.toBe(2);
      for (const chart of ['ethnicity', 'age', 'siblings', 'disability']) {
        const figure = page.locator(`#equalities-${chart}`);
        await expect(figure.locator('svg[role="img"]').count()).resolves.toBe(1);
        await expect(figure.locator(`#equalities-${chart}-table tbody tr`).count()).resolves.toBeGreaterThan(
          0,
        );
        await expect(figure.locator(`#equalities-${chart}-table thead`).textContent()).resolves.toContain(
          'Children waiting',
        );
      }

      // Aggregates only: the scorecard without links to children, and no way round it.
      await visit(page, `${baseUrl}/reports/scorecard`);
      await expect(page.locator('#scorecard-council-children a').count()).resolves.toBe(0);
      for (const url of [
        drillDownUrl,
        `${baseUrl}/reports/returns`,
        `${baseUrl}/reports/returns/asglb-children`,
      ]) {
        const response = await visit(page, url);
        expect(response?.status(), url).toBe(403);
        await expect(heading(page)).resolves.toBe('You do not have permission to see this page');
      }
    },
  );
});
