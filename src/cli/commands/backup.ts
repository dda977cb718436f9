// `kindred backup FILE`: a logical backup of every table, portable between PGlite and
// PostgreSQL (issue 2 §5; security.md RL-5). The file holds personal data: it is written with
// owner-only permissions and must be stored encrypted, like the database itself.
import type { Command } from '../command.js';
import { auditKeyFrom } from '../../platform/audit/audit.js';
import { ensureDevelopmentSecret } from '../../platform/config.js';
import { backupDatabase } from '../../platform/db/backup.js';
import { openConfiguredDatabase } from '../../platform/db/client.js';
import { AppError } from '../../platform/http/errors.js';
import { progressReporter } from './restore.js';

export const backupCommand: Command = {
  name: ['backup'],
  usage: 'backup FILE',
  summary: 'Write every row of the database to FILE (gzipped JSON lines) for kindred restore.',
  async run(args, baseConfig, io) {
    const file = args[0];
    if (!file || args.length > 1)
      throw new AppError('bad-request', 'Give exactly one file: kindred backup FILE');
    const config = ensureDevelopmentSecret(baseConfig);
    const database = await openConfiguredDatabase(config);
    try {
      const summary = await backupDatabase(database, file, {
        auditKey: auditKeyFrom(config.secret),
        onProgress: progressReporter(io, 'Backed up'),
      });
      io.out(`Backed up ${summary.rows} rows from ${summary.tables.length} tables to ${file}.`);
      return 0;
    } finally {
      await database.close();
    }
  },
};
