import type { Command } from '../command.js';
import { openConfiguredDatabase } from '../../platform/db/client.js';
import { migrate } from '../../platform/db/migrate.js';

export const migrateCommand: Command = {
  name: ['migrate'],
  usage: 'migrate',
  summary: 'Apply any migrations the database does not have yet.',
  async run(_args, config, io) {
    const database = await openConfiguredDatabase(config);
    try {
      const result = await migrate(database.db);
      io.out(
        result.applied.length
          ? `Applied ${result.applied.length} migration(s): ${result.applied.join(', ')}.`
          : `The database is up to date (${result.alreadyApplied} migrations).`,
      );
      return 0;
    } finally {
      await database.close();
    }
  },
};
