// The region file: the organisations of one RAA, in YAML or JSON (JSON is YAML).
//
//   region:
//     hub:  { code, name }                       the hub the RAA shares with other RAAs
//     raa:  { code, name, hostLaCode, contactEmail?, contactPhone?, website? }
//     spokes:
//       - { code, name,
//           localAuthorities: [{ code, name, laCode (DfE, 3 digits), onsCode (GSS E06–E09), postcodeDistricts: [SE1, …] }],
//           teams: [{ code, name }] }
//     partners: [{ code, name, kind: partner_raa | voluntary_adoption_agency | adoption_support_agency, contactEmail?, website? }]
//
// Codes are the stable keys that make loading idempotent. Every problem is reported with the
// line it is on and the field path, so whoever edits the file can find it.
import { createHash } from 'node:crypto';
import { isMap, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { z } from 'zod';
import { AppError } from '../../platform/http/errors.js';

const code = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{1,62}$/,
    'must be 2–63 lower-case letters, digits or hyphens, starting with a letter or digit',
  );
const name = z.string().trim().min(1, 'must not be empty').max(200, 'must be 200 characters or fewer');
const email = z.email('must be an email address').max(254);
const postcodeDistrict = z
  .string()
  .regex(/^[A-Z]{1,2}[0-9][0-9A-Z]?$/, 'must be a postcode district such as SE1 or CR0');

const localAuthority = z.strictObject({
  code,
  name,
  laCode: z.string().regex(/^[0-9]{3}$/, 'must be three digits'),
  onsCode: z.string().regex(/^E0[6-9][0-9]{6}$/, 'must be an ONS code such as E09000028'),
  postcodeDistricts: z.array(postcodeDistrict).default([]),
  contactEmail: email.optional(),
});

const team = z.strictObject({ code, name });

const spoke = z.strictObject({
  code,
  name,
  localAuthorities: z.array(localAuthority).min(1, 'must list at least one member council'),
  teams: z.array(team).default([]),
});

const partner = z.strictObject({
  code,
  name,
  kind: z.enum(['partner_raa', 'voluntary_adoption_agency', 'adoption_support_agency']),
  contactEmail: email.optional(),
  website: z.url().optional(),
});

export const regionFileSchema = z.strictObject({
  region: z.strictObject({
    hub: z.strictObject({ code, name }),
    raa: z.strictObject({
      code,
      name,
      hostLaCode: z.string().regex(/^[0-9]{3}$/, 'must be three digits'),
      contactEmail: email.optional(),
      contactPhone: z.string().max(40).optional(),
      website: z.url().optional(),
    }),
    spokes: z.array(spoke).min(1, 'must list at least one spoke'),
    partners: z.array(partner).default([]),
  }),
});

export type RegionFile = z.output<typeof regionFileSchema>;

export interface ParsedRegion {
  region: RegionFile['region'];
  /** SHA-256 of the file's meaning (not its formatting), recorded after a successful load. */
  hash: string;
}

function describePath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>(
    (text, part) =>
      typeof part === 'number' ? `${text}[${part}]` : text ? `${text}.${String(part)}` : String(part),
    '',
  );
}

/** The line of the node at a path in the YAML document, or of the nearest ancestor that exists. */
function lineOf(
  document: ReturnType<typeof parseDocument>,
  counter: LineCounter,
  path: ReadonlyArray<PropertyKey>,
): number | undefined {
  for (let length = path.length; length >= 0; length -= 1) {
    const node = document.getIn(path.slice(0, length) as unknown[], true) as YamlNode | undefined;
    const offset = node?.range?.[0];
    if (offset !== undefined) return counter.linePos(offset).line;
  }
  return undefined;
}

