import type { Page } from 'playwright-core';
import { expectNoAccessibilityViolations, visit } from '../support/browser.js';

export class OrganisationsPage {
  constructor(
    private readonly page: Page,
    private readonly baseUrl: string,
  ) {}

  async open(): Promise<void> {
    await visit(this.page, `${this.baseUrl}/organisations`);
  }

  heading() {
    return this.page.getByRole('heading', { level: 1 });
  }

  async openOrganisation(name: string): Promise<void> {
    await this.page.getByRole('link', { name, exact: true }).first().click();
    await this.page.waitForLoadState('load');
    await expectNoAccessibilityViolations(this.page);
  }
}
