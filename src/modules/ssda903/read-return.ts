// Reads a whole SSDA903 return (issue 9 §1): a folder of CSV tables, one XML file, or a folder
// holding one XML file, from disk (`kindred import ssda903`, `kindred ssda903 validate`) or from
// an upload (`readReturnFromFiles`). Both paths share one implementation so the UI and the CLI
// accept and refuse exactly the same returns. Bad input never throws: it comes back as
// `problems`, and any fatal problem means the return must not be imported.
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { readCsvTable, type ByteSource } from './read-csv.js';
import { readXmlReturn } from './read-xml.js';
import type { ReadProblem, Ssda903Return, Ssda903Table, TableName } from './return.js';

/**
 * Largest single file Kindred reads, in bytes. A national council's Episodes table is about
 * 30 MB, so 100 MB leaves ample room while keeping a hostile upload from exhausting memory
 * (the parsed rows of a 100 MB file take roughly 0.5–1 GB).
 */
export const DEFAULT_MAX_FILE_BYTES = 100 * 1024 * 1024;

export interface ReadReturnOptions {
  /** Refuse (fatal 'too-large') any single file bigger than this; default DEFAULT_MAX_FILE_BYTES. */
  maxBytes?: number;
}

interface Source {
  name: string;
  size: number;
  xml: boolean;
  chunks(): ByteSource;
}

const chunkSize = 64 * 1024;

async function* bufferChunks(content: Buffer): AsyncGenerator<Buffer> {
  for (let at = 0; at < content.length; at += chunkSize) yield content.subarray(at, at + chunkSize);
}

function looksLikeXml(content: Buffer): boolean {
  const head = content
    .subarray(0, 64)
    .toString('latin1')
    .replace(/^\uFEFF|^ï»¿/, '')
    .trimStart();
  return head.startsWith('<');
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}

async function readSources(sources: Source[], options: ReadReturnOptions): Promise<Ssda903Return> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_FILE_BYTES;
  const problems: ReadProblem[] = [];
  const tables: Partial<Record<TableName, Ssda903Table>> = {};
  const sorted = [...sources].sort((a, b) => a.name.localeCompare(b.name));

  const usable = sorted.filter((source) => {
    if (source.size <= maxBytes) return true;
    problems.push({
      code: 'too-large',
      source: source.name,
      message: `${source.name} was refused: it is ${megabytes(source.size)}, more than the ${megabytes(maxBytes)} Kindred reads from one file.`,
      fatal: true,
    });
    return false;
  });
  if (sorted.length === 0) {
    problems.push({ code: 'no-tables', message: 'There are no CSV or XML files to read.', fatal: true });
    return { tables, problems };
  }

  const xml = usable.filter((s) => s.xml);
  const csv = usable.filter((s) => !s.xml);
  if (xml.length > 0 && csv.length > 0) {
    problems.push({
      code: 'mixed-formats',
      message: `The files mix an XML return (${xml.map((s) => s.name).join(', ')}) with CSV tables; send one or the other.`,
      fatal: true,
    });
    return { tables, problems };
  }
  if (xml.length > 1) {
    problems.push({
      code: 'several-xml',
      message: `There are ${xml.length} XML returns (${xml.map((s) => s.name).join(', ')}); send one at a time.`,
      fatal: true,
    });
    return { tables, problems };
  }

  const only = xml[0];
  if (only) {
    const result = await readXmlReturn(only.name, only.chunks());
    problems.push(...result.problems);
    for (const [name, rows] of Object.entries(result.tables) as Array<[TableName, Ssda903Table['rows']]>) {
      tables[name] = { name, source: only.name, missingColumns: [], rows };
    }
  } else {
    for (const source of csv) {
      const result = await readCsvTable(source.name, source.chunks());
      problems.push(...result.problems);
      if (result.table === null) continue;
      const already = tables[result.table];
      if (already) {
        problems.push({
          code: 'duplicate-table',
          source: source.name,
          message: `${already.source} and ${source.name} are both the ${result.table} table; keep only one.`,
          fatal: true,
        });
        continue;
      }
      tables[result.table] = {
        name: result.table,
        source: source.name,
        missingColumns: result.missingColumns,
        rows: result.rows,
      };
    }
  }

  if (Object.keys(tables).length === 0 && !problems.some((p) => p.fatal)) {
    problems.push({ code: 'no-tables', message: 'None of the files is an SSDA903 table.', fatal: true });
  }
  return { tables, problems };
}

/**
 * Reads a return from disk: `target` is a folder of CSV tables, a folder holding one XML file,
 * or a single .xml or .csv file. In a folder only *.csv and *.xml files are considered (a
 * LICENSE or README beside them is ignored); sub-folders are not read.
 */
export async function readReturn(target: string, options: ReadReturnOptions = {}): Promise<Ssda903Return> {
  let info;
  try {
    info = await stat(target);
  } catch {
    return {
      tables: {},
      problems: [{ code: 'not-found', source: target, message: `${target} does not exist.`, fatal: true }],
    };
  }
  const files: string[] = [];
  if (info.isDirectory()) {
    const entries = await readdir(target, { withFileTypes: true });
    for (const entry of entries) {
      if (entry.isFile() && /\.(csv|xml)$/i.test(entry.name)) files.push(path.join(target, entry.name));
    }
  } else {
    files.push(target);
  }
  const sources: Source[] = [];
  for (const file of files) {
    const size = (await stat(file)).size;
    sources.push({
      name: path.basename(file),
      size,
      xml: /\.xml$/i.test(file),
      chunks: () => createReadStream(file, { highWaterMark: chunkSize }),
    });
  }
  return readSources(sources, options);
}

/**
 * Reads a return from uploaded files (the UI). A file is XML when its name ends in .xml or its
 * content starts with '<'; anything else is read as a CSV table.
 */
export async function readReturnFromFiles(
  files: ReadonlyArray<{ name: string; content: Buffer }>,
  options: ReadReturnOptions = {},
): Promise<Ssda903Return> {
  return readSources(
    files.map((file) => ({
      name: path.basename(file.name),
      size: file.content.length,
      xml: /\.xml$/i.test(file.name) || looksLikeXml(file.content),
      chunks: () => bufferChunks(file.content),
    })),
    options,
  );
}

/** True when the return cannot be used at all (a fatal read problem). */
export function hasFatalProblem(ret: Ssda903Return): boolean {
  return ret.problems.some((p) => p.fatal);
}