/** Finds the line of an unknown key inside the map at `path`. */
function lineOfKey(
  document: ReturnType<typeof parseDocument>,
  counter: LineCounter,
  path: ReadonlyArray<PropertyKey>,
  key: string,
): number | undefined {
  const map = path.length ? document.getIn(path as unknown[], true) : document.contents;
  if (isMap(map)) {
    const pair = map.items.find((item) => (item.key as { value?: unknown } | null)?.value === key);
    const offset = (pair?.key as YamlNode | undefined)?.range?.[0];
    if (offset !== undefined) return counter.linePos(offset).line;
  }
  return lineOf(document, counter, path);
}

export function parseRegionFile(text: string, fileName = 'the region file'): ParsedRegion {
  const counter = new LineCounter();
  const document = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const syntax = document.errors[0];
  if (syntax) {
    const line =
      syntax.linePos?.[0]?.line ??
      (syntax.pos[0] !== undefined ? counter.linePos(syntax.pos[0]).line : undefined);
    throw new AppError(
      'bad-request',
      `${fileName}${line ? ` line ${line}` : ''}: ${syntax.message.split('\n')[0]}`,
    );
  }
  if (!isMap(document.contents) && !isSeq(document.contents)) {
    throw new AppError(
      'bad-request',
      `${fileName} is empty or is not a region file: it must start with "region:".`,
    );
  }
  const result = regionFileSchema.safeParse(document.toJS());
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const unknownKey = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
    const line = unknownKey
      ? lineOfKey(document, counter, issue.path, unknownKey)
      : lineOf(document, counter, issue.path);
    const where = describePath(issue.path);
    const message = unknownKey
      ? `${where ? `${where}.` : ''}${unknownKey} is not a known field`
      : `${where || 'the file'} ${/received undefined/.test(issue.message) ? 'is missing' : issue.message.replace(/^Invalid input: /, '')}`;
    throw new AppError('bad-request', `${fileName}${line ? ` line ${line}` : ''}: ${message}.`);
  }
  const region = result.data.region;
  checkConsistency(region, (path) => lineOf(document, counter, path), fileName);
  const hash = createHash('sha256').update(JSON.stringify(region)).digest('hex');
  return { region, hash };
}

/** Rules that span fields: unique codes, one host that is a member, districts claimed once. */
function checkConsistency(
  region: RegionFile['region'],
  line: (path: PropertyKey[]) => number | undefined,
  fileName: string,
): void {
  const fail = (path: PropertyKey[], message: string): never => {
    const at = line(['region', ...path]);
    throw new AppError(
      'bad-request',
      `${fileName}${at ? ` line ${at}` : ''}: region.${describePath(path)} ${message}.`,
    );
  };
  const codes = new Map<string, string>();
  const claim = (value: string, path: PropertyKey[]) => {
    const previous = codes.get(value);
    if (previous) fail([...path, 'code'], `uses code '${value}', already used by region.${previous}`);
    codes.set(value, describePath(path));
  };
  claim(region.hub.code, ['hub']);
  claim(region.raa.code, ['raa']);
  const laCodes = new Map<string, string>();
  const districts = new Map<string, string>();
  region.spokes.forEach((spoke, s) => {
    claim(spoke.code, ['spokes', s]);
    spoke.localAuthorities.forEach((la, l) => {
      const path: PropertyKey[] = ['spokes', s, 'localAuthorities', l];
      claim(la.code, path);
      if (laCodes.has(la.laCode))
        fail([...path, 'laCode'], `'${la.laCode}' is already used by ${laCodes.get(la.laCode)}`);
      laCodes.set(la.laCode, la.name);
      la.postcodeDistricts.forEach((district, d) => {
        if (districts.has(district))
          fail(
            [...path, 'postcodeDistricts', d],
            `'${district}' is already claimed by ${districts.get(district)}`,
          );
        districts.set(district, la.name);
      });
    });
    spoke.teams.forEach((team, tIndex) => claim(team.code, ['spokes', s, 'teams', tIndex]));
  });
  region.partners.forEach((partner, p) => claim(partner.code, ['partners', p]));
  if (!laCodes.has(region.raa.hostLaCode)) {
    fail(['raa', 'hostLaCode'], `'${region.raa.hostLaCode}' is not the LA code of any member council`);
  }
}
