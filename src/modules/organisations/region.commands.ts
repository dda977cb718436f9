// Loading a region file from the command line or at demo start-up.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { auditKeyFrom } from '../../platform/audit/audit.js';
import type { Config } from '../../platform/config.js';
import type { Database } from '../../platform/db/client.js';
import { AppError } from '../../platform/http/errors.js';
import { parseRegionFile } from './region-file.js';
import { loadRegion, type RegionLoadResult } from './region-loader.service.js';

export const demoRegionFile = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../regions/demo-south-london.yaml',
);

export async function loadRegionFromFile(
  database: Database,
  config: Config,
  file: string,
  options: { demo?: boolean } = {},
): Promise<RegionLoadResult> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new AppError('bad-request', `Cannot read the region file ${file}.`);
  }
  const parsed = parseRegionFile(text, path.basename(file));
  return loadRegion(database.db, parsed, {
    demo: options.demo ?? false,
    auditKey: auditKeyFrom(config.secret),
    auditContext: {
      actor: null,
      ip: null,
      userAgent: 'kindred region load',
      correlationId: null,
      now: new Date(),
    },
  });
}

export function describeLoad(result: RegionLoadResult): string {
  const count = (n: number, word: string) => `${n} organisation${n === 1 ? '' : 's'} ${word}`;
  return `Loaded region '${result.regionName}': ${count(result.added, 'added')}, ${result.changed} changed, ${result.deactivated} deactivated, ${result.unchanged} unchanged.`;
}
