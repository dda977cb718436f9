// Single sign-on through an organisation's own OpenID Connect provider (issue 3 §3): the
// authorisation code flow with PKCE, state and nonce (openid-client). The provider only says who
// the person is; whether they may sign in, and with which roles, is Kindred's decision: the
// subject must already be linked to an active Kindred account in that organisation, and roles
// come from Kindred's user_roles alone, never from the provider's claims (security.md P6).
import { timingSafeEqual } from 'node:crypto';
import * as oidc from 'openid-client';
import { writeAudit, type AuditContext, type AuditKey } from '../../../platform/audit/audit.js';
import type { Config } from '../../../platform/config.js';
import type { Db } from '../../../platform/db/client.js';
import { AppError } from '../../../platform/http/errors.js';
import { secretBox } from '../secret-box.js';
import { checkMfaEvidence } from './mfa-evidence.js';

export const ssoCallbackPath = '/sign-in/sso/callback';

// AU-1 asks for recentness as well as strength (ASVS v5.0.0-6.8.4): the provider is asked for a
// sign-in no older than a working day (`max_age`), and the ID token's auth_time must show one.
export const maxAuthenticationAgeSeconds = 12 * 60 * 60;

export interface ProviderSettings {
  organisationId: string;
  organisationCode: string;
  organisationName: string;
  issuer: string;
  clientId: string;
  clientSecret: string | null;
  displayName: string;
  requireMfa: boolean;
  requiredAcr: string | null;
  /** Changes whenever the provider is configured again, so a cached discovery is not reused. */
  version: string;
}

export interface AuditOptions {
  auditKey: AuditKey;
  auditContext: AuditContext;
}

function clientSecretBox(config: Config) {
  return secretBox(config.secret, 'sso-client-secret-v1');
}

function isLocalHost(url: URL): boolean {
  return url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
}

/** Plain http is allowed only for a provider on this machine, and never in production. */
function insecureAllowed(url: URL, config: Config): boolean {
  return url.protocol === 'http:' && isLocalHost(url) && config.environment !== 'production';
}

/** Records (or replaces) an organisation's provider; the client secret is stored sealed. Audited. */
export async function configureIdentityProvider(
  db: Db,
  config: Config,
  input: {
    organisationCode: string;
    issuer: string;
    clientId: string;
    clientSecret: string | null;
    displayName: string;
    requireMfa: boolean;
    requiredAcr?: string | null;
  },
  audit: AuditOptions,
): Promise<string> {
  let issuer: URL;
  try {
    issuer = new URL(input.issuer);
  } catch {
    throw new AppError('bad-request', `The issuer ${input.issuer} is not a web address.`);
  }
  if (issuer.protocol !== 'https:' && !insecureAllowed(issuer, config)) {
    throw new AppError(
      'bad-request',
      'The issuer must use https (http is allowed only for a provider on this machine, outside production).',
    );
  }
  if (!input.clientId.trim() || !input.displayName.trim())
    throw new AppError('bad-request', 'Give a client id and a display name.');
  const organisation = await db
    .selectFrom('organisations')
    .select(['id'])
    .where('code', '=', input.organisationCode)
    .executeTakeFirst();
  if (!organisation)
    throw new AppError('bad-request', `There is no organisation with the code ${input.organisationCode}.`);
  const values = {
    // The issuer identifier is compared exactly with the one the provider publishes (OpenID
    // Connect Discovery 1.0 §4.3); only a bare origin's trailing slash is dropped.
    issuer: issuer.pathname === '/' ? issuer.origin : issuer.href,
    client_id: input.clientId.trim(),
    client_secret_encrypted: input.clientSecret ? clientSecretBox(config).seal(input.clientSecret) : null,
    display_name: input.displayName.trim(),
    enabled: true,
    require_mfa: input.requireMfa,
    required_acr: input.requiredAcr ?? null,
  };
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('identity_providers')
      .values({ organisation_id: organisation.id, ...values })
      .onConflict((oc) =>
        oc.column('organisation_id').doUpdateSet({ ...values, updated_at: audit.auditContext.now }),
      )
      .execute();
    await writeAudit(trx, audit.auditKey, audit.auditContext, {
      action: 'sso.configure',
      outcome: 'success',
      subjectType: 'organisation',
      subjectId: organisation.id,
      subjectOrganisationId: organisation.id,
      reason: `${values.issuer}; MFA evidence ${input.requireMfa ? 'required' : 'not required'}`,
    });
  });
  return organisation.id;
}

