import { submit } from '../support/browser.js';
import { PageObject } from './page-object.js';

export class HomePage extends PageObject {
  async open(): Promise<void> {
    await this.go('/');
  }

  /** The signed-in person's organisation, shown in the header beside their name. */
  userOrganisation() {
    return this.page.locator('.kindred-user__organisation');
  }

  userName() {
    return this.page.locator('.kindred-user__name');
  }

  async signOut(): Promise<void> {
    await submit(this.page, this.page.getByRole('button', { name: 'Sign out', exact: true }));
  }
}
