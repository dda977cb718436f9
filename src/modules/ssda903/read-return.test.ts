// The SSDA903 readers (issue 9 §1 and "Bad input"): property tests that any table or XML return
// Kindred could be sent reads back exactly, and that hostile or broken files give a clear
// problem rather than an exception, an expanded entity or an exhausted heap.
import { mkdtemp, open, rm, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_FILE_BYTES, hasFatalProblem, readReturn, readReturnFromFiles } from './read-return.js';
import { tableColumns, tableNames, type Ssda903Row, type TableName } from './return.js';
import { MISSING_COLUMN, validateReturn } from './validate.js';

const fakeData = new URL('../../../tests/fixtures/ssda903/fake-data/', import.meta.url);
const fakeErrors = new URL('../../../tests/fixtures/ssda903/fake-data-errors/', import.meta.url);
const fakeXml = new URL('../../../tests/fixtures/ssda903/fake-data-xml/fake_903.xml', import.meta.url);

function csvFile(name: string, text: string): { name: string; content: Buffer } {
  return { name, content: Buffer.from(text, 'utf8') };
}

const tableArb = fc.constantFrom(...tableNames);

describe('CSV reader: property tests', () => {
  it('reads back any table written by csv-stringify, whatever the column order, BOM, line ending or header case', async () => {
    await fc.assert(
      fc.asyncProperty(
        tableArb.chain((table) =>
          fc.record({
            table: fc.constant(table),
            rows: fc.array(
              fc.tuple(...tableColumns[table].map(() => fc.string({ unit: 'binary', maxLength: 12 }))),
              { maxLength: 8 },
            ),
            order: fc.shuffledSubarray([...tableColumns[table]], {
              minLength: tableColumns[table].length,
            }),
            bom: fc.boolean(),
            crlf: fc.boolean(),
            lowerCaseHeader: fc.boolean(),
            padHeader: fc.boolean(),
          }),
        ),
        async ({ table, rows, order, bom, crlf, lowerCaseHeader, padHeader }) => {
          const columns = tableColumns[table];
          const expected: Ssda903Row[] = rows.map((values) =>
            Object.fromEntries(columns.map((column, i) => [column, values[i] ?? ''])),
          );
          const header = order
            .map((c) => (padHeader ? ` ${c} ` : c))
            .map((c) => (lowerCaseHeader ? c.toLowerCase() : c));
          const text = stringify([header, ...expected.map((row) => order.map((c) => row[c] ?? ''))], {
            record_delimiter: crlf ? '\r\n' : '\n',
          });
          const result = await readReturnFromFiles([csvFile('upload.csv', `${bom ? '\uFEFF' : ''}${text}`)]);
          expect(result.problems).toEqual([]);
          expect(result.tables[table]?.rows).toEqual(expected);
          expect(result.tables[table]?.missingColumns).toEqual([]);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('never throws on random bytes: it answers with problems or tables', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), fc.boolean(), async (bytes, asXml) => {
        const result = await readReturnFromFiles([
          { name: asXml ? 'random.xml' : 'random.csv', content: Buffer.from(bytes) },
        ]);
        expect(Array.isArray(result.problems)).toBe(true);
        expect(result.problems.length + Object.keys(result.tables).length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });
});

/** Text XML can carry: no control characters (XML 1.0 forbids most, and normalises CR). */
const xmlText = fc
  .string({ unit: 'grapheme', maxLength: 10 })
  .map((s) => s.replace(/\p{Cc}|[\ufffe\uffff]/gu, ''));

function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function element(name: string, value: string): string {
  return value === '' ? `<${name} />` : `<${name}>${escapeXml(value)}</${name}>`;
}

interface XmlChild {
  header: Record<string, string>;
  ad1: Record<string, string> | null;
  oc3: Record<string, string> | null;
  duc: string | null;
  reviews: Array<Record<string, string>>;
  placed: Array<Record<string, string>>;
  episodes: Array<Record<string, string>>;
}

function fieldsArb(columns: readonly string[]): fc.Arbitrary<Record<string, string>> {
  return fc
    .tuple(...columns.map(() => xmlText))
    .map((values) => Object.fromEntries(columns.map((c, i) => [c, values[i] ?? ''])));
}

const childArb: fc.Arbitrary<XmlChild> = fc.record({
  header: fieldsArb(['CHILD', 'UPN', 'SEX', 'DOB', 'ETHNIC', 'MOTHER', 'MC_DOB']),
  ad1: fc.option(
    fieldsArb(['DATE_INT', 'DATE_MATCH', 'FOSTER_CARE', 'NB_ADOPTR', 'SEX_ADOPTR', 'LS_ADOPTR']),
    {
      nil: null,
    },
  ),
  oc3: fc.option(fieldsArb(['IN_TOUCH', 'ACTIV', 'ACCOM']), { nil: null }),
  duc: fc.option(xmlText, { nil: null }),
  reviews: fc.array(fieldsArb(['REVIEW', 'REVIEW_CODE']), { maxLength: 3 }),
  placed: fc.array(fieldsArb(['DATE_PLACED', 'DATE_PLACED_CEASED', 'REASON_PLACED_CEASED']), {
    maxLength: 2,
  }),
  episodes: fc.array(fieldsArb(tableColumns.Episodes.filter((c) => c !== 'CHILD')), { maxLength: 3 }),
});

function childXml(child: XmlChild): string {
  const h = child.header;
  const parts = [
    element('CHILDID', h.CHILD ?? ''),
    element('UPN', h.UPN ?? ''),
    element('SEX', h.SEX ?? ''),
    element('DOB', h.DOB ?? ''),
    element('ETHNIC', h.ETHNIC ?? ''),
    '<UASC />',
    child.duc === null ? '' : element('DUC', child.duc),
    ...Object.entries(child.ad1 ?? {}).map(([k, v]) => element(k, v)),
    ...Object.entries(child.oc3 ?? {}).map(([k, v]) => element(k, v)),
    ...child.reviews.map(
      (r) =>
        `<AREVIEW>${element('REVIEW', r.REVIEW ?? '')}${element('REVIEW_CODE', r.REVIEW_CODE ?? '')}</AREVIEW>`,
    ),
    element('MOTHER', h.MOTHER ?? ''),
    element('MC_DOB', h.MC_DOB ?? ''),
    ...child.placed.map(
      (p) =>
        `<AD_PLACED>${Object.entries(p)
          .map(([k, v]) => element(k, v))
          .join('')}</AD_PLACED>`,
    ),
  ];
  const episodes = child.episodes.map(
    (e) =>
      `<EPISODE>${Object.entries(e)
        .map(([k, v]) => element(k === 'PLACE' ? 'PL' : k, v))
        .join('')}</EPISODE>`,
  );
  return `<CHILD><HEADER>${parts.join('')}</HEADER>${episodes.join('')}</CHILD>`;
}

function expectedTables(children: XmlChild[]): Partial<Record<TableName, Ssda903Row[]>> {
  const out: Partial<Record<TableName, Ssda903Row[]>> = {};
  const push = (table: TableName, values: Record<string, string>): void => {
    const row = Object.fromEntries(tableColumns[table].map((c) => [c, values[c] ?? '']));
    (out[table] ??= []).push(row);
  };
  for (const child of children) {
    const ids = { CHILD: child.header.CHILD ?? '', DOB: child.header.DOB ?? '', SEX: child.header.SEX ?? '' };
    push('Header', child.header);
    if (child.ad1) push('AD1', { ...child.ad1, ...ids });
    if (child.oc3) push('OC3', { ...child.oc3, ...ids });
    if (child.duc !== null) push('UASC', { DUC: child.duc, ...ids });
    for (const r of child.reviews) push('Reviews', { ...r, ...ids });
    for (const p of child.placed) push('PlacedAdoption', { ...p, ...ids });
    for (const e of child.episodes) push('Episodes', { ...e, ...ids });
  }
  return out;
}

describe('XML reader', () => {
  it('reads back any return built from random children into the same rows as the CSV form', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(childArb, { maxLength: 5 }), fc.boolean(), async (children, declaration) => {
        const xml = `${declaration ? '<?xml version="1.0" encoding="UTF-8"?>\n' : ''}<EXPSSDA903>${children.map(childXml).join('\n')}</EXPSSDA903>`;
        const result = await readReturnFromFiles([csvFile('return.xml', xml)]);
        expect(result.problems).toEqual([]);
        const expected = expectedTables(children);
        for (const table of [
          'Header',
          'Episodes',
          'AD1',
          'OC3',
          'UASC',
          'Reviews',
          'PlacedAdoption',
        ] as const) {
          expect(result.tables[table]?.rows ?? [], table).toEqual(expected[table] ?? []);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('reads the fake XML return: PL becomes PLACE, CHILDID becomes CHILD, DOB is copied', async () => {
    const result = await readReturn(fakeXml.pathname);
    expect(result.problems).toEqual([]);
    expect(result.tables.Header?.rows).toHaveLength(253);
    expect(result.tables.Episodes?.rows).toHaveLength(459);
    expect(result.tables.Episodes?.rows[0]).toMatchObject({
      CHILD: '907440',
      PLACE: 'R5',
      DECOM: '06/01/2017',
    });
    expect(result.tables.Reviews?.rows[0]).toEqual({
      CHILD: '907440',
      DOB: '28/07/2010',
      REVIEW: '27/09/2015',
      REVIEW_CODE: 'PN0',
    });
    expect(result.tables.AD1?.rows).toHaveLength(3);
    expect(result.tables.PlacedAdoption?.rows).toHaveLength(3);
    expect(result.tables.UASC?.rows).toHaveLength(12);
    expect(result.tables.SWEpisodes).toBeUndefined();
  });

  it('refuses an external entity (XXE) without reading the file it names', async () => {
    const xml = `<?xml version="1.0"?>\n<!DOCTYPE EXPSSDA903 [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<EXPSSDA903><CHILD><HEADER><CHILDID>&xxe;</CHILDID></HEADER></CHILD></EXPSSDA903>`;
    const result = await readReturnFromFiles([csvFile('xxe.xml', xml)]);
    expect(result.problems).toEqual([
      expect.objectContaining({ code: 'xml-doctype', source: 'xxe.xml', fatal: true }),
    ]);
    expect(result.tables).toEqual({});
    expect(JSON.stringify(result)).not.toContain('root:');
  });

  it('refuses a billion-laughs payload at once, expanding nothing', async () => {
    const entities = ['<!ENTITY lol0 "lol">'];
    for (let i = 1; i < 10; i += 1) entities.push(`<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`);
    const xml = `<?xml version="1.0"?><!DOCTYPE EXPSSDA903 [${entities.join('')}]><EXPSSDA903><CHILD><HEADER><CHILDID>&lol9;</CHILDID></HEADER></CHILD></EXPSSDA903>`;
    const started = Date.now();
    const result = await readReturnFromFiles([csvFile('laughs.xml', xml)]);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(hasFatalProblem(result)).toBe(true);
    expect(result.problems[0]).toMatchObject({ code: 'xml-doctype', source: 'laughs.xml' });
    expect(JSON.stringify(result).length).toBeLessThan(2000);
  });

  it('refuses an entity reference even without a DOCTYPE', async () => {
    const xml = '<EXPSSDA903><CHILD><HEADER><CHILDID>&xxe;</CHILDID></HEADER></CHILD></EXPSSDA903>';
    const result = await readReturnFromFiles([csvFile('entity.xml', xml)]);
    expect(result.problems[0]).toMatchObject({ code: 'xml-entity', fatal: true });
  });

  it('names malformed XML, a foreign root element and a UTF-16 return', async () => {
    const broken = await readReturnFromFiles([csvFile('broken.xml', '<EXPSSDA903><CHILD></EXPSSDA903>')]);
    expect(broken.problems[0]).toMatchObject({ code: 'xml-malformed', source: 'broken.xml', fatal: true });
    const foreign = await readReturnFromFiles([csvFile('other.xml', '<html><body /></html>')]);
    expect(foreign.problems[0]).toMatchObject({ code: 'xml-not-903', fatal: true });
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<EXPSSDA903 />', 'utf16le')]);
    const wide = await readReturnFromFiles([{ name: 'wide.xml', content: utf16 }]);
    expect(wide.problems[0]).toMatchObject({ code: 'not-utf8', fatal: true });
    expect(wide.problems[0]?.message).toContain('UTF-16');
  });
});

describe('reading a folder of CSV tables', () => {
  it('recognises the fake return’s tables by their columns and ignores DoLo.csv with a note', async () => {
    const result = await readReturn(fakeData.pathname);
    expect(result.problems).toEqual([
      expect.objectContaining({ code: 'unknown-table', source: 'DoLo.csv', fatal: false }),
    ]);
    expect(Object.keys(result.tables).sort()).toEqual([...tableNames].sort());
    expect(result.tables.Episodes?.rows).toHaveLength(5050);
    expect(result.tables.Episodes?.source).toBe('episodes.csv');
    // sw_episodes.csv is saved with a BOM and CRLF line endings.
    expect(result.tables.SWEpisodes?.rows[0]).toMatchObject({
      CHILD: 'CHILD10',
      SW_ID: 'SW999',
      SW_REASON: 'SWLAZY',
    });
  });

  describe('on disk', () => {
    let dir = '';
    beforeAll(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'kindred-ssda903-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('refuses two files of the same table, naming both', async () => {
      const both = path.join(dir, 'both');
      await rm(both, { recursive: true, force: true });
      await (await import('node:fs/promises')).mkdir(both);
      await copyFile(
        new URL('placed_for_adoption.csv', fakeData),
        path.join(both, 'placed_for_adoption.csv'),
      );
      await copyFile(
        new URL('placed_for_adoption_errors.csv', fakeErrors),
        path.join(both, 'placed_for_adoption_errors.csv'),
      );
      const result = await readReturn(both);
      expect(result.problems).toEqual([expect.objectContaining({ code: 'duplicate-table', fatal: true })]);
      expect(result.problems[0]?.message).toContain('placed_for_adoption.csv');
      expect(result.problems[0]?.message).toContain('placed_for_adoption_errors.csv');
    });

    it('refuses a 200 MB file without reading it', async () => {
      const big = path.join(dir, 'big');
      await (await import('node:fs/promises')).mkdir(big, { recursive: true });
      const handle = await open(path.join(big, 'episodes.csv'), 'w');
      await handle.truncate(200 * 1024 * 1024); // sparse: no 200 MB is written or read
      await handle.close();
      expect(DEFAULT_MAX_FILE_BYTES).toBeLessThan(200 * 1024 * 1024);
      const before = process.memoryUsage().rss;
      const result = await readReturn(big);
      expect(process.memoryUsage().rss - before).toBeLessThan(50 * 1024 * 1024);
      expect(result.problems[0]).toMatchObject({ code: 'too-large', source: 'episodes.csv', fatal: true });
      expect(result.problems[0]?.message).toContain('200 MB');
    });

    it('answers a missing folder and an empty one with a problem', async () => {
      expect((await readReturn(path.join(dir, 'nowhere'))).problems[0]).toMatchObject({
        code: 'not-found',
        fatal: true,
      });
      const empty = path.join(dir, 'empty');
      await (await import('node:fs/promises')).mkdir(empty, { recursive: true });
      await writeFile(path.join(empty, 'README.txt'), 'not a table');
      expect((await readReturn(empty)).problems[0]).toMatchObject({ code: 'no-tables', fatal: true });
    });
  });
});

describe('bad CSV input', () => {
  const header = 'CHILD,DOB,DATE_INT,DATE_MATCH,FOSTER_CARE,NB_ADOPTR,SEX_ADOPTR,LS_ADOPTR\n';

  it('names a file that is not UTF-8', async () => {
    const latin1 = Buffer.from(`${header}1,01/01/2015,01/01/2016,01/02/2016,1,1,M1,L0 Zoë\n`, 'latin1');
    const result = await readReturnFromFiles([{ name: 'ad1.csv', content: latin1 }]);
    expect(result.problems).toEqual([
      expect.objectContaining({ code: 'not-utf8', source: 'ad1.csv', fatal: true }),
    ]);
  });

  it('names a UTF-16 file and says what to do', async () => {
    const content = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(header, 'utf16le')]);
    const result = await readReturnFromFiles([{ name: 'ad1.csv', content }]);
    expect(result.problems[0]).toMatchObject({ code: 'not-utf8', source: 'ad1.csv', fatal: true });
    expect(result.problems[0]?.message).toMatch(/UTF-16.*UTF-8/);
  });

  it('refuses a file over the configured limit', async () => {
    const result = await readReturnFromFiles([csvFile('ad1.csv', header.repeat(100))], { maxBytes: 1000 });
    expect(result.problems[0]).toMatchObject({ code: 'too-large', source: 'ad1.csv', fatal: true });
  });

  it('names a malformed CSV file', async () => {
    const result = await readReturnFromFiles([csvFile('ad1.csv', `${header}1,"unclosed\n`)]);
    expect(result.problems[0]).toMatchObject({ code: 'csv-malformed', source: 'ad1.csv', fatal: true });
  });

  it('reports a missing column and reads it as blank', async () => {
    const result = await readReturnFromFiles([
      csvFile('children.csv', 'child,sex,dob,upn,mother,mc_dob\n1,1,01/01/2015,A123,,\n'),
    ]);
    expect(result.problems).toEqual([]);
    expect(result.tables.Header?.missingColumns).toEqual(['ETHNIC']);
    expect(result.tables.Header?.rows[0]?.ETHNIC).toBe('');
    const errors = validateReturn(result, { collectionEnd: '31/03/2016' });
    expect(errors).toContainEqual(
      expect.objectContaining({ code: MISSING_COLUMN, table: 'Header', row: -1, fields: ['ETHNIC'] }),
    );
  });

  it('reports unparseable dates through rules 112, 113, 115 and 116', async () => {
    const result = await readReturnFromFiles([
      csvFile('ad1.csv', `${header}1,01/01/2015,31/02/2016,2016-03-01,1,1,M1,L0\n`),
      csvFile(
        'placed.csv',
        'CHILD,DOB,DATE_PLACED,DATE_PLACED_CEASED,REASON_PLACED_CEASED\n1,01/01/2015,1/13/2016,yesterday,RD1\n',
      ),
    ]);
    const codes = validateReturn(result, { collectionEnd: '31/03/2016' }).map(
      (e) => `${e.code} ${e.table} ${e.row}`,
    );
    expect(codes).toEqual(
      expect.arrayContaining(['112 AD1 0', '113 AD1 0', '115 PlacedAdoption 0', '116 PlacedAdoption 0']),
    );
  });
});
