// `kindred ssda903 validate DIR`: runs the adoption-related DfE rules over an SSDA903 return from
// files alone, so a council can check a return before sending it (issue 9 §2). No database.
//
// Output: with --json, stdout is exactly {"errors":[{"code","table","row","fields","message"}]},
// where a MISSING_COLUMN error (a column the table's file lacks) has row -1. Read problems (an
// unknown table, a file that is not UTF-8 …) never go to stdout: they are printed on stderr.
// Exit code: 0 when the return has no errors, 1 when it has errors or cannot be read at all (a
// fatal read problem, in which case nothing is printed on stdout) or the arguments are wrong.
import type { Command, CommandIO } from '../command.js';
import { AppError } from '../../platform/http/errors.js';
import { hasFatalProblem, readReturn } from '../../modules/ssda903/read-return.js';
import type { ReadProblem, ValidationError } from '../../modules/ssda903/return.js';
import { tableNames } from '../../modules/ssda903/return.js';
import { collectionYearFor, parseOptionDate, validateReturn } from '../../modules/ssda903/validate.js';

const usageLine =
  'ssda903 validate DIR [--previous DIR] [--collection-start dd/mm/yyyy] [--collection-end dd/mm/yyyy] [--json]';
const usage = `kindred ${usageLine}`;

interface Options {
  dir: string;
  previous: string | undefined;
  collectionStart: string | undefined;
  collectionEnd: string | undefined;
  json: boolean;
}

function parseArgs(args: string[]): Options {
  const options: Options = {
    dir: '',
    previous: undefined,
    collectionStart: undefined,
    collectionEnd: undefined,
    json: false,
  };
  const positional: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    const [flagName, inline] =
      arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s) : [arg, undefined];
    const valueOf = (): string => {
      if (inline !== undefined) return inline;
      const next = args[i + 1];
      if (next === undefined || next.startsWith('--'))
        throw new AppError('bad-request', `${flagName} needs a value. ${usage}`);
      i += 1;
      return next;
    };
    switch (flagName) {
      case '--json':
        options.json = true;
        break;
      case '--previous':
        options.previous = valueOf();
        break;
      case '--collection-start':
      case '--collection-end': {
        const value = valueOf();
        if (!/^\d{1,2}\/\d{1,2}\/\d{4}$/.test(value) || parseOptionDate(value) === null) {
          throw new AppError('bad-request', `${flagName} must be a date written dd/mm/yyyy, not "${value}".`);
        }
        if (flagName === '--collection-start') options.collectionStart = value;
        else options.collectionEnd = value;
        break;
      }
      default:
        if (arg.startsWith('--')) throw new AppError('bad-request', `Unknown option ${arg}. ${usage}`);
        positional.push(arg);
    }
  }
  if (positional.length !== 1 || !positional[0])
    throw new AppError('bad-request', `Give one return to validate: ${usage}`);
  options.dir = positional[0];
  return options;
}

function reportProblems(io: CommandIO, label: string, problems: readonly ReadProblem[]): void {
  for (const problem of problems) {
    io.err(`${problem.fatal ? 'Cannot read' : 'Note'} (${label}): ${problem.message}`);
  }
}

function dmy(iso: string): string {
  return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
}

function rowList(rows: number[]): string {
  const shown = rows.slice(0, 10).join(', ');
  return rows.length > 10 ? `${shown} and ${rows.length - 10} more` : shown;
}

/** The readable report: per table, per rule, how many rows and which. */
export function describeErrors(errors: readonly ValidationError[]): string[] {
  const lines: string[] = [];
  for (const table of tableNames) {
    const inTable = errors.filter((e) => e.table === table);
    if (inTable.length === 0) continue;
    lines.push('', `${table}: ${inTable.length} ${inTable.length === 1 ? 'error' : 'errors'}`);
    const byCode = new Map<string, ValidationError[]>();
    for (const error of inTable) byCode.set(error.code, [...(byCode.get(error.code) ?? []), error]);
    for (const [code, list] of byCode) {
      const first = list[0];
      if (!first) continue;
      const where = list.every((e) => e.row < 0)
        ? `column ${list.map((e) => e.fields.join(', ')).join('; ')}`
        : `${list.length === 1 ? 'row' : 'rows'} ${rowList(list.map((e) => e.row))}`;
      lines.push(
        `  ${code} (${where}): ${code === 'MISSING_COLUMN' ? 'a column is missing and was read as blank.' : first.message.trim()}`,
      );
    }
  }
  return lines;
}

export const ssda903ValidateCommand: Command = {
  name: ['ssda903', 'validate'],
  usage: usageLine,
  summary: 'Check an SSDA903 return (CSV folder or XML) against the DfE adoption rules.',
  async run(args, _config, io) {
    const options = parseArgs(args);
    const current = await readReturn(options.dir);
    reportProblems(io, options.dir, current.problems);
    const previous = options.previous === undefined ? undefined : await readReturn(options.previous);
    if (previous && options.previous) reportProblems(io, `previous: ${options.previous}`, previous.problems);
    if (hasFatalProblem(current) || (previous && hasFatalProblem(previous))) {
      io.err('The return was not validated: fix the files named above and try again.');
      return 1;
    }

    const year = collectionYearFor(current, options);
    const errors = validateReturn(current, { previous, ...year });
    if (options.json) {
      io.out(
        JSON.stringify({
          errors: errors.map((e) => ({
            code: e.code,
            table: e.table,
            row: e.row,
            fields: e.fields,
            message: e.message,
          })),
        }),
      );
    } else {
      const tables = new Set(errors.map((e) => e.table)).size;
      io.out(
        `${options.dir}, collection year ${dmy(year.collectionStart)} to ${dmy(year.collectionEnd)}: ` +
          (errors.length === 0
            ? 'no errors.'
            : `${errors.length} ${errors.length === 1 ? 'error' : 'errors'} in ${tables} ${tables === 1 ? 'table' : 'tables'}.`),
      );
      for (const line of describeErrors(errors)) io.out(line);
    }
    return errors.length === 0 ? 0 : 1;
  },
};
