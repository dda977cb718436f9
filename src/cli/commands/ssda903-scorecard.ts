// `kindred ssda903 scorecard DIR --window-end YYYY-MM-DD [--la CODE] [--json]` (issue 9 §3): the
// Adoption Scorecard worked out from SSDA903 files alone, with the same functions Kindred's own
// scorecard page uses, so a council can check the RAA's figures against its own return. No
// database is opened.
//
// How DIR maps to councils:
// - DIR holds the tables of one return (CSV files or one XML file): that is one council's return,
//   printed under --la CODE when given, and always under "all".
// - Otherwise each sub-folder of DIR is a council, named by its folder (e.g. 209 or "lewisham"),
//   and "all" adds every council's children together. --la CODE prints only that council (and
//   "all" for it alone).
// - A council's folder holds one return, or several years' returns in sub-folders of their own
//   (e.g. 2022-23, 2023-24). Years are read in folder-name order, oldest first, and merged per
//   child: an adoption usually spans more than one year's return, and only the earlier years show
//   when the child entered care.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Command, CommandIO } from '../command.js';
import { AppError } from '../../platform/http/errors.js';
import { readReturn } from '../../modules/ssda903/read-return.js';
import { journeysFromReturn, mergeReturns } from '../../modules/ssda903/journeys.js';
import type { Ssda903Return } from '../../modules/ssda903/return.js';
import {
  childFigures,
  cliScorecard,
  scorecardChildFromReturn,
  scorecardWindow,
  type CliScorecard,
  type ScorecardChild,
} from '../../modules/reports/scorecard.js';

const usage = 'ssda903 scorecard DIR --window-end YYYY-MM-DD [--la CODE] [--json]';

interface Options {
  dir: string;
  windowEnd: string;
  la: string | undefined;
  json: boolean;
}

function isRealDate(iso: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return false;
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === iso;
}

export function parseScorecardArgs(args: readonly string[]): Options {
  let dir: string | undefined;
  let windowEnd: string | undefined;
  let la: string | undefined;
  let json = false;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    if (arg === '--json') json = true;
    else if (arg === '--window-end' || arg === '--la') {
      const value = args[i + 1];
      if (value === undefined || value.startsWith('--'))
        throw new AppError('bad-request', `${arg} needs a value: kindred ${usage}`);
      if (arg === '--window-end') windowEnd = value;
      else la = value;
      i += 1;
    } else if (arg.startsWith('--'))
      throw new AppError('bad-request', `Unknown option ${arg}: kindred ${usage}`);
    else if (dir === undefined) dir = arg;
    else throw new AppError('bad-request', `Give one folder only: kindred ${usage}`);
  }
  if (dir === undefined)
    throw new AppError('bad-request', `Say which folder holds the return: kindred ${usage}`);
  if (windowEnd === undefined)
    throw new AppError('bad-request', `Say when the three-year window ends: kindred ${usage}`);
  if (!isRealDate(windowEnd)) {
    throw new AppError('bad-request', `--window-end must be a date written YYYY-MM-DD, such as 2024-03-31.`);
  }
  return { dir, windowEnd, la, json };
}

async function entriesOf(dir: string): Promise<{ files: string[]; folders: string[] }> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    throw new AppError('bad-request', `${dir} is not a folder Kindred can read.`);
  }
  return {
    files: entries.filter((e) => e.isFile() && /\.(csv|xml)$/i.test(e.name)).map((e) => e.name),
    folders: entries
      .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort((a, b) => a.localeCompare(b, 'en-GB', { numeric: true })),
  };
}

/** Reads one return, refusing one with a fatal problem (nothing can be counted from it). */
async function readOne(folder: string, io: CommandIO): Promise<Ssda903Return> {
  const ret = await readReturn(folder);
  const fatal = ret.problems.filter((problem) => problem.fatal);
  for (const problem of ret.problems.filter((p) => !p.fatal)) io.err(`${folder}: ${problem.message}`);
  if (fatal.length > 0) {
    throw new AppError('bad-request', `${folder} cannot be read: ${fatal.map((p) => p.message).join(' ')}`);
  }
  return ret;
}

/** One council's folder: its return, or its years' returns merged per child. */
async function readCouncil(folder: string, io: CommandIO): Promise<Ssda903Return> {
  const { files, folders } = await entriesOf(folder);
  if (files.length > 0 || folders.length === 0) {
    if (folders.length > 0)
      io.err(`${folder}: the tables in the folder itself are read; its sub-folders are not.`);
    return readOne(folder, io);
  }
  const years: Ssda903Return[] = [];
  for (const year of folders) years.push(await readOne(path.join(folder, year), io));
  return mergeReturns(years);
}

/** The scorecard of every council found under `dir`, and of them all together, keyed as printed. */
export async function scorecardFromFolder(
  options: Pick<Options, 'dir' | 'windowEnd' | 'la'>,
  io: CommandIO,
): Promise<Record<string, CliScorecard>> {
  const { files, folders } = await entriesOf(options.dir);
  const councils: Array<{ key: string | null; folder: string }> = [];
  if (files.length > 0) {
    councils.push({ key: options.la ?? null, folder: options.dir });
  } else {
    const chosen = options.la === undefined ? folders : folders.filter((folder) => folder === options.la);
    if (options.la !== undefined && chosen.length === 0) {
      throw new AppError('bad-request', `${options.dir} has no folder for council ${options.la}.`);
    }
    for (const folder of chosen) councils.push({ key: folder, folder: path.join(options.dir, folder) });
  }
  if (councils.length === 0) throw new AppError('bad-request', `${options.dir} holds no SSDA903 return.`);

  const result: Record<string, CliScorecard> = {};
  const everyone: ScorecardChild[] = [];
  for (const council of councils) {
    const ret = await readCouncil(council.folder, io);
    const councilId = council.key ?? 'all';
    const children = journeysFromReturn(ret).map((journey) => scorecardChildFromReturn(journey, councilId));
    everyone.push(...children);
    if (council.key !== null) result[council.key] = cliScorecard(childFigures(children, options.windowEnd));
  }
  result.all = cliScorecard(childFigures(everyone, options.windowEnd));
  return result;
}

const show = (value: number | null, unit: string): string =>
  value === null ? 'no children' : `${value}${unit}`;

export const ssda903ScorecardCommand: Command = {
  name: ['ssda903', 'scorecard'],
  usage,
  summary: 'Work out the Adoption Scorecard (A1, A2, A3, A10) from SSDA903 files, without a database.',
  async run(args, _config, io) {
    const options = parseScorecardArgs(args);
    if (!options.windowEnd.endsWith('-03-31')) {
      io.err(`Note: DfE's scorecard windows end on 31 March; ${options.windowEnd} is used as given.`);
    }
    const result = await scorecardFromFolder(options, io);
    if (options.json) {
      io.out(JSON.stringify(result));
      return 0;
    }
    const window = scorecardWindow(options.windowEnd);
    io.out(`Adoption Scorecard, children adopted ${window.start} to ${window.end}`);
    for (const [key, figures] of Object.entries(result)) {
      io.out('');
      io.out(key === 'all' ? 'All councils' : `Council ${key}`);
      io.out(`  Children adopted (n): ${figures.n}`);
      io.out(`  A1:  ${show(figures.A1, ' days')}`);
      io.out(`  A10: ${show(figures.A10, ' days')}`);
      io.out(`  A2:  ${show(figures.A2, ' days')} (${figures.A2_n} children)`);
      io.out(`  A3:  ${show(figures.A3_percent, '%')}`);
    }
    return 0;
  },
};