/** Links an existing Kindred account to a subject at its own organisation's provider. Audited. */
export async function linkExternalIdentity(
  db: Db,
  input: { email: string; subject: string },
  audit: AuditOptions,
): Promise<{ userId: string; issuer: string }> {
  const subject = input.subject.trim();
  if (!subject) throw new AppError('bad-request', 'Give the subject the provider uses for this person.');
  const user = await db
    .selectFrom('users')
    .innerJoin('identity_providers', 'identity_providers.organisation_id', 'users.organisation_id')
    .select(['users.id', 'users.organisation_id', 'identity_providers.issuer'])
    .where('users.email', '=', input.email.trim().toLowerCase())
    .executeTakeFirst();
  if (!user)
    throw new AppError(
      'bad-request',
      `No account with the email ${input.email} belongs to an organisation with single sign-on.`,
    );
  await db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('user_external_identities')
      .select('user_id')
      .where('issuer', '=', user.issuer)
      .where('subject', '=', subject)
      .executeTakeFirst();
    // Moving a subject to another account would hand that person's sign-in to someone else.
    if (existing && existing.user_id !== user.id)
      throw new AppError('conflict', 'That subject is already linked to another Kindred account.');
    if (!existing) {
      await trx
        .insertInto('user_external_identities')
        .values({ user_id: user.id, issuer: user.issuer, subject })
        .execute();
    }
    await writeAudit(trx, audit.auditKey, audit.auditContext, {
      action: 'sso.link',
      outcome: 'success',
      subjectType: 'user',
      subjectId: user.id,
      subjectOrganisationId: user.organisation_id,
      reason: `linked to a subject at ${user.issuer}`,
    });
  });
  return { userId: user.id, issuer: user.issuer };
}

export async function providerFor(
  db: Db,
  config: Config,
  organisationCode: string,
): Promise<ProviderSettings | undefined> {
  const row = await db
    .selectFrom('identity_providers')
    .innerJoin('organisations', 'organisations.id', 'identity_providers.organisation_id')
    .select([
      'organisations.id as organisationId',
      'organisations.code as organisationCode',
      'organisations.name as organisationName',
      'identity_providers.issuer',
      'identity_providers.client_id',
      'identity_providers.client_secret_encrypted',
      'identity_providers.display_name',
      'identity_providers.require_mfa',
      'identity_providers.required_acr',
      'identity_providers.updated_at',
    ])
    .where('organisations.code', '=', organisationCode)
    .where('identity_providers.enabled', '=', true)
    .where('organisations.active', '=', true)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    organisationId: row.organisationId,
    organisationCode: row.organisationCode,
    organisationName: row.organisationName,
    issuer: row.issuer,
    clientId: row.client_id,
    clientSecret: row.client_secret_encrypted
      ? clientSecretBox(config).open(row.client_secret_encrypted)
      : null,
    displayName: row.display_name,
    requireMfa: row.require_mfa,
    requiredAcr: row.required_acr,
    version: new Date(row.updated_at).toISOString(),
  };
}

/** The organisations whose staff can sign in through their own provider, for the sign-in page. */
export async function ssoSignInOptions(db: Db): Promise<Array<{ organisationName: string; href: string }>> {
  const rows = await db
    .selectFrom('identity_providers')
    .innerJoin('organisations', 'organisations.id', 'identity_providers.organisation_id')
    .select(['organisations.code', 'organisations.name'])
    .where('identity_providers.enabled', '=', true)
    .where('organisations.active', '=', true)
    .orderBy('organisations.name')
    .execute();
  return rows.map((row) => ({
    organisationName: row.name,
    href: `/sign-in/sso/${encodeURIComponent(row.code)}`,
  }));
}

// Discovery documents are fetched once per organisation and kept for a few minutes; configuring
// the provider again changes its version, so a new issuer, client or secret is used at once.
const discoveryCache = new Map<
  string,
  { version: string; configuration: oidc.Configuration; fetchedAt: number }
>();
const discoveryLifetimeMs = 5 * 60_000;

async function clientConfiguration(settings: ProviderSettings, config: Config): Promise<oidc.Configuration> {
  const cached = discoveryCache.get(settings.organisationId);
  if (cached && cached.version === settings.version && Date.now() - cached.fetchedAt < discoveryLifetimeMs)
    return cached.configuration;
  const issuer = new URL(settings.issuer);
  const insecure = issuer.protocol === 'http:';
  if (insecure && !insecureAllowed(issuer, config))
    throw new Error('The issuer uses http outside a development machine.');
  const configuration = await oidc.discovery(
    issuer,
    settings.clientId,
    undefined,
    settings.clientSecret ? oidc.ClientSecretPost(settings.clientSecret) : oidc.None(),
    insecure ? { execute: [oidc.allowInsecureRequests] } : undefined,
  );
  discoveryCache.set(settings.organisationId, {
    version: settings.version,
    configuration,
    fetchedAt: Date.now(),
  });
  return configuration;
}

/** What the browser carries between leaving for the provider and coming back (signed cookie). */
export interface PendingSsoSignIn {
  organisationCode: string;
  state: string;
  nonce: string;
  codeVerifier: string;
  startedAt: number;
}

export async function beginSignIn(
  settings: ProviderSettings,
  config: Config,
  now: Date,
): Promise<{ url: URL; pending: PendingSsoSignIn }> {
  const configuration = await clientConfiguration(settings, config);
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const pending: PendingSsoSignIn = {
    organisationCode: settings.organisationCode,
    state: oidc.randomState(),
    nonce: oidc.randomNonce(),
    codeVerifier,
    startedAt: now.getTime(),
  };
  const url = oidc.buildAuthorizationUrl(configuration, {
    redirect_uri: new URL(ssoCallbackPath, config.publicUrl).href,
    scope: 'openid',
    response_type: 'code',
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state: pending.state,
    nonce: pending.nonce,
    max_age: String(maxAuthenticationAgeSeconds),
  });
  return { url, pending };
}

