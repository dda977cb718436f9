// The region file: the organisations of one Regional Adoption Agency (issue 2 §2), in YAML or
// JSON. JSON is YAML, so one parser reads both and reports line numbers for both.
//
//   region:
//     demo: true                        optional; every organisation is marked as demo data
//     hub: { code, name }               the hub the RAA shares with other RAAs
//     raa: { code, name, hostLaCode, contactEmail?, contactPhone?, website? }
//     spokes:
//       - code, name
//         localAuthorities:             the member councils
//           - { code, name, laCode, onsCode, postcodeDistricts: [SE1, SE5], contactEmail?, contactPhone?, website? }
//         teams: [{ code, name, contactEmail?, contactPhone? }]
//     partners:                         agencies beside the RAA
//       - { code, name, kind, contactEmail?, contactPhone?, website? }
//
// Rules: unknown fields are refused. `code` (2–63 lower-case letters, digits, hyphens) is the
// key that makes loading idempotent, so codes are unique across the file. `laCode` is the DfE
// three-digit local authority code and `onsCode` the ONS GSS code (E06–E09); each is unique.
// `hostLaCode` names the one member council that hosts the RAA. Postcode districts are outward
// codes (SE1, CR0) and each is claimed by one council only. `kind` is partner_raa,
// voluntary_adoption_agency or adoption_support_agency. Every problem names its line and field.
import { createHash } from 'node:crypto';
import { isMap, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import { z } from 'zod';
import { AppError } from '../../platform/http/errors.js';

const code = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be 2 to 63 lower-case letters, digits or hyphens');
const name = z.string().trim().min(1, 'must not be empty').max(200, 'must be 200 characters or fewer');
const contactEmail = z.email('must be an email address').max(254, 'must be 254 characters or fewer');
const contactPhone = z
  .string()
  .regex(/^\+?[0-9][0-9 ()-]{5,24}$/, 'must be a telephone number such as 020 7946 0000');
const website = z.url({ protocol: /^https?$/, error: 'must be a web address starting https://' });
const laCode = z.string().regex(/^[0-9]{3}$/, 'must be three digits');
const postcodeDistrict = z
  .string()
  .regex(/^[A-Z]{1,2}[0-9][0-9A-Z]?$/, 'must be a postcode district in capitals, such as SE1 or CR0');

export const partnerKinds = ['partner_raa', 'voluntary_adoption_agency', 'adoption_support_agency'] as const;

const localAuthority = z.strictObject({
  code,
  name,
  laCode,
  onsCode: z.string().regex(/^E0[6-9][0-9]{6}$/, 'must be an ONS code such as E09000028'),
  postcodeDistricts: z.array(postcodeDistrict).default([]),
  contactEmail: contactEmail.optional(),
  contactPhone: contactPhone.optional(),
  website: website.optional(),
});

const team = z.strictObject({
  code,
  name,
  contactEmail: contactEmail.optional(),
  contactPhone: contactPhone.optional(),
});

const spoke = z.strictObject({
  code,
  name,
  localAuthorities: z.array(localAuthority).min(1, 'must list at least one member council'),
  teams: z.array(team).default([]),
});

const partner = z.strictObject({
  code,
  name,
  kind: z.enum(partnerKinds),
  contactEmail: contactEmail.optional(),
  contactPhone: contactPhone.optional(),
  website: website.optional(),
});

export const regionFileSchema = z.strictObject({
  region: z.strictObject({
    demo: z.boolean().default(false),
    hub: z.strictObject({ code, name }),
    raa: z.strictObject({
      code,
      name,
      hostLaCode: laCode,
      contactEmail: contactEmail.optional(),
      contactPhone: contactPhone.optional(),
      website: website.optional(),
    }),
    spokes: z.array(spoke).min(1, 'must list at least one spoke'),
    partners: z.array(partner).default([]),
  }),
});

export type Region = z.output<typeof regionFileSchema>['region'];
export type FieldPath = ReadonlyArray<PropertyKey>;

export interface ParsedRegion {
  region: Region;
  /** SHA-256 of the file's meaning, not its layout: the same region in YAML or JSON hashes alike. */
  hash: string;
  /** The line a field is on, for messages about the file found later (e.g. by the loader). */
  lineOf(path: FieldPath): number | undefined;
}

/** A problem with a region file: one sentence naming the line and the field. */
export class RegionFileError extends AppError {
  readonly line: number | undefined;
  readonly field: string;

  constructor(line: number | undefined, path: FieldPath, problem: string) {
    const field = describeField(path);
    super('bad-request', `${line ? `Line ${line}: ` : ''}${field} ${problem}.`);
    this.line = line;
    this.field = field;
  }
}

/** `spokes[0].localAuthorities[2].laCode` for ['region', 'spokes', 0, 'localAuthorities', 2, 'laCode']. */
export function describeField(path: FieldPath): string {
  const parts = path[0] === 'region' && path.length > 1 ? path.slice(1) : path;
  if (parts.length === 0) return 'The file';
  return parts.reduce<string>(
    (text, part) =>
      typeof part === 'number' ? `${text}[${part}]` : text ? `${text}.${String(part)}` : String(part),
    '',
  );
}

/** A value as the message quotes it back; region files hold no personal data, only public bodies. */
function shown(value: unknown): string {
  if (typeof value === 'string') return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  return 'a set of fields';
}

const expectedLabels: Record<string, string> = {
  string: 'text',
  array: 'a list',
  object: 'a set of fields',
  boolean: 'true or false',
};

function valueAt(input: unknown, path: FieldPath): unknown {
  let value = input;
  for (const part of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[part];
  }
  return value;
}

function problemFor(issue: z.core.$ZodIssue, value: unknown): string {
  const scalar = value === null || ['string', 'number', 'boolean'].includes(typeof value);
  const got = scalar ? ` (got ${shown(value)})` : '';
  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined) return 'is missing';
      if (value === null) return 'must not be empty';
      // YAML reads 210 as a number and 021 as 21: codes must be quoted to keep their digits.
      if (issue.expected === 'string' && scalar) return `must be in quotes${got}`;
      return `must be ${expectedLabels[issue.expected] ?? issue.expected}${got}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map(String).join(', ')}${got}`;
    default:
      return `${issue.message}${got}`;
  }
}

