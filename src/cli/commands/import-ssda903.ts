// `kindred import ssda903 PATH --council CODE [--previous DIR] [--valid-only] [--json]`: imports a
// council's SSDA903 return (a folder of CSV tables or one XML file) into the configured database,
// as the page does, but here and now rather than on the job queue. It acts as the installation:
// every child created or changed is audited, with 'kindred import ssda903' as the agent.
// `kindred ssda903 generate DIR [--children N] [--seed S]` writes a synthetic national return.
import cliProgress from 'cli-progress';
import type { Command, CommandIO } from '../command.js';
import { auditKeyFrom } from '../../platform/audit/audit.js';
import { ensureDevelopmentSecret } from '../../platform/config.js';
import { openConfiguredDatabase } from '../../platform/db/client.js';
import { migrate } from '../../platform/db/migrate.js';
import { AppError } from '../../platform/http/errors.js';
import { defaultGeneratorSeed, generateReturn } from '../../modules/ssda903/generator.js';
import {
  importReturn,
  type ImportProgress,
  type ImportResult,
} from '../../modules/ssda903/import.service.js';
import { saveResult } from '../../modules/ssda903/import.jobs.js';
import { readReturn } from '../../modules/ssda903/read-return.js';

const usage = 'import ssda903 PATH --council CODE [--previous DIR] [--valid-only] [--json]';

export interface ImportArgs {
  path: string;
  council: string;
  previous: string | undefined;
  validOnly: boolean;
  json: boolean;
}

export function parseImportArgs(args: readonly string[]): ImportArgs {
  let path: string | undefined;
  let council: string | undefined;
  let previous: string | undefined;
  let validOnly = false;
  let json = false;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    if (arg === '--council') council = args[++i];
    else if (arg === '--previous') previous = args[++i];
    else if (arg === '--valid-only') validOnly = true;
    else if (arg === '--json') json = true;
    else if (arg.startsWith('--'))
      throw new AppError('bad-request', `Unknown option ${arg}: kindred ${usage}`);
    else if (path === undefined) path = arg;
    else throw new AppError('bad-request', `Give one return at a time: kindred ${usage}`);
  }
  if (!path) throw new AppError('bad-request', `Say where the return is: kindred ${usage}`);
  if (!council)
    throw new AppError(
      'bad-request',
      `Say whose return it is with --council CODE (the council's Kindred code or DfE LA code): kindred ${usage}`,
    );
  return { path, council, previous, validOnly, json };
}

/** The lines a person reads after an import. */
export function describeImport(result: ImportResult, councilName: string): string[] {
  const n = (value: number) => value.toLocaleString('en-GB');
  const lines: string[] = [];
  for (const problem of result.problems)
    lines.push(`${problem.fatal ? 'Cannot read' : 'Note'}: ${problem.message}`);
  if (result.refusal === 'unreadable') {
    lines.push(`Nothing was imported for ${councilName}: the files cannot be read as an SSDA903 return.`);
    return lines;
  }
  const byRule = new Map<string, number>();
  for (const error of result.errors) {
    const key = `${error.table} ${error.code}: ${error.message}`;
    byRule.set(key, (byRule.get(key) ?? 0) + 1);
  }
  for (const [rule, count] of byRule) lines.push(`${n(count)} × ${rule}`);
  if (result.refusal === 'errors') {
    lines.push(
      `Nothing was imported for ${councilName}: the ${result.collectionYear} return has ${n(result.errors.length)} errors in ${n(result.skipped.length)} children. Correct them, or run again with --valid-only to import only the children without errors.`,
    );
    return lines;
  }
  lines.push(
    `Imported the ${result.collectionYear} return for ${councilName}: ${n(result.created.length)} children added, ${n(result.updated.length)} brought up to date, ${n(result.unchanged)} already up to date, ${n(result.skipped.length)} skipped; ${n(result.factsAdded)} journey facts recorded. ${n(result.notOnAdoptionJourney)} looked-after children with no adoption milestone were not imported.`,
  );
  for (const child of result.skipped.slice(0, 50))
    lines.push(`Skipped ${child.child}: ${child.reasons.join('; ')}`);
  if (result.skipped.length > 50)
    lines.push(`… and ${n(result.skipped.length - 50)} more skipped (use --json for all).`);
  return lines;
}

