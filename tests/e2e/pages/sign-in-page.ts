import type { Page } from 'playwright-core';
import { expectNoAccessibilityViolations, visit } from '../support/browser.js';

export class SignInPage {
  constructor(
    private readonly page: Page,
    private readonly baseUrl: string,
  ) {}

  async open(): Promise<void> {
    await visit(this.page, `${this.baseUrl}/sign-in`);
  }

  async signIn(email: string, password: string): Promise<void> {
    await this.page.getByLabel('Email address').fill(email);
    await this.page.getByLabel('Password', { exact: true }).fill(password);
    await this.page.getByRole('button', { name: 'Continue' }).click();
    await this.page.waitForLoadState('load');
    await expectNoAccessibilityViolations(this.page);
  }

  errorSummary() {
    return this.page.locator('.govuk-error-summary');
  }
}
