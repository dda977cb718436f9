import type { Command } from '../command.js';
import { ensureDevelopmentSecret } from '../../platform/config.js';
import { openDatabase } from '../../platform/db/client.js';
import { migrate } from '../../platform/db/migrate.js';
import { AppError } from '../../platform/http/errors.js';
import { describeLoad, loadRegionFromFile } from '../../modules/organisations/region.commands.js';

export const regionLoadCommand: Command = {
  name: ['region', 'load'],
  usage: 'region load FILE',
  summary: "Load or update the region's organisations from a YAML or JSON region file (idempotent).",
  async run(args, baseConfig, io) {
    const file = args[0];
    if (!file || args.length > 1)
      throw new AppError('bad-request', 'Give exactly one region file: kindred region load FILE');
    const config = ensureDevelopmentSecret(baseConfig);
    const database = await openDatabase({
      dataDir: config.databaseUrl ? undefined : config.dataDir,
      databaseUrl: config.databaseUrl,
    });
    try {
      await migrate(database.db);
      io.out(describeLoad(await loadRegionFromFile(database, config, file)));
      return 0;
    } finally {
      await database.close();
    }
  },
};
