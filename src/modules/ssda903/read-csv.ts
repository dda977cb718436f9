// Reads one CSV table of an SSDA903 return (issue 9 §1). Councils' case systems name and order
// their files and columns freely, so the table is recognised by its header alone, and each row
// keeps every column of `tableColumns` ('' when the file lacks it). The text is streamed through
// a strict UTF-8 decoder into csv-parse, so a large file is never held twice in memory and a
// wrongly encoded file is named rather than silently garbled.
import { parse } from 'csv-parse';
import { tableColumns, tableNames, type ReadProblem, type Ssda903Row, type TableName } from './return.js';

/** Columns that several tables share, so they cannot tell tables apart. */
const sharedColumns = new Set(['CHILD', 'DOB', 'SEX']);

/** Header names as the reader compares them: trimmed, upper case, without a stray BOM. */
export function normaliseColumnName(name: string): string {
  return name
    .replace(/^\uFEFF/, '')
    .trim()
    .toUpperCase();
}

/**
 * The table a header belongs to: the one sharing the most of its own distinctive columns with
 * the header (ties broken by the share of the table's columns present), or null when the header
 * has none of any table's distinctive columns (e.g. the DoLo table, which Kindred does not read).
 */
export function identifyTable(header: readonly string[]): TableName | null {
  const names = new Set(header.map(normaliseColumnName));
  let best: { table: TableName; distinctive: number; share: number } | null = null;
  for (const table of tableNames) {
    const columns = tableColumns[table];
    const distinctive = columns.filter((c) => !sharedColumns.has(c) && names.has(c)).length;
    if (distinctive === 0) continue;
    const share = columns.filter((c) => names.has(c)).length / columns.length;
    if (!best || distinctive > best.distinctive || (distinctive === best.distinctive && share > best.share)) {
      best = { table, distinctive, share };
    }
  }
  return best?.table ?? null;
}

export interface CsvTableResult {
  table: TableName | null;
  missingColumns: string[];
  rows: Ssda903Row[];
  problems: ReadProblem[];
}

/** Chunks of a file, so a Buffer and a file stream are read by the same code. */
export type ByteSource = AsyncIterable<Buffer | Uint8Array>;

/** The encoding a byte-order mark announces, when it is not UTF-8. */
export function foreignBom(first: Uint8Array): string | null {
  if (first.length >= 4 && first[0] === 0xff && first[1] === 0xfe && first[2] === 0 && first[3] === 0)
    return 'UTF-32';
  if (first.length >= 2 && first[0] === 0xff && first[1] === 0xfe) return 'UTF-16';
  if (first.length >= 2 && first[0] === 0xfe && first[1] === 0xff) return 'UTF-16';
  return null;
}

export function utf16Problem(source: string, encoding: string): ReadProblem {
  return {
    code: 'not-utf8',
    source,
    message: `${source} is saved as ${encoding}; save it as UTF-8 (CSV UTF-8 in Excel) and try again.`,
    fatal: true,
  };
}

export function notUtf8Problem(source: string): ReadProblem {
  return {
    code: 'not-utf8',
    source,
    message: `${source} is not UTF-8 text; save it as UTF-8 (CSV UTF-8 in Excel) and try again.`,
    fatal: true,
  };
}

/**
 * Parses one CSV file. Never throws for bad content: encoding and syntax faults come back as
 * fatal problems naming the file, an unrecognised header as a non-fatal 'unknown-table'.
 */
export async function readCsvTable(source: string, bytes: ByteSource): Promise<CsvTableResult> {
  const problems: ReadProblem[] = [];
  // fatal: true makes malformed UTF-8 an error instead of U+FFFD; the decoder drops a UTF-8 BOM.
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const parser = parse({ relax_column_count: true, skip_empty_lines: true });

  // `as` keeps TypeScript from narrowing these: the parser's callbacks assign them.
  let table = null as TableName | null;
  let unknown = false as boolean;
  let positions: Array<[string, number]> = [];
  let missingColumns: string[] = [];
  const rows: Ssda903Row[] = [];

  const onRecord = (record: string[]): void => {
    if (unknown) return;
    if (table === null) {
      table = identifyTable(record);
      if (table === null) {
        unknown = true;
        return;
      }
      const header = record.map(normaliseColumnName);
      positions = tableColumns[table].map((column) => [column, header.indexOf(column)]);
      missingColumns = positions.filter(([, index]) => index < 0).map(([column]) => column);
      return;
    }
    const row: Record<string, string> = {};
    for (const [column, index] of positions) row[column] = index >= 0 ? (record[index] ?? '') : '';
    rows.push(row);
  };

  let parseError = null as Error | null;
  parser.on('readable', () => {
    let record: unknown;
    while ((record = parser.read()) !== null) onRecord(record as string[]);
  });
  const finished = new Promise<void>((resolve) => {
    parser.on('end', () => resolve());
    parser.on('error', (error: Error) => {
      parseError = error;
      resolve();
    });
  });

  let first = true;
  try {
    for await (const chunk of bytes) {
      if (first) {
        first = false;
        const bom = foreignBom(chunk);
        if (bom) {
          parser.destroy();
          return { table: null, missingColumns: [], rows: [], problems: [utf16Problem(source, bom)] };
        }
      }
      if (parseError || unknown) break;
      const text = decoder.decode(chunk, { stream: true });
      if (text && !parser.write(text)) {
        await new Promise<void>((resolve) => {
          const done = (): void => {
            parser.off('drain', done);
            parser.off('error', done);
            parser.off('end', done);
            resolve();
          };
          parser.on('drain', done);
          parser.on('error', done);
          parser.on('end', done);
        });
      }
    }
    if (!parseError && !unknown) {
      const rest = decoder.decode();
      if (rest) parser.write(rest);
    }
  } catch (error) {
    parser.destroy();
    if (error instanceof TypeError)
      return { table: null, missingColumns: [], rows: [], problems: [notUtf8Problem(source)] };
    throw error;
  }
  if (unknown) {
    parser.destroy();
  } else {
    parser.end();
    await finished;
  }

  if (parseError !== null) {
    const message = parseError.message.replace(/^Invalid Record Length: /, '');
    problems.push({
      code: 'csv-malformed',
      source,
      message: `${source} is not a well-formed CSV file (${message}).`,
      fatal: true,
    });
    return { table: null, missingColumns: [], rows: [], problems };
  }
  if (unknown) {
    problems.push({
      code: 'unknown-table',
      source,
      message: `${source} was ignored: its columns do not match any SSDA903 table Kindred reads.`,
      fatal: false,
    });
    return { table: null, missingColumns: [], rows: [], problems };
  }
  if (table === null) {
    problems.push({
      code: 'empty-file',
      source,
      message: `${source} was ignored: it is empty (no header row).`,
      fatal: false,
    });
    return { table: null, missingColumns: [], rows: [], problems };
  }
  return { table, missingColumns, rows, problems };
}