export function parseRegionFile(text: string): ParsedRegion {
  const counter = new LineCounter();
  const document = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const syntax = document.errors[0];
  if (syntax) {
    const line = syntax.linePos?.[0]?.line ?? counter.linePos(syntax.pos[0]).line;
    const reason = syntax.message.split('\n')[0]?.replace(/\.$/, '') ?? 'unreadable';
    throw new AppError(
      'bad-request',
      `Line ${line}: the file is not valid YAML or JSON (${reason.charAt(0).toLowerCase()}${reason.slice(1)}).`,
    );
  }
  if (!isMap(document.contents)) {
    throw new AppError(
      'bad-request',
      document.contents === null
        ? 'The file is empty: a region file starts with "region:".'
        : 'Line 1: the file must be a set of fields starting with "region:".',
    );
  }
  const lineOf = (path: FieldPath) => lineOfPath(document, counter, path);
  const input: unknown = document.toJS({ maxAliasCount: 100 });
  const result = regionFileSchema.safeParse(input);
  if (!result.success) {
    const errors = result.error.issues.map((issue) => {
      if (issue.code === 'unrecognized_keys') {
        const key = issue.keys[0] ?? '';
        return new RegionFileError(
          lineOfKey(document, counter, issue.path, key),
          [...issue.path, key],
          'is not a known field',
        );
      }
      return new RegionFileError(
        lineOf(issue.path),
        issue.path,
        problemFor(issue, valueAt(input, issue.path)),
      );
    });
    // The first problem in the file, so whoever fixes it can work from the top down.
    throw errors.reduce((first, error) =>
      (error.line ?? Infinity) < (first.line ?? Infinity) ? error : first,
    );
  }
  const region = result.data.region;
  checkAcrossFields(region, lineOf);
  const hash = createHash('sha256').update(canonicalJson(region)).digest('hex');
  return { region, hash, lineOf };
}

