// Issue 3 §9: every admin and account-recovery form meets empty, oversized (≥ 10 kB),
// malformed-Unicode, HTML and SQL-looking input with a GOV.UK error summary and never a 500,
// and a rejected request writes nothing but its one audit entry. Property tests (fast-check)
// send such input as a browser form, as raw bytes that are not valid UTF-8, and as JSON (where
// fields can also be arrays, objects, numbers or null).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { anOrganisation, csrfFor, signedInUser, type SignedInUser } from '../support/sign-in.js';
import { aStaffAccount } from '../support/people.js';

let t: TestApp;
let admin: SignedInUser;
let targetUserId: string;
let resetPath: string;
let invitationPath: string;
let anonymous: { cookie: string; csrfToken: string };

const linkPath = (text: string, kind: string) => {
  const match = new RegExp(`https?://\\S+(/${kind}/[A-Za-z0-9_-]{43})`).exec(text);
  if (!match) throw new Error(`No ${kind} link`);
  return match[1]!;
};

beforeAll(async () => {
  t = await createTestApp();
  const raaId = await anOrganisation(t, { kind: 'raa' });
  admin = await signedInUser(t, { roles: ['system_administrator'], organisationId: raaId });
  targetUserId = (await signedInUser(t, { roles: ['family_finder'], organisationId: raaId })).userId;
  anonymous = await csrfFor(t);

  const account = await aStaffAccount(t, { organisationId: raaId });
  await t.app.inject({
    method: 'POST',
    url: '/forgot-password',
    headers: { cookie: anonymous.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: anonymous.csrfToken, email: account.email }).toString(),
  });
  const invite = await t.app.inject({
    method: 'POST',
    url: '/admin/users/invite',
    headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      _csrf: admin.csrfToken,
      name: 'Pat Invitee',
      email: 'pat.invitee@example.test',
      organisationId: raaId,
      roles: 'family_finder',
    }).toString(),
  });
  expect(invite.statusCode).toBe(303);
  await new Promise((resolve) => setTimeout(resolve, 50));
  resetPath = linkPath(t.sentMail.find((m) => m.to === account.email)!.text, 'reset-password');
  invitationPath = linkPath(t.sentMail.find((m) => m.to === 'pat.invitee@example.test')!.text, 'invitation');
});
afterAll(async () => {
  await t?.close();
});

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => String.fromCharCode(unit));
const oversized = fc
  .tuple(fc.constantFrom('a', '<', "'", '\uD800', '\u{1F600}', 'é'), fc.integer({ min: 10_240, max: 12_000 }))
  .map(([unit, length]) => unit.repeat(Math.ceil(length / unit.length)));
const withLoneSurrogate = fc
  .tuple(fc.string({ maxLength: 20 }), loneSurrogate, fc.string({ maxLength: 20 }))
  .map(([before, surrogate, after]) => `${before}${surrogate}${after}`);

/** Text that no form field should accept as an email address, a role, an id or a version. */
const hostileText = fc.oneof(
  fc.constantFrom(
    '',
    '   ',
    '\u0000',
    '<script>',
    '<script>alert(1)</script>',
    '"><img src=x onerror=alert(1)>',
    "' OR 1=1 --",
    "'; DROP TABLE users; --",
    '%ED%A0%80',
    '{{ 7 * 7 }}',
    'a@b\r\nBcc: everyone@example.test',
  ),
  withLoneSurrogate,
  oversized,
  fc.string({ unit: 'binary', maxLength: 40 }),
);

/**
 * Passwords that must be refused. A long password that merely looks like HTML or SQL is a
 * perfectly good password (no composition rules: NCSC, ASVS 6.2.5), so those come short here;
 * and sent as raw bytes a lone surrogate arrives as the literal text "%ED%A0%80" (a fine
 * password if long enough), so the text around it is kept short.
 */
const hostilePassword = fc.oneof(
  fc.constantFrom(
    '',
    '<script>',
    "' OR 1=1 --",
    '\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000',
  ),
  loneSurrogate,
  loneSurrogate.map((surrogate) => `ab${surrogate}`),
  oversized,
  fc.string({ minLength: 12, maxLength: 30 }).map((value) => `${value}\u0007`),
);

type FieldValue = string | string[] | number | boolean | null | Record<string, unknown>;

/** In JSON a field may arrive as anything at all. */
const anyShape = (text: fc.Arbitrary<string>): fc.Arbitrary<FieldValue> =>
  fc.oneof(
    { weight: 6, arbitrary: text },
    { weight: 2, arbitrary: fc.array(text, { maxLength: 3 }) },
    { weight: 1, arbitrary: fc.constantFrom<FieldValue>(null, 42, true, { $gt: '' }, { toString: 'x' }) },
  );

type Encoding = 'form' | 'raw' | 'json';

/** Percent-encodes as a browser would, except that lone surrogates become the invalid UTF-8 bytes they would be in WTF-8. */
function rawEncode(value: string): string {
  let out = '';
  for (const char of value) {
    const code = char.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff) {
      out += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
        .map((byte) => `%${byte.toString(16).toUpperCase()}`)
        .join('');
    } else out += encodeURIComponent(char);
  }
  return out;
}

