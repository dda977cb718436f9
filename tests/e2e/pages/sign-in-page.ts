import { submit } from '../support/browser.js';
import { pressEnterOn, typeInto } from '../support/keyboard.js';
import { PageObject } from './page-object.js';

export class SignInPage extends PageObject {
  static readonly pathname = '/sign-in';

  async open(): Promise<void> {
    await this.go(SignInPage.pathname);
  }

  /** Fills in the form and submits it; the page it lands on is scanned. */
  async signIn(email: string, password: string): Promise<void> {
    await this.page.getByLabel('Email address').fill(email);
    await this.page.getByLabel('Password', { exact: true }).fill(password);
    await submit(this.page, this.page.getByRole('button', { name: 'Continue' }));
  }

  /** The same from the keyboard alone: Tab to each field, type, Tab to the button, Enter. */
  async signInWithKeyboard(email: string, password: string): Promise<void> {
    await typeInto(this.page, this.page.getByLabel('Email address'), email);
    await typeInto(this.page, this.page.getByLabel('Password', { exact: true }), password);
    await pressEnterOn(this.page, this.page.getByRole('button', { name: 'Continue' }));
  }

  errorSummary() {
    return this.page.locator('.govuk-error-summary');
  }
}
