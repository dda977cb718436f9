// `kindred region load FILE`: loads or updates the region's organisations from a YAML or JSON
// region file, all or nothing; loading the same file again changes nothing (issue 2 §2, §9).
import { randomUUID } from 'node:crypto';
import type { Command } from '../command.js';
import { ensureDevelopmentSecret } from '../../platform/config.js';
import { auditKeyFrom } from '../../platform/audit/audit.js';
import { openConfiguredDatabase } from '../../platform/db/client.js';
import { migrate } from '../../platform/db/migrate.js';
import { AppError } from '../../platform/http/errors.js';
import {
  describeRegionLoad,
  loadRegion,
  readRegionFile,
} from '../../modules/organisations/region-loader.service.js';

export const regionLoadCommand: Command = {
  name: ['region', 'load'],
  usage: 'region load FILE',
  summary: "Load or update the region's organisations from a YAML or JSON region file.",
  async run(args, baseConfig, io) {
    const [file, ...extra] = args;
    if (!file || extra.length > 0) {
      throw new AppError('bad-request', 'Give one region file: kindred region load FILE');
    }
    // Checked before the database is opened: a bad file never touches the data.
    const parsed = readRegionFile(file);
    const config = ensureDevelopmentSecret(baseConfig);
    const database = await openConfiguredDatabase(config);
    try {
      await migrate(database.db);
      const result = await loadRegion(database.db, parsed, {
        auditKey: auditKeyFrom(config.secret),
        auditContext: {
          actor: null,
          ip: null,
          userAgent: 'kindred region load',
          correlationId: randomUUID(),
          now: new Date(),
        },
      });
      io.out(describeRegionLoad(result));
      return 0;
    } finally {
      await database.close();
    }
  },
};
