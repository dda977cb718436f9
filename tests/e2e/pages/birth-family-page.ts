// The need-to-know birth family page, /children/:id/birth-family, and its form (…/edit).
import type { Locator } from 'playwright-core';
import { submit } from '../support/browser.js';
import { PageObject } from './page-object.js';

export class BirthFamilyPage extends PageObject {
  static pathFor(childId: string): string {
    return `/children/${childId}/birth-family`;
  }

  async open(childId: string): Promise<void> {
    await this.go(BirthFamilyPage.pathFor(childId));
  }

  successBanner(): Locator {
    return this.page.locator('.govuk-notification-banner--success');
  }

  errorSummary(): Locator {
    return this.page.locator('.govuk-error-summary');
  }

  detail(key: string): Locator {
    return this.page
      .locator('.govuk-summary-list__row')
      .filter({ has: this.page.locator('.govuk-summary-list__key', { hasText: key }) })
      .locator('.govuk-summary-list__value');
  }

  async change(): Promise<void> {
    await submit(this.page, this.page.getByRole('button', { name: 'Change birth family details' }));
  }

  /** Fills in the form's fields given (by label) and saves. */
  async save(fields: { mother?: string; postcodeDistrict?: string }): Promise<void> {
    if (fields.mother !== undefined) await this.page.getByLabel("Birth mother's name").fill(fields.mother);
    if (fields.postcodeDistrict !== undefined) {
      await this.page
        .getByLabel('Postcode district where the birth family lives')
        .fill(fields.postcodeDistrict);
    }
    await submit(this.page, this.page.getByRole('button', { name: 'Save', exact: true }));
  }
}
