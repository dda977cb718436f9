// Issue 2 §2, §9: a region file is schema-checked, and each problem is one sentence that names
// its line and field, so whoever edits the file can find it. No database: parsing only.
import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseRegionFile, RegionFileError } from './region-file.js';
import { demoRegionFile } from './region-loader.service.js';

const base = `region:
  hub:
    code: test-hub
    name: Test hub
  raa:
    code: test-raa
    name: Test RAA
    hostLaCode: '210'
  spokes:
    - code: test-spoke
      name: East spoke
      localAuthorities:
        - code: test-southwark
          name: Southwark
          laCode: '210'
          onsCode: E09000028
          postcodeDistricts: [SE1, SE5]
        - code: test-lambeth
          name: Lambeth
          laCode: '208'
          onsCode: E09000022
          postcodeDistricts: [SE11, SW2]
      teams:
        - code: test-team
          name: East family finding team
  partners:
    - code: test-vaa
      name: Test VAA (demo)
      kind: voluntary_adoption_agency
      website: https://vaa.example.invalid
`;

/** The 1-based line of the first occurrence of `text` in `file`. */
function lineOf(file: string, text: string): number {
  const index = file.indexOf(text);
  if (index < 0) throw new Error(`fixture does not contain ${text}`);
  return file.slice(0, index).split('\n').length;
}

/** Replaces text that must occur in the fixture (so a changed fixture fails loudly). */
function edit(from: string, to: string, file = base): string {
  if (!file.includes(from)) throw new Error(`fixture does not contain ${from}`);
  return file.replace(from, to);
}

