// A real OpenID Connect provider (oidc-provider) on 127.0.0.1 for single sign-on tests. Instead
// of a login form, the test says who signs in next and how (`nextSignIn`); the provider's own
// interaction then completes as if that person had signed in at their council.
import type { Server } from 'node:http';
import Provider from 'oidc-provider';

export interface NextSignIn {
  subject: string;
  amr?: string[];
  acr?: string;
}

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  nextSignIn: NextSignIn;
  /** Code challenge methods the provider received, to prove PKCE used S256. */
  challengeMethods: string[];
  close(): Promise<void>;
}

export async function startTestProvider(port: number, redirectUri: string): Promise<TestProvider> {
  const clientId = 'kindred-test-client';
  const clientSecret = 'kindred-test-client-secret-0123456789';
  const state: Pick<TestProvider, 'nextSignIn' | 'challengeMethods'> = {
    nextSignIn: { subject: 'nobody' },
    challengeMethods: [],
  };
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    // A provider that hands out role claims: Kindred must ignore them.
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
      const method = ctx.query.code_challenge_method;
      if (typeof method === 'string') state.challengeMethods.push(method);
    }
    if (ctx.path.startsWith('/interaction/')) {
      const details = await provider.interactionDetails(ctx.req, ctx.res);
      const who = state.nextSignIn;
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
          },
          consent: { grantId },
        },
        { mergeWithLastSubmission: false },
      );
      void details;
      return;
    }
    await next();
  });
  const server: Server = provider.listen(port);
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return Object.assign(state, {
    issuer,
    clientId,
    clientSecret,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
