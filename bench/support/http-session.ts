// Signing a benchmark's user in over real HTTP, as a browser would: the sign-in page for the CSRF
// token, the password, then a TOTP code. Returns the cookie jar for later requests.
import { generate } from 'otplib';

export type CookieJar = Map<string, string>;

export function cookiesFrom(response: Response, jar: CookieJar): void {
  for (const header of response.headers.getSetCookie()) {
    const [pair] = header.split(';');
    const [name, ...value] = (pair ?? '').split('=');
    if (name) jar.set(name, value.join('='));
  }
}

export const cookieHeader = (jar: CookieJar): string => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');

export async function signInOverHttp(
  base: string,
  user: { email: string; password: string; secret: string },
): Promise<CookieJar> {
  const jar: CookieJar = new Map();
  const page = await fetch(`${base}/sign-in`);
  cookiesFrom(page, jar);
  const csrf = /<meta name="csrf-token" content="([^"]+)">/.exec(await page.text())?.[1] ?? '';
  const post = (url: string, form: Record<string, string>) =>
    fetch(`${base}${url}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(jar) },
      body: new URLSearchParams({ _csrf: csrf, ...form }),
    });
  const first = await post('/sign-in', { email: user.email, password: user.password });
  cookiesFrom(first, jar);
  if (first.headers.get('location') !== '/sign-in/two-factor')
    throw new Error(`password step: ${first.status}`);
  const second = await post('/sign-in/two-factor', { code: await generate({ secret: user.secret }) });
  cookiesFrom(second, jar);
  if (second.headers.get('location') !== '/') throw new Error(`second factor: ${second.status}`);
  return jar;
}