function encode(encoding: Encoding, fields: Record<string, FieldValue>, csrfToken: string) {
  if (encoding === 'json') {
    return { contentType: 'application/json', payload: JSON.stringify({ _csrf: csrfToken, ...fields }) };
  }
  const pairs: [string, string][] = [['_csrf', csrfToken]];
  for (const [name, value] of Object.entries(fields)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      // A form cannot carry an object: send an empty field in its place.
      pairs.push([name, typeof item === 'object' && item !== null ? '' : String(item)]);
    }
  }
  const payload =
    encoding === 'form'
      ? new URLSearchParams(pairs).toString()
      : pairs.map(([name, value]) => `${name}=${rawEncode(value)}`).join('&');
  return { contentType: 'application/x-www-form-urlencoded', payload };
}

async function counts() {
  const count = async (table: 'users' | 'user_roles' | 'one_time_tokens' | 'audit_events') =>
    Number(
      (
        await t.database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const used = await t.database.db
    .selectFrom('one_time_tokens')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('used_at', 'is not', null)
    .executeTakeFirstOrThrow();
  return {
    users: await count('users'),
    userRoles: await count('user_roles'),
    tokens: await count('one_time_tokens'),
    usedTokens: Number(used.n),
    audit: await count('audit_events'),
  };
}

let lastIp = 0;
const nextIp = () => {
  lastIp += 1;
  return `10.9.${Math.floor(lastIp / 250)}.${(lastIp % 250) + 1}`;
};

/** Sends the input and checks: a 400 page with a GOV.UK error summary, and no row written but one audit entry. */
async function rejectsWithErrorSummary(
  url: string,
  actor: { cookie: string; csrfToken: string },
  encoding: Encoding,
  fields: Record<string, FieldValue>,
) {
  const before = await counts();
  const { contentType, payload } = encode(encoding, fields, actor.csrfToken);
  const response = await t.app.inject({
    method: 'POST',
    url,
    remoteAddress: nextIp(),
    headers: { cookie: actor.cookie, 'content-type': contentType },
    payload,
  });
  expect(response.statusCode).toBe(400);
  expect(response.body).toContain('govuk-error-summary');
  expect(response.body).not.toContain('<script>');
  const after = await counts();
  expect({ ...after, audit: after.audit - 1 }).toEqual(before);
}

const encodings = fc.constantFrom<Encoding>('form', 'raw', 'json');
const runs = { numRuns: 40 };

describe('hostile input on the admin and account-recovery forms (issue 3 §9)', () => {
  it('forgot password: error summary, no 500, nothing written but the audit entry (AU-3)', async () => {
    await fc.assert(
      fc.asyncProperty(encodings, anyShape(hostileText), async (encoding, email) => {
        await rejectsWithErrorSummary('/forgot-password', anonymous, encoding, { email });
      }),
      runs,
    );
  });

  it('invite a user: error summary, no 500, no user, role or link written (AC-5)', async () => {
    await fc.assert(
      fc.asyncProperty(
        encodings,
        fc.record({
          name: anyShape(hostileText),
          email: anyShape(hostileText),
          organisationId: anyShape(hostileText),
          roles: anyShape(hostileText),
        }),
        async (encoding, fields) => {
          await rejectsWithErrorSummary('/admin/users/invite', admin, encoding, fields);
        },
      ),
      runs,
    );
  });

  it("change roles: error summary, no 500, the user's roles untouched", async () => {
    await fc.assert(
      fc.asyncProperty(
        encodings,
        fc.record({ roles: anyShape(hostileText), version: anyShape(hostileText) }),
        async (encoding, fields) => {
          await rejectsWithErrorSummary(`/admin/users/${targetUserId}/roles`, admin, encoding, fields);
        },
      ),
      runs,
    );
    const roles = await t.database.db
      .selectFrom('user_roles')
      .select('role')
      .where('user_id', '=', targetUserId)
      .execute();
    expect(roles).toEqual([{ role: 'family_finder' }]);
  });

  it('choose a password from a reset link: error summary, no 500, the link still unused', async () => {
    await fc.assert(
      fc.asyncProperty(encodings, anyShape(hostilePassword), async (encoding, password) => {
        await rejectsWithErrorSummary(resetPath, anonymous, encoding, { password });
      }),
      runs,
    );
  });

  it('choose a password from an invitation: error summary, no 500, the account still invited', async () => {
    await fc.assert(
      fc.asyncProperty(encodings, anyShape(hostilePassword), async (encoding, password) => {
        await rejectsWithErrorSummary(invitationPath, anonymous, encoding, { password });
      }),
      runs,
    );
    const invitee = await t.database.db
      .selectFrom('users')
      .select(['status', 'password_hash'])
      .where('email', '=', 'pat.invitee@example.test')
      .executeTakeFirstOrThrow();
    expect(invitee).toEqual({ status: 'invited', password_hash: null });
  });

  it('the users list ignores hostile filters rather than failing', async () => {
    await fc.assert(
      fc.asyncProperty(hostileText, hostileText, async (organisation, status) => {
        const response = await t.app.inject({
          method: 'GET',
          url: `/admin/users?organisation=${rawEncode(organisation)}&status=${rawEncode(status)}`,
          headers: { cookie: admin.cookie },
        });
        expect(response.statusCode).toBe(200);
      }),
      { numRuns: 25 },
    );
  });
});
