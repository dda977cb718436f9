// Loads the synthetic demo region into an empty database: the organisations of Adopt London
// South (demo), then one invented user for every role, and prints how to sign in.
import type { Command, CommandIO } from '../command.js';
import type { Config } from '../../platform/config.js';
import { ensureDevelopmentSecret } from '../../platform/config.js';
import { openConfiguredDatabase, type Database } from '../../platform/db/client.js';
import { migrate } from '../../platform/db/migrate.js';
import { demoPassword, seedDemoUsers } from '../../modules/identity/demo-users.js';
import { auditKeyFrom } from '../../platform/audit/audit.js';
import { seedSyntheticChildren } from '../../modules/children/synthetic-children.js';
import { raiseScheduledWork } from '../../modules/children/children.service.js';
import { seedDemoPool } from '../../modules/matching/demo-pool.js';
import { refreshSufficiency } from '../../modules/matching/sufficiency.service.js';
import { seedDemoPanels } from '../../modules/panels/demo-panels.js';
import { seedDemoSupport } from '../../modules/support/demo-support.js';
import {
  describeRegionLoad,
  loadDemoRegionIfEmpty,
} from '../../modules/organisations/region-loader.service.js';

/** About ten children for each of the demo region's councils. */
const demoChildren = 100;

export async function seedDemoIfEmpty(database: Database, config: Config, io: CommandIO): Promise<boolean> {
  const loaded = await loadDemoRegionIfEmpty(database.db, {
    auditKey: auditKeyFrom(config.secret),
    auditContext: {
      actor: null,
      ip: null,
      userAgent: 'kindred seed-demo',
      correlationId: null,
      now: new Date(),
    },
  });
  if (!loaded) return false;
  io.out(describeRegionLoad(loaded));
  const users = await seedDemoUsers(database);
  // Invented children with coherent journeys, so the tracking board and My work have something
  // to show; the demo's own family finder is used.
  const children = await seedSyntheticChildren(database.db, {
    children: demoChildren,
    auditKey: auditKeyFrom(config.secret),
  });
  const synthetic = await database.db
    .selectFrom('children')
    .select('id')
    .where('is_synthetic', '=', true)
    .execute();
  const tasks = await database.db.transaction().execute((trx) =>
    raiseScheduledWork(
      trx,
      synthetic.map((row) => row.id),
      new Date(),
    ),
  );
  io.out(`Added ${children.childrenAdded} invented children with their journeys, and ${tasks} open tasks.`);
  // A pool of invented families for matching, and the sufficiency figures worked out once.
  const pool = await seedDemoPool(database.db, { now: new Date() });
  await refreshSufficiency(database.db, new Date());
  io.out(
    `Added a pool of ${pool.approved} invented approved households (${pool.partner} with partner agencies).`,
  );
  // The panels: an invented central list, a panel per spoke with sittings past and to come, and a
  // household ready for its approval panel.
  const panels = await seedDemoPanels(database.db, { now: new Date() });
  io.out(
    `Added ${panels.panels} panels with ${panels.sittings} sittings and a central list of ${panels.members}.`,
  );
  // Adoption support: a family with a plan, a fund application and letterbox items to check.
  const support = await seedDemoSupport(database.db, { now: new Date() });
  io.out(`Added ${support.cases} invented support cases and ${support.exchanges} letterbox exchanges.`);
  const width = Math.max(...users.map((u) => u.role.length));
  io.out('');
  io.out(`Demo users (password for all: "${demoPassword}"):`);
  for (const user of users) io.out(`  ${user.role.padEnd(width)}  ${user.email}`);
  io.out('Demo mode: the second sign-in factor is skipped, and every page says so.');
  io.out('');
  return true;
}

export function printDemoSignIn(io: CommandIO): void {
  io.out(
    `Sign in as any demo user, e.g. family.finder@demo.kindred.invalid, with the password "${demoPassword}".`,
  );
}

export const seedDemoCommand: Command = {
  name: ['seed-demo'],
  usage: 'seed-demo',
  summary: 'Load the synthetic demo region and its users into an empty database.',
  async run(_args, baseConfig, io) {
    const config = ensureDevelopmentSecret(baseConfig);
    const database = await openConfiguredDatabase(config);
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
