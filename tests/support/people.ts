// Builders for staff accounts that sign in through the real pages (password, then TOTP).
import { randomBytes } from 'node:crypto';
import { generate } from 'otplib';
import type { Role } from '../../src/platform/access/permissions.js';
import { hashPassword } from '../../src/modules/identity/passwords.js';
import { secretBox } from '../../src/modules/identity/secret-box.js';
import { newTotpSecret } from '../../src/modules/identity/two-factor.js';
import type { TestApp } from './test-app.js';
import { anOrganisation } from './sign-in.js';

export const testPassword = 'correct horse battery staple 42';

export interface StaffAccount {
  id: string;
  email: string;
  password: string;
  totpSecret: string | null;
}

export async function aStaffAccount(
  t: TestApp,
  options: {
    roles?: Role[];
    organisationId?: string;
    enrolled?: boolean;
    status?: 'active' | 'invited' | 'deactivated';
  } = {},
): Promise<StaffAccount> {
  const organisationId = options.organisationId ?? (await anOrganisation(t));
  const email = `staff-${randomBytes(5).toString('hex')}@example.test`;
  const enrolled = options.enrolled ?? true;
  const totpSecret = enrolled ? newTotpSecret() : null;
  const user = await t.database.db
    .insertInto('users')
    .values({
      organisation_id: organisationId,
      email,
      name: 'Sam Example',
      password_hash: await hashPassword(testPassword),
      totp_secret_encrypted: totpSecret ? secretBox(t.config.secret, 'totp-v1').seal(totpSecret) : null,
      totp_enrolled_at: enrolled ? t.clock.now() : null,
      status: options.status ?? 'active',
      throttled_until: null,
      last_sign_in_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (options.roles?.length) {
    await t.database.db
      .insertInto('user_roles')
      .values(options.roles.map((role) => ({ user_id: user.id, role, granted_by: null })))
      .execute();
  }
  return { id: user.id, email, password: testPassword, totpSecret };
}

/** The TOTP code an authenticator app would show at the test clock's time (plus an offset in steps). */
export function totpCodeAt(t: TestApp, secret: string, stepOffset = 0): Promise<string> {
  return generate({ secret, epoch: Math.floor(t.clock.now().getTime() / 1000) + stepOffset * 30 });
}

/** A tiny cookie jar over Fastify's inject, as a browser would keep one. */
export class Browser {
  private readonly cookies = new Map<string, string>();
  csrfToken = '';

  constructor(private readonly t: TestApp) {}

  get cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  private remember(setCookie: string | string[] | undefined): void {
    for (const header of ([] as string[]).concat(setCookie ?? [])) {
      const [pair, ...attributes] = header.split(';');
      const [name, ...rest] = (pair ?? '').split('=');
      if (!name) continue;
      const value = rest.join('=');
      const expired = attributes.some((a) => /expires=Thu, 01 Jan 1970/i.test(a)) || value === '';
      if (expired) this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), value);
    }
  }

  async get(url: string) {
    const response = await this.t.app.inject({ method: 'GET', url, headers: { cookie: this.cookieHeader } });
    this.remember(response.headers['set-cookie']);
    const token = /<meta name="csrf-token" content="([^"]+)">/.exec(response.body)?.[1];
    if (token) this.csrfToken = token;
    return response;
  }

  async post(url: string, form: Record<string, string> = {}) {
    if (!this.csrfToken) await this.get('/accessibility');
    const response = await this.t.app.inject({
      method: 'POST',
      url,
      headers: { cookie: this.cookieHeader, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: this.csrfToken, ...form }).toString(),
    });
    this.remember(response.headers['set-cookie']);
    return response;
  }

  /** Signs in through the real pages: password, then the current TOTP code. */
  async signIn(account: StaffAccount): Promise<void> {
    await this.get('/sign-in');
    const password = await this.post('/sign-in', { email: account.email, password: account.password });
    if (password.headers.location !== '/sign-in/two-factor')
      throw new Error(`Password step went to ${password.headers.location}`);
    const code = await this.post('/sign-in/two-factor', {
      code: await totpCodeAt(this.t, account.totpSecret!),
    });
    if (code.headers.location !== '/') throw new Error(`Second factor failed: ${code.statusCode}`);
    await this.get('/');
  }
}
