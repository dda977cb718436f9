// HTTP helpers for integration tests that act as a signed-in user through `app.inject`: a page
// request with their session cookie, a form post with their CSRF token, and a page's visible text.
import type { SignedInUser } from './sign-in.js';
import type { TestApp } from './test-app.js';

/** GET as the user (their session cookie; no CSRF needed for a read). */
export function getAs(t: TestApp, actor: { cookie: string }, url: string) {
  return t.app.inject({ method: 'GET', url, headers: { cookie: actor.cookie } });
}

/** POST a form as the user; a field given as a list is sent once per value, as checkboxes are. */
export function formPost(
  t: TestApp,
  actor: SignedInUser,
  url: string,
  fields: Record<string, string | string[]>,
) {
  const body = new URLSearchParams({ _csrf: actor.csrfToken });
  for (const [name, value] of Object.entries(fields))
    for (const v of ([] as string[]).concat(value)) body.append(name, v);
  return t.app.inject({
    method: 'POST',
    url,
    headers: { cookie: actor.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: body.toString(),
  });
}

/** The text a reader sees: tags dropped, the entities Nunjucks escapes decoded, spaces collapsed. */
export const pageText = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

/** `get` and `post` for a test file's app, which its beforeAll creates (hence the getter). */
export function requestsTo(app: () => TestApp) {
  return {
    get: (actor: { cookie: string }, url: string) => getAs(app(), actor, url),
    post: (actor: SignedInUser, url: string, fields: Record<string, string | string[]>) =>
      formPost(app(), actor, url, fields),
  };
}
