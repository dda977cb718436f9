// The tracking board, /children: every child in scope by stage, with filters and a CSV export of
// the filtered list.
import type { Locator } from 'playwright-core';
import { submit } from '../support/browser.js';
import { PageObject } from './page-object.js';

export class ChildrenBoardPage extends PageObject {
  static readonly pathname = '/children';

  async open(): Promise<void> {
    await this.go(ChildrenBoardPage.pathname);
  }

  /** Chooses filters by their visible labels and applies them (a GET form: a new page). */
  async filter(choices: { council?: string; overdue?: string; search?: string }): Promise<void> {
    if (choices.search) await this.page.getByLabel('Name or council child ID').fill(choices.search);
    if (choices.council)
      await this.page.getByLabel('Council', { exact: true }).selectOption({ label: choices.council });
    if (choices.overdue)
      await this.page.getByLabel('Overdue', { exact: true }).selectOption({ label: choices.overdue });
    await submit(this.page, this.page.getByRole('button', { name: 'Apply filters' }));
  }

  /** The board's row for a child, found by the link with the child's name. */
  row(childName: string): Locator {
    return this.page
      .locator('table.kindred-board tbody tr')
      .filter({ has: this.page.getByRole('link', { name: childName, exact: true }) });
  }

  caption(): Locator {
    return this.page.locator('table.kindred-board caption');
  }

  csvLink(): Locator {
    return this.page.getByRole('link', { name: 'Download these children as CSV' });
  }

  /** Fetches the CSV the download link points at, with this browser's session. */
  async downloadCsv(): Promise<{ status: number; contentType: string; disposition: string; text: string }> {
    const href = await this.csvLink().getAttribute('href');
    if (!href) throw new Error('The CSV link has no address');
    const response = await this.page.request.get(new URL(href, this.page.url()).toString());
    return {
      status: response.status(),
      contentType: response.headers()['content-type'] ?? '',
      disposition: response.headers()['content-disposition'] ?? '',
      text: await response.text(),
    };
  }

  async openChild(childName: string): Promise<void> {
    await submit(this.page, this.row(childName).getByRole('link', { name: childName, exact: true }));
  }
}
