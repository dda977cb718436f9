// "My work", /my-work: the signed-in person's tasks, and their team's tasks nobody has taken yet.
import type { Locator } from 'playwright-core';
import { submit } from '../support/browser.js';
import { PageObject } from './page-object.js';

export class MyWorkPage extends PageObject {
  static readonly pathname = '/my-work';

  async open(): Promise<void> {
    await this.go(MyWorkPage.pathname);
  }

  successBanner(): Locator {
    return this.page.locator('.govuk-notification-banner--success');
  }

  private table(caption: RegExp): Locator {
    return this.page.locator('table').filter({ has: this.page.locator('caption', { hasText: caption }) });
  }

  /** A task in one of the lists, by its title and the child's name. */
  private task(list: 'mine' | 'team', title: string, childName: string): Locator {
    return this.table(list === 'mine' ? /^Your tasks/ : /^Your team's tasks/)
      .locator('tbody tr')
      .filter({ hasText: title })
      .filter({ has: this.page.getByRole('link', { name: childName, exact: true }) });
  }

  myTask(title: string, childName: string): Locator {
    return this.task('mine', title, childName);
  }

  teamTask(title: string, childName: string): Locator {
    return this.task('team', title, childName);
  }

  async take(title: string, childName: string): Promise<void> {
    await submit(
      this.page,
      this.page.getByRole('button', { name: `Take: ${title}, ${childName}`, exact: true }),
    );
  }

  async markDone(title: string, childName: string): Promise<void> {
    await submit(
      this.page,
      this.page.getByRole('button', { name: `Mark as done: ${title}, ${childName}`, exact: true }),
    );
  }
}
