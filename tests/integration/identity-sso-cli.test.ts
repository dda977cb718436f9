// `kindred sso configure` and `kindred sso link` as an operator runs them (issue 3 §3), in this
// process against a PGlite data directory prepared by the test: the client secret is stored
// sealed, MFA evidence is required unless switched off, and both commands are audited with no
// actor (the system).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CommandIO } from '../../src/cli/command.js';
import { ssoConfigureCommand, ssoLinkCommand } from '../../src/cli/commands/sso.js';
import { ensureDevelopmentSecret, loadConfig } from '../../src/platform/config.js';
import { openDatabase } from '../../src/platform/db/client.js';
import { migrate } from '../../src/platform/db/migrate.js';
import { testDriver } from '../support/test-database.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'kindred-sso-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function captureIo(): CommandIO & { lines: string[] } {
  const lines: string[] = [];
  return { lines, out: (line) => lines.push(line), err: (line) => lines.push(line), interactive: false };
}

// The commands open a PGlite data directory here; the services they call are tested on both
// drivers in identity-sso-sign-in.test.ts.
// Opening and migrating a fresh data directory takes a while on a busy machine.
describe.skipIf(testDriver() === 'postgres')('kindred sso configure and kindred sso link', () => {
  it('AU-1: configures a provider with its secret sealed and MFA evidence required by default, links an account, and audits both as the system', async () => {
    const config = ensureDevelopmentSecret(
      loadConfig({ KINDRED_ENV: 'development', DATA_DIR: path.join(scratch, 'data') }),
    );
    let setup = await openDatabase({ dataDir: config.dataDir });
    try {
      await migrate(setup.db);
      const council = await setup.db
        .insertInto('organisations')
        .values({ code: 'cli-council', kind: 'raa', name: 'Command Line Council' })
        .returning('id')
        .executeTakeFirstOrThrow();
      await setup.db
        .insertInto('users')
        .values({
          organisation_id: council.id,
          email: 'pat.worker@example.test',
          name: 'Pat Worker',
          password_hash: null,
          totp_secret_encrypted: null,
          totp_enrolled_at: null,
          status: 'active',
          throttled_until: null,
          last_sign_in_at: null,
        })
        .execute();
    } finally {
      await setup.close();
    }

    const io = captureIo();
    await expect(
      ssoConfigureCommand.run(
        ['--organisation', 'cli-council', '--issuer', 'https://idp.example.test', '--require-mfa', 'maybe'],
        config,
        io,
      ),
    ).rejects.toThrow('Give --organisation, --issuer, --client-id and --display-name');
    await expect(ssoConfigureCommand.run(['--colour', 'blue'], config, io)).rejects.toThrow(
      'Usage: kindred sso configure',
    );
    const configure = [
      '--organisation',
      'cli-council',
      '--issuer',
      'https://idp.example.test/realms/council',
      '--client-id',
      'kindred',
      '--client-secret',
      'a-client-secret-of-some-length',
      '--display-name',
      'Command Line Council',
    ];
    await expect(
      ssoConfigureCommand.run([...configure, '--require-mfa', 'maybe'], config, io),
    ).rejects.toThrow('--require-mfa must be true or false');
    expect(await ssoConfigureCommand.run(configure, config, io)).toBe(0);
    expect(
      await ssoLinkCommand.run(['--email', 'Pat.Worker@example.test', '--subject', 'pat-at-idp'], config, io),
    ).toBe(0);
    expect(io.lines).toEqual([
      'Single sign-on for cli-council now uses https://idp.example.test/realms/council; evidence of a second factor is required.',
      'Linked Pat.Worker@example.test to its account at https://idp.example.test/realms/council.',
    ]);

    setup = await openDatabase({ dataDir: config.dataDir });
    try {
      const provider = await setup.db
        .selectFrom('identity_providers')
        .select(['issuer', 'client_id', 'client_secret_encrypted', 'require_mfa', 'required_acr'])
        .executeTakeFirstOrThrow();
      expect(provider).toMatchObject({
        issuer: 'https://idp.example.test/realms/council',
        client_id: 'kindred',
        require_mfa: true,
        required_acr: null,
      });
      expect(provider.client_secret_encrypted).toMatch(/^v1\./);
      expect(provider.client_secret_encrypted).not.toContain('a-client-secret-of-some-length');
      const link = await setup.db
        .selectFrom('user_external_identities')
        .select(['issuer', 'subject'])
        .executeTakeFirstOrThrow();
      expect(link).toEqual({ issuer: 'https://idp.example.test/realms/council', subject: 'pat-at-idp' });
      const audit = await setup.db
        .selectFrom('audit_events')
        .select(['action', 'outcome', 'actor_user_id', 'user_agent'])
        .orderBy('seq')
        .execute();
      expect(audit).toEqual([
        {
          action: 'sso.configure',
          outcome: 'success',
          actor_user_id: null,
          user_agent: 'kindred sso configure',
        },
        { action: 'sso.link', outcome: 'success', actor_user_id: null, user_agent: 'kindred sso link' },
      ]);
    } finally {
      await setup.close();
    }

    expect(await ssoConfigureCommand.run([...configure, '--require-mfa', 'false'], config, io)).toBe(0);
    expect(io.lines.at(-1)).toContain('evidence of a second factor is not required');
  }, 120_000);
});
