// Reads the XML form of the SSDA903 return (shared/ssda903/schemas/CLA-2021.xsd) into the same
// tables as the CSV form (issue 9 §1). saxes streams the file and never expands entities; any
// DOCTYPE is refused outright, because every XXE and "billion laughs" payload needs one
// (security.md: untrusted uploads must not reach the file system or exhaust memory).
import { SaxesParser } from 'saxes';
import { foreignBom, notUtf8Problem, utf16Problem, type ByteSource } from './read-csv.js';
import { tableColumns, type ReadProblem, type Ssda903Row, type TableName } from './return.js';

/** The tables an XML return always has (possibly empty); social-worker episodes are CSV only. */
export const xmlTables = [
  'Header',
  'Episodes',
  'AD1',
  'PlacedAdoption',
  'PrevPerm',
  'Reviews',
  'UASC',
  'OC2',
  'OC3',
  'Missing',
] as const satisfies readonly TableName[];
type XmlTable = (typeof xmlTables)[number];

export interface XmlReturnResult {
  tables: Partial<Record<TableName, Ssda903Row[]>>;
  problems: ReadProblem[];
}

/** Elements whose children are one record of a table. */
const groupTables: Record<string, XmlTable> = {
  EPISODE: 'Episodes',
  AREVIEW: 'Reviews',
  AMISSING: 'Missing',
  AD_PLACED: 'PlacedAdoption',
  PERMANENCE: 'PrevPerm',
  OC2: 'OC2',
};

/** XML element names that differ from the CSV column names. */
const renamed: Record<string, string> = { CHILDID: 'CHILD', PL: 'PLACE' };

const ad1Fields = ['DATE_INT', 'DATE_MATCH', 'FOSTER_CARE', 'NB_ADOPTR', 'SEX_ADOPTR', 'LS_ADOPTR'];
const oc3Fields = ['IN_TOUCH', 'ACTIV', 'ACCOM'];

/** The encoding named in the XML declaration, read from the first bytes. */
function declaredEncoding(first: Uint8Array): string | null {
  const head = Buffer.from(first.subarray(0, 200)).toString('latin1');
  const match = /^<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head);
  return match?.[1]?.toLowerCase() ?? null;
}

function decoderFor(encoding: string | null): TextDecoder | null {
  if (encoding === null || ['utf-8', 'utf8', 'us-ascii', 'ascii'].includes(encoding))
    return new TextDecoder('utf-8', { fatal: true });
  if (['iso-8859-1', 'latin1', 'latin-1', 'windows-1252', 'cp1252'].includes(encoding))
    return new TextDecoder('windows-1252');
  return null;
}

function row(table: TableName, values: Record<string, string>): Ssda903Row {
  const out: Record<string, string> = {};
  for (const column of tableColumns[table]) out[column] = values[column] ?? '';
  return out;
}

/** Parses one XML return. Never throws for bad content: faults come back as fatal problems. */
export async function readXmlReturn(source: string, bytes: ByteSource): Promise<XmlReturnResult> {
  const tables: Record<XmlTable, Ssda903Row[]> = {
    Header: [],
    Episodes: [],
    AD1: [],
    PlacedAdoption: [],
    PrevPerm: [],
    Reviews: [],
    UASC: [],
    OC2: [],
    OC3: [],
    Missing: [],
  };
  const problems: ReadProblem[] = [];
  const fail = (code: string, message: string): void => {
    if (!problems.some((p) => p.fatal)) problems.push({ code, source, message, fatal: true });
  };

  const parser = new SaxesParser({ xmlns: false, position: true });
  const stack: string[] = [];
  let text = '';
  // The CHILD being read: its HEADER's own fields, and the group records seen so far.
  let header: Record<string, string> = {};
  let groups: Array<{ table: XmlTable; values: Record<string, string> }> = [];
  let group: { table: XmlTable; values: Record<string, string> } | null = null;

  parser.on('doctype', () => {
    fail(
      'xml-doctype',
      `${source} was refused: it contains a DOCTYPE. SSDA903 returns never need one, and it can hide entity attacks.`,
    );
  });
  parser.on('error', (error) => {
    if (/entity/i.test(error.message)) {
      fail(
        'xml-entity',
        `${source} was refused: it refers to an entity Kindred does not expand (${error.message}).`,
      );
    } else {
      fail('xml-malformed', `${source} is not well-formed XML (${error.message}).`);
    }
  });
  parser.on('opentag', (tag) => {
    const name = tag.name;
    if (stack.length === 0 && name !== 'EXPSSDA903') {
      fail(
        'xml-not-903',
        `${source} is not an SSDA903 return: its root element is <${name}>, not <EXPSSDA903>.`,
      );
    }
    const parent = stack[stack.length - 1];
    if (name === 'CHILD' && parent === 'EXPSSDA903') {
      header = {};
      groups = [];
    } else if (groupTables[name] && (parent === 'HEADER' || (name === 'EPISODE' && parent === 'CHILD'))) {
      group = { table: groupTables[name], values: {} };
    }
    stack.push(name);
    text = '';
  });
  parser.on('text', (t) => {
    text += t;
  });
  parser.on('cdata', (t) => {
    text += t;
  });
  parser.on('closetag', (tag) => {
    const name = tag.name;
    stack.pop();
    const parent = stack[stack.length - 1];
    const column = renamed[name] ?? name;
    if (group && name in groupTables && (parent === 'HEADER' || parent === 'CHILD')) {
      groups.push(group);
      group = null;
    } else if (group && parent !== undefined && parent in groupTables) {
      group.values[column] = text;
    } else if (parent === 'HEADER') {
      header[column] = text;
    } else if (name === 'CHILD' && parent === 'EXPSSDA903') {
      emitChild();
    }
    text = '';
  });

  const emitChild = (): void => {
    const perChild = { CHILD: header.CHILD ?? '', DOB: header.DOB ?? '', SEX: header.SEX ?? '' };
    tables.Header.push(row('Header', header));
    if (ad1Fields.some((f) => f in header)) tables.AD1.push(row('AD1', { ...header, ...perChild }));
    if (oc3Fields.some((f) => f in header)) tables.OC3.push(row('OC3', { ...header, ...perChild }));
    if ('DUC' in header) tables.UASC.push(row('UASC', { ...header, ...perChild }));
    for (const g of groups) tables[g.table].push(row(g.table, { ...g.values, ...perChild }));
  };

  let first = true;
  let decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of bytes) {
      if (first) {
        first = false;
        const bom = foreignBom(chunk);
        if (bom) return { tables: {}, problems: [utf16Problem(source, bom)] };
        const encoding = declaredEncoding(chunk);
        const chosen = decoderFor(encoding);
        if (!chosen) {
          return {
            tables: {},
            problems: [
              {
                code: 'not-utf8',
                source,
                message: `${source} declares the encoding ${encoding ?? ''}; Kindred reads XML returns in UTF-8 only.`,
                fatal: true,
              },
            ],
          };
        }
        decoder = chosen;
      }
      if (problems.length > 0) break;
      const piece = decoder.decode(chunk, { stream: true });
      if (piece) parser.write(piece);
    }
    if (problems.length === 0) {
      if (first) {
        fail('xml-malformed', `${source} is empty.`);
      } else {
        const rest = decoder.decode();
        if (rest) parser.write(rest);
        parser.close();
      }
    }
  } catch (error) {
    if (error instanceof TypeError) return { tables: {}, problems: [notUtf8Problem(source)] };
    throw error;
  }
  if (problems.length > 0) return { tables: {}, problems };
  return { tables, problems };
}
