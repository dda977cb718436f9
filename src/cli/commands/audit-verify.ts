// `kindred audit verify`: recomputes the audit trail's HMAC chain from the first entry and names
// the first entry that is altered, missing or out of order (security.md LG-4, issue 3 §6).
// It only reads: a broken trail is evidence, so nothing here repairs or migrates anything.
import { sql } from 'kysely';
import type { Command } from '../command.js';
import { auditKeyFrom, verifyAuditChain } from '../../platform/audit/audit.js';
import { ensureDevelopmentSecret } from '../../platform/config.js';
import { openConfiguredDatabase } from '../../platform/db/client.js';
import { AppError } from '../../platform/http/errors.js';

const progressEvery = 50_000;

export const auditVerifyCommand: Command = {
  name: ['audit', 'verify'],
  usage: 'audit verify',
  summary: 'Check the audit trail: every entry present, unaltered and in order.',
  async run(args, baseConfig, io) {
    if (args.length > 0) throw new AppError('bad-request', 'kindred audit verify takes no arguments.');
    const config = ensureDevelopmentSecret(baseConfig);
    const database = await openConfiguredDatabase(config);
    try {
      const table = await sql<{
        name: string | null;
      }>`select to_regclass('public.audit_events')::text as name`.execute(database.db);
      if (!table.rows[0]?.name) {
        throw new AppError(
          'config',
          `The database at ${database.location} has no audit trail yet; run kindred migrate first.`,
        );
      }
      let reported = 0;
      const result = await verifyAuditChain(database.db, auditKeyFrom(config.secret), {
        onProgress: (checked) => {
          if (!io.interactive || checked - reported < progressEvery) return;
          reported = checked - (checked % progressEvery);
          io.err(`Checked ${reported.toLocaleString('en-GB')} entries…`);
        },
      });
      if (!result.ok) {
        io.err(`Audit trail broken at entry #${result.brokenAt}: ${result.problem}.`);
        return 1;
      }
      io.out(
        result.checked === 0
          ? 'Audit trail verified: 0 entries.'
          : `Audit trail verified: ${result.checked} entries, head #${result.headSeq} ${result.headHash.slice(0, 16)}.`,
      );
      return 0;
    } finally {
      await database.close();
    }
  },
};
