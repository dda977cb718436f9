// Single sign-on through an organisation's own OpenID Connect provider (issue 3 §3): the
// authorisation code flow with PKCE, state and nonce (openid-client). The provider only says who
// the person is; whether they may sign in, and with which roles, is Kindred's decision: the
// subject must already be linked to an active Kindred account in that organisation, and roles
// come from Kindred alone, never from the provider's claims.
import * as oidc from 'openid-client';
import type { Config } from '../../../platform/config.js';
import type { Db } from '../../../platform/db/client.js';
import { AppError } from '../../../platform/http/errors.js';
import { secretBox } from '../secret-box.js';

export const ssoCallbackPath = '/sign-in/sso/callback';

const mfaMethods = new Set(['mfa', 'otp', 'hwk', 'swk', 'sc', 'fpt', 'face', 'pin']);

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
}

function clientSecretBox(config: Config) {
  return secretBox(config.secret, 'sso-client-secret-v1');
}

/** Records (or replaces) an organisation's provider; the client secret is stored sealed. */
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
): Promise<string> {
  let issuer: URL;
  try {
    issuer = new URL(input.issuer);
  } catch {
    throw new AppError('bad-request', `The issuer ${input.issuer} is not a web address.`);
  }
  if (issuer.protocol !== 'https:' && !(isLocalIssuer(issuer) && config.environment !== 'production')) {
    throw new AppError(
      'bad-request',
      'The issuer must use https (http is allowed only for a provider on this machine, outside production).',
    );
  }
  const organisation = await db
    .selectFrom('organisations')
    .select(['id'])
    .where('code', '=', input.organisationCode)
    .executeTakeFirst();
  if (!organisation)
    throw new AppError('bad-request', `There is no organisation with the code ${input.organisationCode}.`);
  const values = {
    issuer: issuer.href.replace(/\/$/, ''),
    client_id: input.clientId,
    client_secret_encrypted: input.clientSecret ? clientSecretBox(config).seal(input.clientSecret) : null,
    display_name: input.displayName,
    enabled: true,
    require_mfa: input.requireMfa,
    required_acr: input.requiredAcr ?? null,
  };
  await db
    .insertInto('identity_providers')
    .values({ organisation_id: organisation.id, ...values })
    .onConflict((oc) => oc.column('organisation_id').doUpdateSet({ ...values, updated_at: new Date() }))
    .execute();
  return organisation.id;
}

/** Links an existing Kindred account to a subject at its own organisation's provider. */
export async function linkExternalIdentity(
  db: Db,
  input: { email: string; subject: string },
): Promise<{ userId: string; issuer: string }> {
  const user = await db
    .selectFrom('users')
    .innerJoin('identity_providers', 'identity_providers.organisation_id', 'users.organisation_id')
    .select(['users.id', 'identity_providers.issuer'])
    .where('users.email', '=', input.email.toLowerCase())
    .executeTakeFirst();
  if (!user)
    throw new AppError(
      'bad-request',
      `No account with the email ${input.email} belongs to an organisation with single sign-on.`,
    );
  await db
    .insertInto('user_external_identities')
    .values({ user_id: user.id, issuer: user.issuer, subject: input.subject })
    .onConflict((oc) => oc.columns(['issuer', 'subject']).doUpdateSet({ user_id: user.id }))
    .execute();
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
  };
}

export async function ssoSignInOptions(db: Db): Promise<Array<{ organisationName: string; href: string }>> {
  const rows = await db
    .selectFrom('identity_providers')
    .innerJoin('organisations', 'organisations.id', 'identity_providers.organisation_id')
    .select(['organisations.code', 'identity_providers.display_name'])
    .where('identity_providers.enabled', '=', true)
    .where('organisations.active', '=', true)
    .orderBy('identity_providers.display_name')
    .execute();
  return rows.map((row) => ({ organisationName: row.display_name, href: `/sign-in/sso/${row.code}` }));
}

function isLocalIssuer(url: URL): boolean {
  return url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
}

