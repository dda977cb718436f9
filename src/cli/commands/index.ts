// Every `kindred` sub-command. Add new ones here.
import type { Command } from '../command.js';
import { auditVerifyCommand } from './audit-verify.js';
import { backupCommand } from './backup.js';
import { migrateCommand } from './migrate.js';
import { regionLoadCommand } from './region-load.js';
import { restoreCommand } from './restore.js';
import { ssoConfigureCommand, ssoLinkCommand } from './sso.js';
import { seedDemoCommand } from './seed-demo.js';
import { seedSyntheticCommand } from './seed-synthetic.js';
import { startCommand } from './start.js';

export const commands: Command[] = [
  startCommand,
  migrateCommand,
  seedDemoCommand,
  seedSyntheticCommand,
  regionLoadCommand,
  auditVerifyCommand,
  backupCommand,
  restoreCommand,
  ssoConfigureCommand,
  ssoLinkCommand,
];
