// "Add a child" (GET /children/new → POST /children) and "Change details" (/children/:id/edit):
// one form. The keyboard methods reach every field with Tab alone; the others fill it directly.
import type { Locator } from 'playwright-core';
import { submit } from '../support/browser.js';
import { chooseRadio, pressEnterOn, typeDate, typeInto, typeToSelect } from '../support/keyboard.js';
import { PageObject } from './page-object.js';

export interface NewChild {
  council: string;
  councilChildId: string;
  firstName: string;
  lastName: string;
  /** YYYY-MM-DD */
  dateOfBirth: string;
  sex: 'Male' | 'Female';
  /** The start of the option's text, e.g. "African (BAFR)". */
  ethnicity: string;
}

export class ChildFormPage extends PageObject {
  static readonly newPathname = '/children/new';

  async openNew(): Promise<void> {
    await this.go(ChildFormPage.newPathname);
  }

  async openEdit(childId: string): Promise<void> {
    await this.go(`/children/${childId}/edit`);
  }

  field(id: string): Locator {
    return this.page.locator(`#${id}`);
  }

  radio(name: string, label: string): Locator {
    return this.page
      .locator(`input[type="radio"][name="${name}"]`)
      .and(this.page.getByLabel(label, { exact: true }));
  }

  errorSummary(): Locator {
    return this.page.locator('.govuk-error-summary');
  }

  errorSummaryLinks(): Locator {
    return this.errorSummary().getByRole('link');
  }

  /** The error message shown beside a field (in its form group). */
  fieldError(id: string): Locator {
    return this.page
      .locator('.govuk-form-group--error')
      .filter({ has: this.field(id) })
      .locator('.govuk-error-message');
  }

  submitButton(): Locator {
    return this.page.getByRole('button', { name: /^(Add child|Save changes)$/ });
  }

  /** Fills in the whole form from the keyboard: Tab from field to field, typing, arrows and Space. */
  async enterWithKeyboard(child: NewChild): Promise<void> {
    await typeToSelect(this.page, this.field('councilId'), child.council);
    await typeInto(this.page, this.field('councilChildId'), child.councilChildId);
    await typeInto(this.page, this.field('firstName'), child.firstName);
    await typeInto(this.page, this.field('lastName'), child.lastName);
    await typeDate(this.page, this.field('dateOfBirth-day'), child.dateOfBirth);
    await chooseRadio(this.page, this.radio('sex', child.sex));
    await typeToSelect(this.page, this.field('ethnicity'), child.ethnicity);
  }

  /** Fills in the whole form directly (not a keyboard journey). */
  async enter(child: NewChild): Promise<void> {
    const [year, month, day] = child.dateOfBirth.split('-');
    await this.field('councilId').selectOption({ label: child.council });
    await this.field('councilChildId').fill(child.councilChildId);
    await this.field('firstName').fill(child.firstName);
    await this.field('lastName').fill(child.lastName);
    await this.field('dateOfBirth-day').fill(String(Number(day)));
    await this.field('dateOfBirth-month').fill(String(Number(month)));
    await this.field('dateOfBirth-year').fill(year ?? '');
    await this.radio('sex', child.sex).check();
    await this.field('ethnicity').selectOption({ label: child.ethnicity });
  }

  /** Tabs to the form's button and presses Enter; the page it lands on is scanned. */
  async submitWithKeyboard(): Promise<void> {
    await pressEnterOn(this.page, this.submitButton());
  }

  async submit(): Promise<void> {
    await submit(this.page, this.submitButton());
  }
}
