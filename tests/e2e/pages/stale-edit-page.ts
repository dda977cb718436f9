// The page answering a stale edit of a child's details (409): both versions side by side, and a
// button to save the version this person typed.
import type { Locator } from 'playwright-core';
import { submit } from '../support/browser.js';
import { PageObject } from './page-object.js';

export class StaleEditPage extends PageObject {
  static readonly heading = 'Someone else changed this record';

  /** A row of the "Where the versions differ" table: the field, what is saved now, what was typed. */
  difference(field: string): { savedNow: Locator; typed: Locator } {
    const row = this.page
      .locator('table')
      .filter({ has: this.page.locator('caption', { hasText: 'Where the versions differ' }) })
      .locator('tbody tr')
      .filter({ has: this.page.getByRole('rowheader', { name: field, exact: true }) });
    return { savedNow: row.locator('td').nth(0), typed: row.locator('td').nth(1) };
  }

  /** The names of every field listed as different. */
  differenceFields(): Promise<string[]> {
    return this.page
      .locator('table')
      .filter({ has: this.page.locator('caption', { hasText: 'Where the versions differ' }) })
      .locator('tbody th[scope="row"]')
      .allTextContents()
      .then((names) => names.map((name) => name.trim()));
  }

  async saveMyVersion(): Promise<void> {
    await submit(this.page, this.page.getByRole('button', { name: 'Save my version' }));
  }
}