/** Rules that span fields: codes unique, LA and ONS codes unique, districts claimed once, one host. */
function checkAcrossFields(region: Region, lineOf: (path: FieldPath) => number | undefined): void {
  const fail = (path: FieldPath, problem: string): never => {
    throw new RegionFileError(lineOf(path), path, problem);
  };
  const uniqueIn = (what: Map<string, FieldPath>, value: string, path: FieldPath) => {
    const earlier = what.get(value);
    if (earlier) {
      const line = lineOf(earlier);
      fail(
        path,
        `${shown(value)} is already used ${line ? `on line ${line} ` : ''}(${describeField(earlier)})`,
      );
    }
    what.set(value, path);
  };
  const codes = new Map<string, FieldPath>();
  const laCodes = new Map<string, FieldPath>();
  const onsCodes = new Map<string, FieldPath>();
  const districts = new Map<string, FieldPath>();
  uniqueIn(codes, region.hub.code, ['region', 'hub', 'code']);
  uniqueIn(codes, region.raa.code, ['region', 'raa', 'code']);
  region.spokes.forEach((spoke, s) => {
    uniqueIn(codes, spoke.code, ['region', 'spokes', s, 'code']);
    spoke.localAuthorities.forEach((council, c) => {
      const at = ['region', 'spokes', s, 'localAuthorities', c];
      uniqueIn(codes, council.code, [...at, 'code']);
      uniqueIn(laCodes, council.laCode, [...at, 'laCode']);
      uniqueIn(onsCodes, council.onsCode, [...at, 'onsCode']);
      council.postcodeDistricts.forEach((district, d) => {
        const earlier = districts.get(district);
        if (earlier) {
          const claimant = valueAt({ region }, [...earlier.slice(0, -2), 'name']);
          fail(
            [...at, 'postcodeDistricts', d],
            `${shown(district)} is already claimed by ${String(claimant)}`,
          );
        }
        districts.set(district, [...at, 'postcodeDistricts', d]);
      });
    });
    spoke.teams.forEach((team, t) => uniqueIn(codes, team.code, ['region', 'spokes', s, 'teams', t, 'code']));
  });
  region.partners.forEach((partner, p) => uniqueIn(codes, partner.code, ['region', 'partners', p, 'code']));
  if (!laCodes.has(region.raa.hostLaCode)) {
    fail(
      ['region', 'raa', 'hostLaCode'],
      `${shown(region.raa.hostLaCode)} is not the laCode of a member council`,
    );
  }
}

/** The line of the node at a path, or of the nearest enclosing node that exists. */
function lineOfPath(document: Document, counter: LineCounter, path: FieldPath): number | undefined {
  for (let length = path.length; length >= 0; length -= 1) {
    const node = (length ? document.getIn(path.slice(0, length), true) : document.contents) as
      YamlNode | null | undefined;
    const offset = node?.range?.[0];
    if (offset !== undefined) return counter.linePos(offset).line;
  }
  return undefined;
}

/** The line of a key inside the map at a path (for fields the schema does not know). */
function lineOfKey(
  document: Document,
  counter: LineCounter,
  path: FieldPath,
  key: string,
): number | undefined {
  const map = path.length ? document.getIn(path, true) : document.contents;
  if (isMap(map)) {
    const pair = map.items.find((item) => (item.key as { value?: unknown } | null)?.value === key);
    const offset = (pair?.key as YamlNode | undefined)?.range?.[0];
    if (offset !== undefined) return counter.linePos(offset).line;
  }
  return lineOfPath(document, counter, path);
}

/** JSON with keys in sorted order, so the hash does not depend on how the file orders fields. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
