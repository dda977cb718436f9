// A child's record, /children/:id: stage, hard-to-place tags, details, the family finder form,
// the journey and the child's scheduled work.
import type { Locator } from 'playwright-core';
import { submit } from '../support/browser.js';
import { PageObject } from './page-object.js';

export class ChildRecordPage extends PageObject {
  static pathFor(childId: string): string {
    return `/children/${childId}`;
  }

  async open(childId: string): Promise<void> {
    await this.go(ChildRecordPage.pathFor(childId));
  }

  /** The child's id, from the address of the record being shown. */
  childId(): string {
    const match = /^\/children\/([0-9a-f-]{36})$/.exec(this.pathname());
    if (!match?.[1]) throw new Error(`Not on a child's record: ${this.page.url()}`);
    return match[1];
  }

  successBanner(): Locator {
    return this.page.locator('.govuk-notification-banner--success');
  }

  /** The tag beside the heading naming the child's current stage. */
  stage(): Locator {
    return this.page.locator('main p.govuk-body > .govuk-tag').first();
  }

  hardToPlaceTags(): Locator {
    return this.page.getByRole('list', { name: 'Hard to place' }).getByRole('listitem');
  }

  warnings(): Locator {
    return this.page.locator('main .govuk-warning-text__text');
  }

  /** The value beside a key in the "Details" summary list. */
  detail(key: string): Locator {
    return this.page
      .locator('.govuk-summary-list__row')
      .filter({ has: this.page.locator('.govuk-summary-list__key', { hasText: key }) })
      .locator('.govuk-summary-list__value')
      .first();
  }

  addToJourney(): Locator {
    return this.page.getByRole('button', { name: 'Add to the journey' });
  }

  changeDetails(): Locator {
    return this.page.getByRole('button', { name: 'Change details' });
  }

  /** Rows of the journey's table of dated facts, oldest first. */
  journeyRows(): Locator {
    return this.page
      .locator('table')
      .filter({ has: this.page.locator('caption', { hasText: 'Dates in the journey' }) })
      .locator('tbody tr');
  }

  /** The "Correct" link beside a fact in the journey (its name says which fact and date). */
  correctLink(what: string, date: string): Locator {
    return this.page.getByRole('link', { name: `Correct ${what}, ${date}`, exact: true });
  }

  /** Rows of the "Work" table: the service schedule's tasks for this child. */
  taskRow(title: string): Locator {
    return this.page
      .locator('table')
      .filter({ has: this.page.locator('caption', { hasText: 'Tasks the service schedule gives' }) })
      .locator('tbody tr')
      .filter({ has: this.page.getByRole('cell', { name: title, exact: true }) });
  }

  /** Allocates a family finder with the form on the record (RAA staff only). */
  async allocateFamilyFinder(name: string, onDate: string): Promise<void> {
    const [year, month, day] = onDate.split('-');
    await this.page.getByLabel('Family finder', { exact: true }).selectOption({ label: name });
    await this.page.locator('#allocatedOn-day').fill(String(Number(day)));
    await this.page.locator('#allocatedOn-month').fill(String(Number(month)));
    await this.page.locator('#allocatedOn-year').fill(year ?? '');
    await submit(this.page, this.page.getByRole('button', { name: 'Allocate', exact: true }));
  }
}
