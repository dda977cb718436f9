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
import { ssda903ScorecardCommand } from './ssda903-scorecard.js';
import { ssda903ValidateCommand } from './ssda903-validate.js';
import { startCommand } from './start.js';
import { generateSsda903Command, importSsda903Command } from './import-ssda903.js';

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
  importSsda903Command,
  generateSsda903Command,
  ssda903ScorecardCommand,
  ssda903ValidateCommand,
];
