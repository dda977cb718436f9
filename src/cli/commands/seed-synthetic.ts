// `kindred seed-synthetic --children N [--councils M] [--seed S]`: invented children with coherent
// journeys, for trying Kindred at scale and for bench/children. In an empty database it first
// loads a synthetic region (a hub, an RAA, spokes of ten councils); in a demo or synthetic
// database it uses the region there. A database with real children or a real region is refused.
// Running it again adds N more children, numbered on from the last.
import type { Command, CommandIO } from '../command.js';
import { auditKeyFrom } from '../../platform/audit/audit.js';
import { ensureDevelopmentSecret } from '../../platform/config.js';
import { openConfiguredDatabase } from '../../platform/db/client.js';
import { migrate } from '../../platform/db/migrate.js';
import { AppError } from '../../platform/http/errors.js';
import { describeRegionLoad } from '../../modules/organisations/region-loader.service.js';
import { maxSyntheticCouncils } from '../../modules/organisations/synthetic-region.js';
import { stageLabels, stages } from '../../modules/children/journey.js';
import {
  defaultSyntheticSeed,
  seedSyntheticChildren,
  type SeedSyntheticResult,
} from '../../modules/children/synthetic-children.js';

const usage = 'seed-synthetic --children N [--councils M] [--seed S]';
const maxChildren = 500_000;

interface Options {
  children: number;
  councils: number | undefined;
  seed: number;
}

function wholeNumber(flag: string, value: string | undefined, min: number, max: number): number {
  const n = Number(value);
  if (value === undefined || !/^\d+$/.test(value) || n < min || n > max) {
    throw new AppError(
      'bad-request',
      `${flag} needs a whole number from ${min.toLocaleString('en-GB')} to ${max.toLocaleString('en-GB')}: kindred ${usage}`,
    );
  }
  return n;
}

export function parseSeedSyntheticArgs(args: readonly string[]): Options {
  let children: number | undefined;
  let councils: number | undefined;
  let seed = defaultSyntheticSeed;
  for (let i = 0; i < args.length; i += 2) {
    const flag = args[i]!;
    const value = args[i + 1];
    if (flag === '--children') children = wholeNumber(flag, value, 1, maxChildren);
    else if (flag === '--councils') councils = wholeNumber(flag, value, 1, maxSyntheticCouncils);
    else if (flag === '--seed') seed = wholeNumber(flag, value, 0, 2 ** 32 - 1);
    else throw new AppError('bad-request', `Unknown option ${flag}: kindred ${usage}`);
  }
  if (children === undefined) throw new AppError('bad-request', `Say how many children: kindred ${usage}`);
  return { children, councils, seed };
}

/** "Writing synthetic children: 3,000 / 30,000" about every tenth of the way, on stderr. */
export function progressLines(io: CommandIO): (written: number, total: number) => void {
  let shown = 0;
  return (written, total) => {
    const step = Math.max(1, Math.ceil(total / 10));
    if (written === total || written - shown >= step) {
      shown = written;
      io.err(
        `Writing synthetic children: ${written.toLocaleString('en-GB')} / ${total.toLocaleString('en-GB')}`,
      );
    }
  };
}

export function describeSeed(result: SeedSyntheticResult, seconds: number): string[] {
  const n = (value: number) => value.toLocaleString('en-GB');
  const stagesLine = stages
    .filter((stage) => result.byStage[stage])
    .map((stage) => `${n(result.byStage[stage]!)} ${stageLabels[stage].toLowerCase()}`)
    .join(', ');
  return [
    ...(result.region ? [describeRegionLoad(result.region)] : []),
    `Added ${n(result.childrenAdded)} synthetic children (${result.firstChildId} to ${result.lastChildId}) across ${n(result.councils)} councils of '${result.regionName}' in ${seconds.toFixed(1)} s: ${n(result.facts)} journey facts, ${n(result.siblingLinks)} sibling links${result.familyFindersCreated ? `, ${result.familyFindersCreated} synthetic family finders` : ''}.`,
    `By stage: ${stagesLine}.`,
    `The database now holds ${n(result.syntheticChildrenNow)} synthetic children.`,
  ];
}

export const seedSyntheticCommand: Command = {
  name: ['seed-synthetic'],
  usage,
  summary:
    'Add N invented children with coherent journeys (a synthetic region first if the database is empty).',
  async run(args, baseConfig, io) {
    const options = parseSeedSyntheticArgs(args);
    const config = ensureDevelopmentSecret(baseConfig);
    const database = await openConfiguredDatabase(config);
    try {
      await migrate(database.db);
      const started = performance.now();
      const result = await seedSyntheticChildren(database.db, {
        children: options.children,
        councils: options.councils,
        seed: options.seed,
        auditKey: auditKeyFrom(config.secret),
        onProgress: progressLines(io),
      });
      for (const line of describeSeed(result, (performance.now() - started) / 1000)) io.out(line);
      return 0;
    } finally {
      await database.close();
    }
  },
};