function progressBar(io: CommandIO): { update(progress: ImportProgress): void; stop(): void } {
  if (!io.interactive) return { update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: '{stage} [{bar}] {value}/{total}', hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let stage = '';
  return {
    update(progress) {
      const label = { validating: 'Checking  ', importing: 'Matching  ', writing: 'Writing   ' }[
        progress.stage
      ];
      if (!started) {
        bar.start(Math.max(progress.total, 1), progress.done, { stage: label });
        started = true;
      } else if (stage !== progress.stage) bar.setTotal(Math.max(progress.total, 1));
      stage = progress.stage;
      bar.update(progress.done, { stage: label });
    },
    stop: () => started && bar.stop(),
  };
}

export const importSsda903Command: Command = {
  name: ['import', 'ssda903'],
  usage,
  summary: "Import a council's SSDA903 return (CSV folder or XML): validated, all or nothing, idempotent.",
  async run(args, baseConfig, io) {
    const options = parseImportArgs(args);
    const config = ensureDevelopmentSecret(baseConfig);
    const database = await openConfiguredDatabase(config);
    try {
      await migrate(database.db);
      const code = options.council.toLowerCase();
      const council = await database.db
        .selectFrom('organisations')
        .select(['id', 'name'])
        .where('kind', '=', 'local_authority')
        .where((eb) => eb.or([eb('code', '=', code), eb('la_code', '=', options.council)]))
        .executeTakeFirst();
      if (!council)
        throw new AppError(
          'not-found',
          `There is no council with the code ${options.council} in this database.`,
        );
      const current = await readReturn(options.path);
      const previous = options.previous ? await readReturn(options.previous) : undefined;
      const now = new Date();
      const bar = progressBar(io);
      const auditContext = {
        actor: null,
        ip: null,
        userAgent: 'kindred import ssda903',
        correlationId: null,
        now,
      };
      const result = await importReturn(
        { db: database.db, auditKey: auditKeyFrom(config.secret) },
        { kind: 'system' },
        auditContext,
        {
          councilId: council.id,
          current,
          previous,
          validOnly: options.validOnly,
          onProgress: (p) => bar.update(p),
        },
      ).finally(() => bar.stop());
      // The import is listed on the page like an upload, with its errors for the report.
      await database.db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto('ssda903_imports')
          .values({
            council_id: council.id,
            requested_by: null,
            requested_at: now,
            origin: 'command',
            collection_year: result.collectionYear,
            valid_only: options.validOnly,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await saveResult(trx, row.id, result, new Date());
      });
      if (options.json) {
        io.out(
          JSON.stringify({
            status: result.status,
            refusal: result.refusal,
            collectionYear: result.collectionYear,
            created: result.created,
            updated: result.updated,
            unchanged: result.unchanged,
            notOnAdoptionJourney: result.notOnAdoptionJourney,
            skipped: result.skipped,
            factsAdded: result.factsAdded,
            problems: result.problems,
            errors: result.errors,
          }),
        );
      } else {
        for (const line of describeImport(result, council.name)) io.out(line);
      }
      return result.status === 'imported' ? 0 : 1;
    } finally {
      await database.close();
    }
  },
};

const generateUsage = 'ssda903 generate DIR [--children N] [--seed S]';

export const generateSsda903Command: Command = {
  name: ['ssda903', 'generate'],
  usage: generateUsage,
  summary:
    'Write a synthetic SSDA903 return (default 80,000 children) as CSV tables, for trying imports at scale.',
  async run(args, _config, io) {
    let dir: string | undefined;
    let children = 80_000;
    let seed = defaultGeneratorSeed;
    for (let i = 0; i < args.length; i += 1) {
      const arg = args[i]!;
      const whole = (value: string | undefined) => {
        if (!value || !/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 1_000_000)
          throw new AppError(
            'bad-request',
            `${arg} needs a whole number from 1 to 1,000,000: kindred ${generateUsage}`,
          );
        return Number(value);
      };
      if (arg === '--children') children = whole(args[++i]);
      else if (arg === '--seed') seed = whole(args[++i]);
      else if (arg.startsWith('--'))
        throw new AppError('bad-request', `Unknown option ${arg}: kindred ${generateUsage}`);
      else dir = arg;
    }
    if (!dir) throw new AppError('bad-request', `Say which folder to write: kindred ${generateUsage}`);
    const made = generateReturn(dir, { children, seed });
    io.out(
      `Wrote a synthetic SSDA903 return to ${dir}: ${made.children.toLocaleString('en-GB')} children, ${made.episodes.toLocaleString('en-GB')} episodes, ${made.decisions.toLocaleString('en-GB')} should-be-placed decisions, ${made.adopted.toLocaleString('en-GB')} adopted.`,
    );
    return 0;
  },
};
