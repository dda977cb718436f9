// "Link a sibling", /children/:id/siblings/new → POST /children/:id/siblings.
import type { Locator } from 'playwright-core';
import { submit } from '../support/browser.js';
import { PageObject } from './page-object.js';

export class SiblingFormPage extends PageObject {
  errorSummary(): Locator {
    return this.page.locator('.govuk-error-summary');
  }

  /** Links the child with this council child ID (at the council already chosen) with a plan. */
  async link(
    siblingChildId: string,
    plan: 'To be placed together' | 'To be placed apart' | 'Not yet decided',
  ): Promise<void> {
    await this.page.getByLabel("Sibling's child ID at that council").fill(siblingChildId);
    await this.page.getByLabel(plan, { exact: true }).check();
    await submit(this.page, this.page.getByRole('button', { name: 'Link sibling' }));
  }
}
