// `kindred restore FILE`: restores a backup into the configured database, which must be empty.
// Everything goes in one transaction and is committed only if the audit trail then verifies
// with this installation's secret (issue 2 §5; security.md RL-5, LG-4, pitfall P20).
import type { Command, CommandIO } from '../command.js';
import { auditKeyFrom } from '../../platform/audit/audit.js';
import { ensureDevelopmentSecret } from '../../platform/config.js';
import { checkBackupFile, databaseHoldsData, restoreDatabase } from '../../platform/db/backup.js';
import { openConfiguredDatabase } from '../../platform/db/client.js';
import { migrate } from '../../platform/db/migrate.js';
import { AppError } from '../../platform/http/errors.js';

const progressEvery = 50_000;

/** A progress callback that prints a line every 50,000 rows, only when someone is watching. */
export function progressReporter(io: CommandIO, verb: string): (table: string, rows: number) => void {
  let total = 0;
  let reported = 0;
  let current = '';
  let inTable = 0;
  return (table, rows) => {
    if (table !== current) {
      current = table;
      inTable = 0;
    }
    total += rows - inTable;
    inTable = rows;
    if (io.interactive && total - reported >= progressEvery) {
      reported = total - (total % progressEvery);
      io.err(`${verb} ${reported.toLocaleString('en-GB')} rows…`);
    }
  };
}

export const restoreCommand: Command = {
  name: ['restore'],
  usage: 'restore FILE',
  summary: 'Restore a backup made by kindred backup into an empty database.',
  async run(args, baseConfig, io) {
    const file = args[0];
    if (!file || args.length > 1)
      throw new AppError('bad-request', 'Give exactly one file: kindred restore FILE');
    const config = ensureDevelopmentSecret(baseConfig);
    const auditKey = auditKeyFrom(config.secret);
    // A file that is not a backup, or is from another installation, is refused before any database is opened.
    await checkBackupFile(file, auditKey);
    const database = await openConfiguredDatabase(config);
    try {
      // Checked before migrating, so a database in use is never touched.
      if (await databaseHoldsData(database.db)) {
        throw new AppError(
          'conflict',
          `The database at ${database.location} already holds data; restore only into an empty database.`,
        );
      }
      await migrate(database.db);
      const summary = await restoreDatabase(database, file, auditKey, {
        onProgress: progressReporter(io, 'Restored'),
      });
      const { checked, headSeq, headHash } = summary.audit;
      const head = checked === 0 ? '' : `, head #${headSeq} ${headHash.slice(0, 16)}`;
      io.out(
        `Restored ${summary.rows} rows into ${summary.tables.length} tables from ${file}; ` +
          `the audit trail verified (${checked} entries${head}).`,
      );
      return 0;
    } finally {
      await database.close();
    }
  },
};
