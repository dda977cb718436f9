// The restricted family-finding profile, /children/:id/profile: the profile text (…/edit) and
// photos uploaded to POST /children/:id/photos.
import type { Locator } from 'playwright-core';
import { submit } from '../support/browser.js';
import { PageObject } from './page-object.js';

export class ProfilePage extends PageObject {
  static pathFor(childId: string): string {
    return `/children/${childId}/profile`;
  }

  async open(childId: string): Promise<void> {
    await this.go(ProfilePage.pathFor(childId));
  }

  successBanner(): Locator {
    return this.page.locator('.govuk-notification-banner--success');
  }

  errorSummary(): Locator {
    return this.page.locator('.govuk-error-summary');
  }

  profileText(): Locator {
    return this.page.locator('main p.kindred-preserve-lines');
  }

  photos(): Locator {
    return this.page.locator('main img.kindred-photo');
  }

  async changeProfile(text: string): Promise<void> {
    await submit(this.page, this.page.getByRole('button', { name: 'Change the profile' }));
    await this.page.getByLabel('Profile', { exact: true }).fill(text);
    await submit(this.page, this.page.getByRole('button', { name: 'Save profile' }));
  }

  async uploadPhoto(
    file: { name: string; mimeType: string; buffer: Buffer },
    description?: string,
  ): Promise<void> {
    await this.page.getByLabel('Add a photo').setInputFiles(file);
    if (description !== undefined)
      await this.page.getByLabel('Describe the photo (optional)').fill(description);
    await submit(this.page, this.page.getByRole('button', { name: 'Upload photo' }));
  }
}
