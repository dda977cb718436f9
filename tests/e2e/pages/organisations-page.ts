import { submit } from '../support/browser.js';
import { PageObject } from './page-object.js';

export class OrganisationsPage extends PageObject {
  static readonly pathname = '/organisations';

  async open(): Promise<void> {
    await this.go(OrganisationsPage.pathname);
  }

  /** Follows the first link with exactly this organisation's name to its detail page. */
  async openOrganisation(name: string): Promise<void> {
    await submit(this.page, this.page.getByRole('link', { name, exact: true }).first());
  }

  /** The value beside a key in the detail page's summary list. */
  detail(key: string) {
    return this.page
      .locator('.govuk-summary-list__row')
      .filter({ has: this.page.locator('.govuk-summary-list__key', { hasText: key }) })
      .locator('.govuk-summary-list__value');
  }
}
