// What every page object shares: where Kindred is, the page's main heading, and navigation that
// always goes through the axe-scanning helpers.
import type { Page, Response } from 'playwright-core';
import { visit } from '../support/browser.js';

export abstract class PageObject {
  constructor(
    protected readonly page: Page,
    protected readonly baseUrl: string,
  ) {}

  protected go(pathname: string): Promise<Response | null> {
    return visit(this.page, `${this.baseUrl}${pathname}`);
  }

  pathname(): string {
    return new URL(this.page.url()).pathname;
  }

  heading() {
    return this.page.getByRole('heading', { level: 1 });
  }

  headingText(): Promise<string> {
    return this.heading().innerText();
  }

  mainText(): Promise<string> {
    return this.page.locator('main').innerText();
  }

  demoBanner() {
    return this.page.getByTestId('demo-banner');
  }
}
