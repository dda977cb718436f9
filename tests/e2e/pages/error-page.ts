// Kindred's error pages (404, 403, 500…): one template, a heading saying what happened.
import type { Response } from 'playwright-core';
import { PageObject } from './page-object.js';

export class ErrorPage extends PageObject {
  static readonly headings = {
    403: 'You do not have permission to see this page',
    404: 'Page not found',
    500: 'Sorry, there is a problem with the service',
  } as const;

  /** Opens an address expected to answer with an error page; returns the HTTP response. */
  open(pathname: string): Promise<Response | null> {
    return this.go(pathname);
  }

  homeLink() {
    return this.page.getByRole('link', { name: 'Go to the home page' });
  }
}