/**
 * `reason` is shown to the person; `detail` goes only to the audit trail, to help whoever looks
 * into a refusal.
 */
export type SsoOutcome =
  { ok: true; userId: string } | { ok: false; reason: string; detail: string; userId?: string };

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The error and its causes, outermost first: openid-client wraps oauth4webapi's errors. */
function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let current = error; current !== undefined && chain.length < 5;) {
    chain.push(current);
    current = current instanceof Error ? current.cause : undefined;
  }
  return chain;
}

function describeError(error: unknown): string {
  if (error instanceof oidc.AuthorizationResponseError) return `provider said ${error.error}`;
  return causeChain(error)
    .filter((link): link is Error => link instanceof Error)
    .map((link) => {
      const code = (link as { code?: unknown }).code;
      return `${typeof code === 'string' ? code : link.name}: ${link.message}`;
    })
    .join(' <- ')
    .slice(0, 200);
}

/** oauth4webapi names the claim that failed a timestamp check in its error's cause. */
function isStaleAuthentication(error: unknown): boolean {
  return causeChain(error).some(
    (link) =>
      typeof link === 'object' && link !== null && (link as { claim?: unknown }).claim === 'auth_time',
  );
}

/** Completes the code exchange and decides whether this person may sign in. Never throws. */
export async function completeSignIn(
  db: Db,
  config: Config,
  settings: ProviderSettings,
  pending: PendingSsoSignIn,
  callbackUrl: URL,
): Promise<SsoOutcome> {
  const provider = settings.displayName;
  // Checked here as well as by openid-client, so a forged or replayed answer gets its own message.
  const returnedState = callbackUrl.searchParams.get('state') ?? '';
  if (!sameText(returnedState, pending.state)) {
    return {
      ok: false,
      reason: `The answer from ${provider} does not belong to the sign-in you started here. Start again.`,
      detail: 'state did not match',
    };
  }
  let claims: oidc.IDToken | undefined;
  try {
    const configuration = await clientConfiguration(settings, config);
    const tokens = await oidc.authorizationCodeGrant(configuration, callbackUrl, {
      pkceCodeVerifier: pending.codeVerifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      maxAge: maxAuthenticationAgeSeconds,
      idTokenExpected: true,
    });
    claims = tokens.claims();
  } catch (error) {
    const detail = describeError(error);
    if (error instanceof oidc.AuthorizationResponseError) {
      return {
        ok: false,
        reason: `${provider} did not sign you in. If you cancelled, start again when you are ready.`,
        detail,
      };
    }
    if (isStaleAuthentication(error)) {
      return {
        ok: false,
        reason: `${provider} did not confirm that you signed in recently. Sign out of ${provider}, then start again.`,
        detail,
      };
    }
    return {
      ok: false,
      reason: `The answer from ${provider} could not be checked. Start again, or sign in with your Kindred email address and password.`,
      detail,
    };
  }
  if (!claims?.sub)
    return { ok: false, reason: `${provider} did not say who you are.`, detail: 'no subject' };
  const linked = await db
    .selectFrom('user_external_identities')
    .innerJoin('users', 'users.id', 'user_external_identities.user_id')
    .select(['users.id', 'users.status', 'users.organisation_id'])
    .where('user_external_identities.issuer', '=', settings.issuer)
    .where('user_external_identities.subject', '=', claims.sub)
    .executeTakeFirst();
  // The second factor is checked before anything about the Kindred account is revealed.
  const mfa = checkMfaEvidence({ amr: claims['amr'], acr: claims['acr'] }, settings);
  if (!mfa.ok) {
    const evidence = `amr ${JSON.stringify(claims['amr'] ?? null)}, acr ${JSON.stringify(claims['acr'] ?? null)}`;
    return {
      ok: false,
      reason:
        mfa.problem === 'phone-factor'
          ? `Kindred does not accept a code sent by text message or phone call. Sign in to ${provider} with an authenticator app or a security key.`
          : `Kindred needs you to sign in to ${provider} with a second factor, such as an authenticator app.`,
      detail: `${mfa.problem}: ${evidence}`.slice(0, 200),
      ...(linked ? { userId: linked.id } : {}),
    };
  }
  if (!linked)
    return {
      ok: false,
      reason:
        'The account you signed in with is not linked to a Kindred account. Ask your system administrator.',
      detail: 'subject not linked',
    };
  if (linked.organisation_id !== settings.organisationId) {
    return {
      ok: false,
      reason: 'Your Kindred account belongs to another organisation. Sign in through that organisation.',
      detail: 'subject linked to an account in another organisation',
      userId: linked.id,
    };
  }
  if (linked.status !== 'active')
    return {
      ok: false,
      reason: 'Your Kindred account is not active. Ask your system administrator.',
      detail: `account ${linked.status}`,
      userId: linked.id,
    };
  return { ok: true, userId: linked.id };
}
