// "Add to the journey" (GET /children/:id/journey/new → POST /children/:id/journey): one dated
// milestone in the child's journey, driven here from the keyboard.
import type { Locator } from 'playwright-core';
import { pressEnterOn, typeDate, typeInto, typeToSelect } from '../support/keyboard.js';
import { PageObject } from './page-object.js';

export class JourneyFactPage extends PageObject {
  errorSummary(): Locator {
    return this.page.locator('.govuk-error-summary');
  }

  /** The error shown beside the "Date it happened" fields. */
  dateError(): Locator {
    return this.page.locator('#effectiveDate-error');
  }

  /** Picks what happened and types the date, from the keyboard, then presses the button with Enter. */
  async recordWithKeyboard(what: string, date: string): Promise<void> {
    await typeToSelect(this.page, this.page.locator('#kind'), what);
    await typeDate(this.page, this.page.locator('#effectiveDate-day'), date);
    await pressEnterOn(this.page, this.page.getByRole('button', { name: 'Add to the journey' }));
  }

  /** On the correction form (?correct=<factId>): the right date and why, from the keyboard. */
  async correctWithKeyboard(date: string, reason: string): Promise<void> {
    await typeDate(this.page, this.page.locator('#effectiveDate-day'), date);
    await typeInto(this.page, this.page.getByLabel('Why the date is being corrected'), reason);
    await pressEnterOn(this.page, this.page.getByRole('button', { name: 'Record correction' }));
  }
}
