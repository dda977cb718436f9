import { PageObject } from './page-object.js';

export class AccessibilityStatementPage extends PageObject {
  static readonly pathname = '/accessibility';

  async open(): Promise<void> {
    await this.go(AccessibilityStatementPage.pathname);
  }

  skipLink() {
    return this.page.getByRole('link', { name: 'Skip to main content' });
  }
}
