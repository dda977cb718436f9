// Configuring single sign-on from the command line: an organisation's provider, and links
// between Kindred accounts and subjects at that provider. Both are audited as system actions.
import { parseArgs } from 'node:util';
import type { Command } from '../command.js';
import { auditKeyFrom, writeAudit } from '../../platform/audit/audit.js';
import { ensureDevelopmentSecret } from '../../platform/config.js';
import { openConfiguredDatabase } from '../../platform/db/client.js';
import { migrate } from '../../platform/db/migrate.js';
import { AppError } from '../../platform/http/errors.js';
import { configureIdentityProvider, linkExternalIdentity } from '../../modules/identity/sso/sso.service.js';

const systemContext = () => ({
  actor: null,
  ip: null,
  userAgent: 'kindred sso',
  correlationId: null,
  now: new Date(),
});

export const ssoConfigureCommand: Command = {
  name: ['sso', 'configure'],
  usage:
    'sso configure --organisation CODE --issuer URL --client-id ID [--client-secret SECRET] --display-name NAME [--require-mfa true|false] [--acr VALUE]',
  summary: "Set up an organisation's OpenID Connect provider for single sign-on.",
  async run(args, baseConfig, io) {
    const { values } = parseArgs({
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
    });
    if (!values.organisation || !values.issuer || !values['client-id'] || !values['display-name']) {
      throw new AppError(
        'bad-request',
        `Give --organisation, --issuer, --client-id and --display-name: kindred ${this.usage}`,
      );
    }
    if (!['true', 'false'].includes(values['require-mfa'] ?? 'true'))
      throw new AppError('bad-request', '--require-mfa must be true or false.');
    const config = ensureDevelopmentSecret(baseConfig);
    const database = await openConfiguredDatabase(config);
    try {
      await migrate(database.db);
      const organisationId = await configureIdentityProvider(database.db, config, {
        organisationCode: values.organisation,
        issuer: values.issuer,
        clientId: values['client-id'],
        clientSecret: values['client-secret'] ?? null,
        displayName: values['display-name'],
        requireMfa: values['require-mfa'] !== 'false',
        requiredAcr: values.acr ?? null,
      });
      await writeAudit(database.db, auditKeyFrom(config.secret), systemContext(), {
        action: 'sso.configure',
        outcome: 'success',
        subjectType: 'organisation',
        subjectId: organisationId,
        subjectOrganisationId: organisationId,
        reason: values.issuer.slice(0, 200),
      });
      io.out(`Single sign-on for ${values.organisation} now uses ${values.issuer}.`);
      return 0;
    } finally {
      await database.close();
    }
  },
};

export const ssoLinkCommand: Command = {
  name: ['sso', 'link'],
  usage: 'sso link --email EMAIL --subject SUBJECT',
  summary: "Link a Kindred account to its subject at its organisation's provider.",
  async run(args, baseConfig, io) {
    const { values } = parseArgs({
      args,
      options: { email: { type: 'string' }, subject: { type: 'string' } },
    });
    if (!values.email || !values.subject)
      throw new AppError(
        'bad-request',
        'Give --email and --subject: kindred sso link --email EMAIL --subject SUBJECT',
      );
    const config = ensureDevelopmentSecret(baseConfig);
    const database = await openConfiguredDatabase(config);
    try {
      await migrate(database.db);
      const linked = await linkExternalIdentity(database.db, {
        email: values.email,
        subject: values.subject,
      });
      await writeAudit(database.db, auditKeyFrom(config.secret), systemContext(), {
        action: 'sso.link',
        outcome: 'success',
        subjectType: 'user',
        subjectId: linked.userId,
        reason: `linked to a subject at ${linked.issuer}`.slice(0, 200),
      });
      io.out(`Linked ${values.email} to its account at ${linked.issuer}.`);
      return 0;
    } finally {
      await database.close();
    }
  },
};
