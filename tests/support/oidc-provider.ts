// A real OpenID Connect provider (oidc-provider) on 127.0.0.1 for single sign-on tests. Instead
// of a login form, the test says who signs in next and how (`nextSignIn`); the provider's own
// interaction then completes as if that person had signed in at their council. It records the
// authorisation requests it received, so tests can see what Kindred asked for.
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

export interface NextSignIn {
  subject: string;
  amr?: string[];
  acr?: string;
  /**
   * Signs the person in as if they had authenticated this long ago. The provider then ignores
   * Kindred's max_age, as a careless provider might, so Kindred's own auth_time check is tested.
   */
  authenticatedSecondsAgo?: number;
  /** The provider refuses the sign-in (an `access_denied` error back to Kindred). */
  refuse?: boolean;
}

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  nextSignIn: NextSignIn;
  /** The query of every authorisation request received, e.g. to prove PKCE used S256. */
  authorisationRequests: URLSearchParams[];
  close(): Promise<void>;
}

// oidc-provider's artefacts expire quickly here; fixed lifetimes also keep its notices quiet.
const ttl = {
  AccessToken: 600,
  AuthorizationCode: 60,
  Grant: 600,
  IdToken: 600,
  Interaction: 600,
  Session: 600,
};

export async function startTestProvider(redirectUris: string[]): Promise<TestProvider> {
  // The issuer names the port, so the server listens before the provider is made.
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('The test provider has no port.');
  const clientId = 'kindred-test-client';
  const clientSecret = 'kindred-test-client-secret-0123456789';
  const state: Pick<TestProvider, 'nextSignIn' | 'authorisationRequests'> = {
    nextSignIn: { subject: 'nobody' },
    authorisationRequests: [],
  };
  const signingKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
  const issuer = `http://127.0.0.1:${address.port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: redirectUris,
        token_endpoint_auth_method: 'client_secret_post',
        id_token_signed_response_alg: 'ES256',
        require_auth_time: true,
      },
    ],
    jwks: { keys: [{ ...signingKey, kid: 'test-signing-key', alg: 'ES256', use: 'sig' }] },
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    ttl,
    // A provider that hands out role claims: Kindred must ignore them (security.md P6). acr and
    // amr reach the ID token only when they are claims of a granted scope.
    claims: { openid: ['sub', 'roles', 'acr', 'amr'] },
    conformIdTokenClaims: false,
    findAccount: async (_ctx, id) => ({
      accountId: id,
      claims: async () => ({ sub: id, roles: ['system_administrator', 'head_of_service'] }),
    }),
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  });
  provider.use(async (ctx, next) => {
    if (ctx.path === '/auth') {
      state.authorisationRequests.push(new URLSearchParams(ctx.querystring));
      if (state.nextSignIn.authenticatedSecondsAgo !== undefined) {
        const query = new URLSearchParams(ctx.querystring);
        query.delete('max_age');
        ctx.querystring = query.toString();
      }
    }
    if (ctx.path.startsWith('/interaction/')) {
      const who = state.nextSignIn;
      if (who.refuse) {
        await provider.interactionFinished(ctx.req, ctx.res, {
          error: 'access_denied',
          error_description: 'The person cancelled the sign-in.',
        });
        return;
      }
      const grant = new provider.Grant({ accountId: who.subject, clientId });
      grant.addOIDCScope('openid');
      grant.addOIDCClaims(['roles', 'acr', 'amr']);
      const grantId = await grant.save();
      await provider.interactionFinished(
        ctx.req,
        ctx.res,
        {
          login: {
            accountId: who.subject,
            ...(who.amr ? { amr: who.amr } : {}),
            ...(who.acr ? { acr: who.acr } : {}),
            ...(who.authenticatedSecondsAgo !== undefined
              ? { ts: Math.floor(Date.now() / 1000) - who.authenticatedSecondsAgo }
              : {}),
          },
          consent: { grantId },
        },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    await next();
  });
  server.on('request', provider.callback());
  return Object.assign(state, {
    issuer,
    clientId,
    clientSecret,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  });
}
