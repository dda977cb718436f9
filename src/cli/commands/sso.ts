// Configuring single sign-on from the command line: an organisation's provider, and links
// between Kindred accounts and subjects at that provider. Both are audited as system actions.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { Command } from '../command.js';
import { auditKeyFrom } from '../../platform/audit/audit.js';
import { ensureDevelopmentSecret } from '../../platform/config.js';
import { openConfiguredDatabase } from '../../platform/db/client.js';
import { migrate } from '../../platform/db/migrate.js';
import { AppError } from '../../platform/http/errors.js';
import { configureIdentityProvider, linkExternalIdentity } from '../../modules/identity/sso/sso.service.js';

// Commands act as the system, so their audit entries have no actor.
const systemAudit = (secret: string, command: string) => ({
  auditKey: auditKeyFrom(secret),
  auditContext: {
    actor: null,
    ip: null,
    userAgent: `kindred ${command}`,
    correlationId: randomUUID(),
    now: new Date(),
  },
});

/** An unknown or malformed option becomes one clear sentence rather than a stack trace. */
function withUsage<T>(parse: () => T, usage: string): T {
  try {
    return parse();
  } catch (error) {
    const problem = error instanceof Error ? error.message : 'The options are not valid.';
    throw new AppError('bad-request', `${problem} Usage: kindred ${usage}`);
  }
}

const configureUsage =
  'sso configure --organisation CODE --issuer URL --client-id ID [--client-secret SECRET] --display-name NAME [--require-mfa true|false] [--acr VALUE]';

export const ssoConfigureCommand: Command = {
  name: ['sso', 'configure'],
  usage: configureUsage,
  summary: "Set up an organisation's OpenID Connect provider for single sign-on.",
  async run(args, baseConfig, io) {
    const { values } = withUsage(
      () =>
        parseArgs({
          args,
          options: {
            organisation: { type: 'string' },
            issuer: { type: 'string' },
            'client-id': { type: 'string' },
            'client-secret': { type: 'string' },
            'display-name': { type: 'string' },
            'require-mfa': { type: 'string', default: 'true' },
            acr: { type: 'string' },
          },
        }),
      configureUsage,
    );
    if (!values.organisation || !values.issuer || !values['client-id'] || !values['display-name']) {
      throw new AppError(
        'bad-request',
        `Give --organisation, --issuer, --client-id and --display-name. Usage: kindred ${configureUsage}`,
      );
    }
    const requireMfa = values['require-mfa'];
    if (requireMfa !== 'true' && requireMfa !== 'false')
      throw new AppError('bad-request', '--require-mfa must be true or false.');
    const config = ensureDevelopmentSecret(baseConfig);
    const database = await openConfiguredDatabase(config);
    try {
      await migrate(database.db);
      await configureIdentityProvider(
        database.db,
        config,
        {
          organisationCode: values.organisation,
          issuer: values.issuer,
          clientId: values['client-id'],
          clientSecret: values['client-secret'] ?? null,
          displayName: values['display-name'],
          requireMfa: requireMfa === 'true',
          requiredAcr: values.acr ?? null,
        },
        systemAudit(config.secret, 'sso configure'),
      );
      io.out(
        `Single sign-on for ${values.organisation} now uses ${values.issuer}; evidence of a second factor is ${
          requireMfa === 'true' ? 'required' : 'not required'
        }.`,
      );
      return 0;
    } finally {
      await database.close();
    }
  },
};

const linkUsage = 'sso link --email EMAIL --subject SUBJECT';

export const ssoLinkCommand: Command = {
  name: ['sso', 'link'],
  usage: linkUsage,
  summary: "Link a Kindred account to its subject at its organisation's provider.",
  async run(args, baseConfig, io) {
    const { values } = withUsage(
      () => parseArgs({ args, options: { email: { type: 'string' }, subject: { type: 'string' } } }),
      linkUsage,
    );
    if (!values.email || !values.subject)
      throw new AppError('bad-request', `Give --email and --subject. Usage: kindred ${linkUsage}`);
    const config = ensureDevelopmentSecret(baseConfig);
    const database = await openConfiguredDatabase(config);
    try {
      await migrate(database.db);
      const linked = await linkExternalIdentity(
        database.db,
        { email: values.email, subject: values.subject },
        systemAudit(config.secret, 'sso link'),
      );
      io.out(`Linked ${values.email} to its account at ${linked.issuer}.`);
      return 0;
    } finally {
      await database.close();
    }
  },
};