// Discovery documents are fetched once and kept for a few minutes per provider.
const discoveryCache = new Map<string, { configuration: oidc.Configuration; fetchedAt: number }>();
const discoveryLifetimeMs = 5 * 60_000;

export async function clientConfiguration(
  settings: ProviderSettings,
  config: Config,
): Promise<oidc.Configuration> {
  const key = `${settings.issuer}|${settings.clientId}`;
  const cached = discoveryCache.get(key);
  if (cached && Date.now() - cached.fetchedAt < discoveryLifetimeMs) return cached.configuration;
  const insecure = new URL(settings.issuer).protocol === 'http:';
  if (insecure && !(isLocalIssuer(new URL(settings.issuer)) && config.environment !== 'production')) {
    throw new AppError('unavailable', 'This organisation’s sign-in service is not configured securely.');
  }
  const configuration = await oidc.discovery(
    new URL(settings.issuer),
    settings.clientId,
    undefined,
    settings.clientSecret ? oidc.ClientSecretPost(settings.clientSecret) : oidc.None(),
    insecure ? { execute: [oidc.allowInsecureRequests] } : undefined,
  );
  discoveryCache.set(key, { configuration, fetchedAt: Date.now() });
  return configuration;
}

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
): Promise<{ url: URL; pending: PendingSsoSignIn }> {
  const configuration = await clientConfiguration(settings, config);
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const pending: PendingSsoSignIn = {
    organisationCode: settings.organisationCode,
    state: oidc.randomState(),
    nonce: oidc.randomNonce(),
    codeVerifier,
    startedAt: Date.now(),
  };
  const url = oidc.buildAuthorizationUrl(configuration, {
    redirect_uri: new URL(ssoCallbackPath, config.publicUrl).href,
    scope: 'openid',
    response_type: 'code',
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state: pending.state,
    nonce: pending.nonce,
  });
  return { url, pending };
}

export type SsoOutcome = { ok: true; userId: string } | { ok: false; reason: string; userId?: string };

/** Completes the code exchange and decides whether this person may sign in. */
export async function completeSignIn(
  db: Db,
  config: Config,
  settings: ProviderSettings,
  pending: PendingSsoSignIn,
  callbackUrl: URL,
): Promise<SsoOutcome> {
  const configuration = await clientConfiguration(settings, config);
  let claims: oidc.IDToken | undefined;
  try {
    const tokens = await oidc.authorizationCodeGrant(configuration, callbackUrl, {
      pkceCodeVerifier: pending.codeVerifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
    claims = tokens.claims();
  } catch {
    return { ok: false, reason: 'The sign-in service’s answer could not be checked. Start again.' };
  }
  if (!claims?.sub) return { ok: false, reason: 'The sign-in service did not say who you are.' };
  if (settings.requireMfa) {
    const amr = Array.isArray(claims.amr) ? claims.amr.map(String) : [];
    const acrOk = settings.requiredAcr ? claims.acr === settings.requiredAcr : false;
    if (!acrOk && !amr.some((method) => mfaMethods.has(method))) {
      return {
        ok: false,
        reason: `Kindred needs you to sign in to ${settings.displayName} with a second factor, such as an authenticator app.`,
      };
    }
  }
  const linked = await db
    .selectFrom('user_external_identities')
    .innerJoin('users', 'users.id', 'user_external_identities.user_id')
    .select(['users.id', 'users.status', 'users.organisation_id'])
    .where('user_external_identities.issuer', '=', settings.issuer)
    .where('user_external_identities.subject', '=', claims.sub)
    .executeTakeFirst();
  if (!linked)
    return {
      ok: false,
      reason:
        'Your account at your organisation is not linked to a Kindred account. Ask your system administrator.',
    };
  if (linked.organisation_id !== settings.organisationId) {
    return {
      ok: false,
      reason: 'Your Kindred account belongs to another organisation. Sign in through that organisation.',
      userId: linked.id,
    };
  }
  if (linked.status !== 'active')
    return {
      ok: false,
      reason: 'Your Kindred account is not active. Ask your system administrator.',
      userId: linked.id,
    };
  return { ok: true, userId: linked.id };
}