function problemIn(file: string): string {
  try {
    parseRegionFile(file);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the file was accepted');
}

describe('a well-formed region file (issue 2 §2)', () => {
  it('parses, with defaults for the optional lists and demo flag', () => {
    const { region, hash } = parseRegionFile(base);
    expect(region.demo).toBe(false);
    expect(region.spokes[0]?.localAuthorities.map((la) => la.laCode)).toEqual(['210', '208']);
    expect(region.partners[0]?.kind).toBe('voluntary_adoption_agency');
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reads the same region written as JSON, with the same hash', () => {
    const yamlHash = parseRegionFile(base).hash;
    const json = JSON.stringify(parseRegionFile(base).region, null, 2);
    expect(parseRegionFile(`{"region": ${json}}`).hash).toBe(yamlHash);
  });

  it('hashes the meaning, not the layout: reordered fields and flow style hash alike', () => {
    const reordered = edit(
      '    code: test-hub\n    name: Test hub\n',
      '    name: Test hub\n    code: test-hub\n',
    );
    expect(parseRegionFile(reordered).hash).toBe(parseRegionFile(base).hash);
    expect(
      parseRegionFile(
        stringify(parseRegionFile(base).region, { collectionStyle: 'flow' }).replace(/^/, 'region: '),
      ).hash,
    ).toBe(parseRegionFile(base).hash);
    expect(parseRegionFile(edit('name: Test hub', 'name: Another hub')).hash).not.toBe(
      parseRegionFile(base).hash,
    );
  });

  it('accepts the demo region: the South London shape with ten councils in two spokes of five', () => {
    const { region } = parseRegionFile(readFileSync(demoRegionFile, 'utf8'));
    expect(region.demo).toBe(true);
    expect(region.spokes.map((spoke) => spoke.localAuthorities.length)).toEqual([5, 5]);
    expect(region.spokes.flatMap((spoke) => spoke.localAuthorities.map((la) => la.laCode)).sort()).toEqual([
      '203',
      '208',
      '209',
      '210',
      '212',
      '306',
      '314',
      '315',
      '318',
      '319',
    ]);
    expect(region.raa.hostLaCode).toBe('210');
    expect(region.partners.filter((p) => p.kind === 'partner_raa')).toHaveLength(3);
    for (const name of [region.raa.name, region.hub.name, ...region.partners.map((p) => p.name)]) {
      expect(name).toContain('(demo)');
    }
  });
});

describe('problems are one sentence naming the line and field (issue 2 §9)', () => {
  const cases: Array<[string, string, string]> = [
    [
      'a three-digit LA code that is not',
      edit("laCode: '208'", "laCode: '21'"),
      `Line ${lineOf(base, "laCode: '208'")}: spokes[0].localAuthorities[1].laCode must be three digits (got '21').`,
    ],
    [
      'an LA code YAML would read as a number',
      edit("laCode: '208'", 'laCode: 208'),
      `Line ${lineOf(base, "laCode: '208'")}: spokes[0].localAuthorities[1].laCode must be in quotes (got 208).`,
    ],
    [
      'an ONS code of the wrong form',
      edit('E09000022', 'W06000015'),
      `Line ${lineOf(base, 'E09000022')}: spokes[0].localAuthorities[1].onsCode must be an ONS code such as E09000028 (got 'W06000015').`,
    ],
    [
      'a postcode district that is not an outward code',
      edit('[SE11, SW2]', '[SE11, sw2]'),
      `Line ${lineOf(base, '[SE11, SW2]')}: spokes[0].localAuthorities[1].postcodeDistricts[1] must be a postcode district in capitals, such as SE1 or CR0 (got 'sw2').`,
    ],
    [
      'a whole postcode given as a district',
      edit('[SE1, SE5]', '[SE1 1AA]'),
      `Line ${lineOf(base, '[SE1, SE5]')}: spokes[0].localAuthorities[0].postcodeDistricts[0] must be a postcode district in capitals, such as SE1 or CR0 (got 'SE1 1AA').`,
    ],
    [
      'a code with capitals',
      edit('code: test-team', 'code: Test-Team'),
      `Line ${lineOf(base, 'code: test-team')}: spokes[0].teams[0].code must be 2 to 63 lower-case letters, digits or hyphens (got 'Test-Team').`,
    ],
    [
      'a missing field',
      edit("    hostLaCode: '210'\n", ''),
      `Line ${lineOf(base, 'code: test-raa')}: raa.hostLaCode is missing.`,
    ],
    [
      'an empty field',
      edit('name: Lambeth', 'name:'),
      `Line ${lineOf(base, 'name: Lambeth')}: spokes[0].localAuthorities[1].name must not be empty.`,
    ],
    [
      'an unknown field',
      edit('      name: East spoke\n', '      name: East spoke\n      colour: blue\n'),
      `Line ${lineOf(base, 'name: East spoke') + 1}: spokes[0].colour is not a known field.`,
    ],
    [
      'an unknown partner kind',
      edit('kind: voluntary_adoption_agency', 'kind: charity'),
      `Line ${lineOf(base, 'kind: voluntary')}: partners[0].kind must be one of partner_raa, voluntary_adoption_agency, adoption_support_agency (got 'charity').`,
    ],
    [
      'a website that is not a web address',
      edit('https://vaa.example.invalid', "'javascript:alert(1)'"),
      `Line ${lineOf(base, 'website:')}: partners[0].website must be a web address starting https:// (got 'javascript:alert(1)').`,
    ],
    [
      'an email address that is not one',
      edit(
        '          name: East family finding team\n',
        '          name: East family finding team\n          contactEmail: team at example\n',
      ),
      `Line ${lineOf(base, 'name: East family finding team') + 1}: spokes[0].teams[0].contactEmail must be an email address (got 'team at example').`,
    ],
    [
      'a spoke without councils',
      `region:
  hub: { code: h1, name: Hub }
  raa: { code: r1, name: RAA, hostLaCode: '210' }
  spokes:
    - { code: s1, name: Spoke, localAuthorities: [] }
`,
      'Line 5: spokes[0].localAuthorities must list at least one member council.',
    ],
    [
      'a list where fields belong',
      edit('  hub:\n    code: test-hub\n    name: Test hub\n', '  hub: [test-hub]\n'),
      `Line ${lineOf(base, 'hub:')}: hub must be a set of fields.`,
    ],
    [
      'a code used twice in the file',
      edit('code: test-team', 'code: test-lambeth'),
      `Line ${lineOf(base, 'code: test-team')}: spokes[0].teams[0].code 'test-lambeth' is already used on line ${lineOf(base, 'code: test-lambeth')} (spokes[0].localAuthorities[1].code).`,
    ],
    [
      'an LA code used by two councils',
      edit("laCode: '208'", "laCode: '210'"),
      `Line ${lineOf(base, "laCode: '208'")}: spokes[0].localAuthorities[1].laCode '210' is already used on line ${lineOf(base, "laCode: '210'")} (spokes[0].localAuthorities[0].laCode).`,
    ],
    [
      'an ONS code used by two councils',
      edit('E09000022', 'E09000028'),
      `Line ${lineOf(base, 'E09000022')}: spokes[0].localAuthorities[1].onsCode 'E09000028' is already used on line ${lineOf(base, 'E09000028')} (spokes[0].localAuthorities[0].onsCode).`,
    ],
    [
      'a postcode district claimed by two councils',
      edit('[SE11, SW2]', '[SE11, SE5]'),
      `Line ${lineOf(base, '[SE11, SW2]')}: spokes[0].localAuthorities[1].postcodeDistricts[1] 'SE5' is already claimed by Southwark.`,
    ],
    [
      'a host council that is not a member',
      edit("hostLaCode: '210'", "hostLaCode: '999'"),
      `Line ${lineOf(base, 'hostLaCode')}: raa.hostLaCode '999' is not the laCode of a member council.`,
    ],
  ];

  it.each(cases)('reports %s', (_case, file, message) => {
    expect(problemIn(file)).toBe(message);
  });

  it('reports the problem nearest the top when there are several', () => {
    const file = edit('E09000022', 'bad', edit("hostLaCode: '210'", 'hostLaCode: nope'));
    expect(problemIn(file)).toMatch(new RegExp(`^Line ${lineOf(base, 'hostLaCode')}: raa\\.hostLaCode `));
  });

  it('gives the line and field as properties for callers that show them differently', () => {
    try {
      parseRegionFile(edit("laCode: '208'", "laCode: '21'"));
    } catch (error) {
      expect(error).toBeInstanceOf(RegionFileError);
      expect(error).toMatchObject({
        line: lineOf(base, "laCode: '208'"),
        field: 'spokes[0].localAuthorities[1].laCode',
      });
      return;
    }
    throw new Error('the file was accepted');
  });

  it.each([
    [
      'YAML that does not parse',
      'region:\n  hub: [unclosed\n  raa: {}\n',
      /^Line \d: the file is not valid YAML or JSON \(.+\)\.$/,
    ],
    [
      'a key given twice',
      'region:\n  hub: {}\n  hub: {}\n',
      /^Line 3: the file is not valid YAML or JSON \(map keys must be unique\)\.$/,
    ],
    [
      'JSON with a missing comma',
      '{\n  "region": {\n    "hub": {}\n    "raa": {}\n  }\n}\n',
      /^Line \d: the file is not valid YAML or JSON/,
    ],
    ['an empty file', '', /^The file is empty: a region file starts with "region:"\.$/],
    [
      'a list at the top',
      '- region\n',
      /^Line 1: the file must be a set of fields starting with "region:"\.$/,
    ],
    [
      'a misspelt top-level key',
      'regions:\n  hub: {}\n',
      /^Line 1: (regions is not a known field|region is missing)\.$/,
    ],
  ])('reports %s', (_case, file, message) => {
    expect(problemIn(file)).toMatch(message);
  });

  it('reports a JSON file’s problems by line too', () => {
    const json = JSON.stringify({ region: parseRegionFile(base).region }, null, 2).replace('"208"', '"2O8"');
    expect(problemIn(json)).toBe(
      `Line ${lineOf(json, '"2O8"')}: spokes[0].localAuthorities[1].laCode must be three digits (got '2O8').`,
    );
  });
});
