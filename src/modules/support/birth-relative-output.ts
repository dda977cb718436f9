// THE ONE PLACE where Kindred produces anything that faces a birth relative (issue 8 §4).
//
// The adoptive family's identity and whereabouts must never reach the birth family (domain.md §7;
// domain-detail.md §7: "never disclose the adopters' identity, address or the child's new name to
// the birth family"). Every letter, email or PDF for a birth relative is built here, and only here:
//
// (a) from a whitelisted, birth-relative-safe view (`toBirthRelativeView` copies the permitted
//     fields and nothing else, so a surname or an address passed in by mistake is dropped); and
// (b) the final text is scanned for every protected value of that adoptive family — surnames and
//     full names, the child's new name if it changed, address lines (and the street without its
//     number), town, postcode (also with the spaces removed) and postcode district, email
//     addresses, phone numbers (digits only, +44 or 0), school — case-insensitively. If any
//     appears, nothing is produced: `BirthRelativeOutputRefused` names the kinds of detail found
//     (never the values), and the caller audits the refusal. A worker's redaction mistake, or a
//     family who moved after an item was checked, cannot leak.
//
// Two parts of the text are the RAA's or the recipient's own and are treated accordingly: the
// agency's name and contact (organisation data) are not family details, so they are set aside
// before the scan; the recipient's own address block is scanned for the family's address lines,
// postcode, email and phone, but not for a town or postcode district, because a birth relative who
// lives in the same town as the family learns nothing from their own address.
//
// Every output type is in `birthRelativeOutputs`. Tests enumerate that registry and try each type
// with every protected value, so a new type added here is tested automatically, and a type not
// added here cannot be produced at all: only `buildBirthRelativeOutput` makes an output, and only
// its outputs can be turned into a PDF or sent as an email.
import PDFDocument from 'pdfkit';
import type { Transaction } from 'kysely';
import { writeAudit, type AuditContext, type AuditKey } from '../../platform/audit/audit.js';
import type { Db } from '../../platform/db/client.js';
import type { DB } from '../../platform/db/schema.js';
import { AppError } from '../../platform/http/errors.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import { formatDate } from '../../platform/views/render.js';

// ── (a) The birth-relative-safe view ──────────────────────────────────────────────────────────

/** Everything a birth-relative-facing output may draw on. Nothing else reaches the text. */
export interface BirthRelativeView {
  /** The birth relative's own name and address, for the letter's address block. */
  recipientName: string;
  recipientAddress: string[];
  /** The RAA's name and how to reach it (organisation data). */
  agencyName: string;
  agencyContact: string;
  /** The support worker who signs the letter. */
  workerName: string;
  /** The agreement's non-identifying reference, e.g. LB-4KX9PQ. */
  letterboxReference: string;
  /** The name the birth family knows the child by (never a new name). */
  childName: string;
  /** The letter's date. */
  date: string;
  /** The agreed month an item or reminder is about ('YYYY-MM-01'). */
  period: string | null;
  /** When the agency received the item. */
  receivedOn: string | null;
  /** The next agreed month for the birth relative's own letter. */
  nextPeriod: string | null;
  /** The checked, redacted text of the family's letter (forwarded letters only). */
  body: string | null;
}

const viewKeys = [
  'recipientName',
  'recipientAddress',
  'agencyName',
  'agencyContact',
  'workerName',
  'letterboxReference',
  'childName',
  'date',
  'period',
  'receivedOn',
  'nextPeriod',
  'body',
] as const satisfies ReadonlyArray<keyof BirthRelativeView>;

const text = (value: unknown, max = 200): string =>
  typeof value === 'string' ? value.replace(/\s+/g, ' ').trim().slice(0, max) : '';
const optional = (value: unknown, max = 200): string | null => text(value, max) || null;

/**
 * The whitelist: copies the permitted fields from whatever it is given, as strings, and drops
 * everything else (surnames, addresses, emails — anything not named in BirthRelativeView).
 */
export function toBirthRelativeView(source: Readonly<Record<string, unknown>>): BirthRelativeView {
  const address = Array.isArray(source.recipientAddress) ? source.recipientAddress : [];
  const body = typeof source.body === 'string' ? source.body.trim().slice(0, 20_000) : '';
  const view: BirthRelativeView = {
    recipientName: text(source.recipientName),
    recipientAddress: address.map((line) => text(line)).filter(Boolean),
    agencyName: text(source.agencyName),
    agencyContact: text(source.agencyContact),
    workerName: text(source.workerName),
    letterboxReference: text(source.letterboxReference, 20),
    childName: text(source.childName, 100),
    date: text(source.date, 10),
    period: optional(source.period, 10),
    receivedOn: optional(source.receivedOn, 10),
    nextPeriod: optional(source.nextPeriod, 10),
    body: body || null,
  };
  // Belt and braces: the object has exactly the whitelisted keys.
  return Object.fromEntries(viewKeys.map((key) => [key, view[key]])) as unknown as BirthRelativeView;
}

// ── (b) The protected values, and the scan ─────────────────────────────────────────────────────

/** The adoptive family's protected values, gathered from the case, the household and the enquiry. */
export interface ProtectedDetails {
  surnames: string[];
  fullNames: string[];
  childNewNames: string[];
  addressLines: string[];
  towns: string[];
  postcodes: string[];
  postcodeDistricts: string[];
  emails: string[];
  phones: string[];
  schools: string[];
}

export type ProtectedField = keyof ProtectedDetails;

export const protectedFieldLabels: Record<ProtectedField, string> = {
  surnames: 'the adoptive family’s surname',
  fullNames: 'an adoptive parent’s name',
  childNewNames: 'the child’s new name',
  addressLines: 'the adoptive family’s address',
  towns: 'the adoptive family’s town',
  postcodes: 'the adoptive family’s postcode',
  postcodeDistricts: 'the adoptive family’s postcode district',
  emails: 'the adoptive family’s email address',
  phones: 'the adoptive family’s phone number',
  schools: 'the child’s school',
};

export const emptyProtectedDetails = (): ProtectedDetails => ({
  surnames: [],
  fullNames: [],
  childNewNames: [],
  addressLines: [],
  towns: [],
  postcodes: [],
  postcodeDistricts: [],
  emails: [],
  phones: [],
  schools: [],
});

/** Lower case, accents kept, curly quotes straightened, punctuation and runs of space to one space. */
function words(value: string): string {
  return ` ${value
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[’‘`]/g, "'")
    .replace(/[^\p{L}\p{N}']+/gu, ' ')
    .replace(/'s\b/g, ' ')
    .replace(/'/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()} `;
}
const squash = (value: string) =>
  value
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '');
const digits = (value: string) => value.replace(/\D/g, '');

/** A phone number's national digits: +44 20 7946 0000 and 020 7946 0000 are the same number. */
function nationalDigits(phone: string): string {
  const all = digits(phone);
  if (all.startsWith('44')) return `0${all.slice(2)}`;
  return all;
}

/** A house number at the start of an address line is dropped, so the street alone is also found. */
function streetOf(line: string): string | null {
  const street = line.replace(/^\s*(flat|apartment)?\s*\d+[a-z]?\s*,?\s*/i, '').trim();
  return street.length >= 5 && street !== line.trim() ? street : null;
}

export interface ScanOptions {
  /** Strings that belong to the RAA, removed before the scan (its name and contact details). */
  setAside?: readonly string[];
  /** Skip the fields a recipient's own address may share with the family's (town, district). */
  addressBlock?: boolean;
}

/** Which kinds of protected value appear in the text. Empty: none. Never returns the values. */
export function findProtectedValues(
  rawText: string,
  details: ProtectedDetails,
  options: ScanOptions = {},
): ProtectedField[] {
  let source = rawText;
  for (const own of options.setAside ?? []) {
    if (own.trim().length > 0) source = source.split(own).join(' ');
  }
  const spaced = words(source);
  const squashed = squash(source);
  const numbers = digits(source);
  const found = new Set<ProtectedField>();
  const hasWords = (value: string) => {
    const needle = words(value);
    return needle.trim().length >= 2 && spaced.includes(needle);
  };
  const check = (field: ProtectedField, test: (value: string) => boolean) => {
    if (details[field].some((value) => value && test(value))) found.add(field);
  };
  check('surnames', hasWords);
  check('fullNames', hasWords);
  check('childNewNames', hasWords);
  check('addressLines', (line) => hasWords(line) || (streetOf(line) !== null && hasWords(streetOf(line)!)));
  check('postcodes', (postcode) => squash(postcode).length >= 5 && squashed.includes(squash(postcode)));
  check('emails', (email) => email.includes('@') && source.toLowerCase().includes(email.toLowerCase()));
  check('phones', (phone) => {
    const national = nationalDigits(phone);
    return national.length >= 9 && (numbers.includes(national) || numbers.includes(national.slice(1)));
  });
  check('schools', hasWords);
  if (!options.addressBlock) {
    check('towns', hasWords);
    check('postcodeDistricts', (district) => {
      const needle = squash(district);
      return (
        needle.length >= 2 && new RegExp(`(^|[^A-Z0-9])${needle}([^A-Z0-9]|$)`).test(source.toUpperCase())
      );
    });
  }
  return [...found];
}

// ── The outputs ────────────────────────────────────────────────────────────────────────────────

export type OutputChannel = 'letter' | 'email';

interface RenderedOutput {
  subject: string;
  body: string;
}

interface OutputDefinition {
  label: string;
  channel: OutputChannel;
  render(view: BirthRelativeView): RenderedOutput;
}

const monthYear = (period: string | null) =>
  period ? formatDate(period).replace(/^\d+ /, '') : 'the next agreed month';
const day = (date: string | null) => (date ? formatDate(date) : '');

const howToWrite = (view: BirthRelativeView) =>
  `When you write, send your letter to us at ${view.agencyName} and quote ${view.letterboxReference}. Please do not put your address or phone number in the letter: we pass it on without them.`;

const subjectAbout = (view: BirthRelativeView, about: string) =>
  `Letterbox contact ${view.letterboxReference}: ${about}`;

/** Greeting, paragraphs and sign-off; emails close less formally than letters. */
const writeTo = (view: BirthRelativeView, paragraphs: string[], closing = 'Yours sincerely,') =>
  [
    `Dear ${view.recipientName},`,
    ...paragraphs,
    [closing, view.workerName, view.agencyName, view.agencyContact].filter(Boolean).join('\n'),
  ].join('\n\n');

const thanksFor = (view: BirthRelativeView) =>
  `Thank you for your letter for ${view.childName}, which we received on ${day(view.receivedOn)}.`;
const reminderOf = (view: BirthRelativeView) =>
  `This is a reminder that your letterbox letter for ${view.childName} is due in ${monthYear(view.period)}.`;

/**
 * Every output that faces a birth relative. Add a new one here and it is tested with every
 * protected value (birth-relative-output.test.ts, tests/integration/support-letterbox-guard.test.ts).
 */
export const birthRelativeOutputs = {
  'forwarded-letter': {
    label: 'Covering letter with the family’s letter',
    channel: 'letter',
    render: (view) => ({
      subject: subjectAbout(view, 'a letter for you'),
      body: writeTo(view, [
        `Here is the letter from ${view.childName}’s family for ${monthYear(view.period)}. We received it on ${day(view.receivedOn)} and, as we do with every letter, read it before passing it on, so that everyone’s personal details stay private.`,
        '— The letter —',
        view.body ?? '',
        '— End of the letter —',
        `Your next letter is due in ${monthYear(view.nextPeriod)}. ${howToWrite(view)}`,
      ]),
    }),
  },
  'acknowledgement-letter': {
    label: 'Letter saying we received their letter',
    channel: 'letter',
    render: (view) => ({
      subject: subjectAbout(view, 'we have your letter'),
      body: writeTo(view, [
        `${thanksFor(view)} We will read it and pass it on to the family.`,
        `If you have any questions, contact us and quote ${view.letterboxReference}.`,
      ]),
    }),
  },
  'acknowledgement-email': {
    label: 'Email saying we received their letter',
    channel: 'email',
    render: (view) => ({
      subject: subjectAbout(view, 'we have your letter'),
      body: writeTo(
        view,
        [
          `${thanksFor(view)} We will read it and pass it on to the family.`,
          `Please do not reply to this email with a letter: ${howToWrite(view)}`,
        ],
        'Best wishes,',
      ),
    }),
  },
  'reminder-letter': {
    label: 'Reminder that their letter is due',
    channel: 'letter',
    render: (view) => ({
      subject: subjectAbout(view, 'your letter is due'),
      body: writeTo(view, [
        reminderOf(view),
        howToWrite(view),
        'If you would like help writing your letter, or you do not want to write this time, please let us know.',
      ]),
    }),
  },
  'reminder-email': {
    label: 'Email reminder that their letter is due',
    channel: 'email',
    render: (view) => ({
      subject: subjectAbout(view, 'your letter is due'),
      body: writeTo(view, [reminderOf(view), howToWrite(view)], 'Best wishes,'),
    }),
  },
  'held-notice-letter': {
    label: 'Letter saying their letter has not been passed on yet',
    channel: 'letter',
    render: (view) => ({
      subject: subjectAbout(view, 'about your letter'),
      body: writeTo(view, [
        `${thanksFor(view)} We have not been able to pass it on yet.`,
        `${view.workerName || 'Your worker'} will contact you to talk about it. You can also contact us, quoting ${view.letterboxReference}.`,
      ]),
    }),
  },
} as const satisfies Record<string, OutputDefinition>;

export type BirthRelativeOutputKind = keyof typeof birthRelativeOutputs;
export const birthRelativeOutputKinds = Object.keys(birthRelativeOutputs) as BirthRelativeOutputKind[];

export function isBirthRelativeOutputKind(value: string): value is BirthRelativeOutputKind {
  return Object.hasOwn(birthRelativeOutputs, value);
}

/** A produced output: the only thing `letterPdf` and `sendBirthRelativeEmail` accept. */
export interface BirthRelativeOutput {
  kind: BirthRelativeOutputKind;
  channel: OutputChannel;
  subject: string;
  /** The whole text as it leaves Kindred: the address block (letters) and the body. */
  text: string;
  /** The view it was built from, to keep with the record (it holds no protected field). */
  view: BirthRelativeView;
}

export class BirthRelativeOutputRefused extends AppError {
  constructor(
    readonly outputKind: BirthRelativeOutputKind,
    readonly fields: ProtectedField[],
  ) {
    const what = fields.map((field) => protectedFieldLabels[field]);
    super(
      'conflict',
      `Kindred did not produce the ${birthRelativeOutputs[outputKind].label.toLowerCase()}: it would contain ${listed(what)}. Nothing was sent or saved. Check the redaction and the details in it, then try again.`,
      { fieldErrors: [{ field: 'redactedText', message: `The text still contains ${listed(what)}` }] },
    );
    this.name = 'BirthRelativeOutputRefused';
  }
}

const listed = (items: string[]) =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;

const produced = new WeakSet<BirthRelativeOutput>();

/**
 * Builds an output for a birth relative, or refuses. Pure: the caller audits a refusal
 * (`auditBirthRelativeRefusal`) after its transaction has rolled back.
 */
export function buildBirthRelativeOutput(
  kind: BirthRelativeOutputKind,
  source: Readonly<Record<string, unknown>>,
  details: ProtectedDetails,
): BirthRelativeOutput {
  const definition: OutputDefinition = birthRelativeOutputs[kind];
  const view = toBirthRelativeView(source);
  const rendered = definition.render(view);
  const addressBlock =
    definition.channel === 'letter' ? [view.recipientName, ...view.recipientAddress].join('\n') : '';
  const setAside = [view.agencyName, view.agencyContact];
  const found = new Set<ProtectedField>([
    ...findProtectedValues(`${rendered.subject}\n${rendered.body}`, details, { setAside }),
    ...findProtectedValues(addressBlock, details, { setAside, addressBlock: true }),
  ]);
  if (found.size > 0) throw new BirthRelativeOutputRefused(kind, [...found]);
  const output: BirthRelativeOutput = {
    kind,
    channel: definition.channel,
    subject: rendered.subject,
    text: addressBlock
      ? `${addressBlock}\n\n${view.date ? formatDate(view.date) : ''}\n\n${rendered.body}`
      : rendered.body,
    view,
  };
  produced.add(output);
  return Object.freeze(output);
}

/** Audits a refused output: which kind and which kinds of detail, never the text or the values. */
export async function auditBirthRelativeRefusal(
  executor: Db | Transaction<DB>,
  auditKey: AuditKey,
  auditContext: AuditContext,
  error: BirthRelativeOutputRefused,
  subject: { caseId: string; raaId: string },
): Promise<void> {
  await writeAudit(executor, auditKey, auditContext, {
    action: 'support.letterbox.output.refuse',
    outcome: 'denied',
    subjectType: 'support_case',
    subjectId: subject.caseId,
    subjectOrganisationId: subject.raaId,
    reason: `${error.outputKind}: protected ${error.fields.join(', ')}`,
  });
}

function assertProduced(output: BirthRelativeOutput): void {
  if (!produced.has(output)) {
    throw new Error(
      'Only an output built by buildBirthRelativeOutput can leave Kindred for a birth relative.',
    );
  }
}

/** The letter as a PDF: exactly the text that passed the scan, and nothing identifying in its metadata. */
export function letterPdf(output: BirthRelativeOutput): Promise<Buffer> {
  assertProduced(output);
  if (output.channel !== 'letter') throw new Error(`${output.kind} is an email, not a letter.`);
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'A4',
      margin: 64,
      info: { Title: `Letterbox contact ${output.view.letterboxReference}`, Author: output.view.agencyName },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.font('Helvetica').fontSize(11).text(output.text, { lineGap: 2 });
    doc.end();
  });
}

/** Sends an email output to the birth relative's own address. */
export async function sendBirthRelativeEmail(
  mailer: Mailer,
  output: BirthRelativeOutput,
  to: string,
): Promise<void> {
  assertProduced(output);
  if (output.channel !== 'email') throw new Error(`${output.kind} is a letter, not an email.`);
  await mailer.send({ to, subject: output.subject, text: output.text });
}

// ── Gathering the protected values ────────────────────────────────────────────────────────────

export interface ProtectedSources {
  family_name: string | null;
  family_surnames: string[];
  address_line_1: string | null;
  address_line_2: string | null;
  town: string | null;
  postcode: string | null;
  postcode_district: string | null;
  email: string | null;
  phone: string | null;
  school: string | null;
  h_address_line_1: string | null;
  h_address_line_2: string | null;
  h_town: string | null;
  h_postcode: string | null;
  h_postcode_district: string | null;
  e_email: string | null;
  e_phone: string | null;
  e_name: string | null;
  applicants: Array<{ first_name: string; last_name: string }>;
  children: Array<{
    first_name: string;
    last_name: string;
    birth_first_name: string | null;
    birth_last_name: string | null;
  }>;
}

/**
 * Every protected value of one adoptive family: the case's own details (families who adopted
 * before Kindred), the household's applicants and address, the enquiry's email and phone, and the
 * child's new name where it differs from the name the birth family knows.
 */
export function collectProtectedDetails(sources: ProtectedSources): ProtectedDetails {
  const details = emptyProtectedDetails();
  const add = (field: ProtectedField, ...values: Array<string | null | undefined>) => {
    for (const value of values) {
      const tidy = value?.trim();
      if (tidy && !details[field].includes(tidy)) details[field].push(tidy);
    }
  };
  const surname = (value: string) => {
    add('surnames', value);
    // A double-barrelled surname is protected in each of its parts too.
    for (const part of value.split(/[-\s]+/)) if (part.length >= 3) add('surnames', part);
  };
  sources.family_surnames.forEach(surname);
  for (const applicant of sources.applicants) {
    surname(applicant.last_name);
    add('fullNames', `${applicant.first_name} ${applicant.last_name}`);
  }
  add('fullNames', sources.family_name, sources.e_name);
  for (const child of sources.children) {
    const firstChanged =
      !!child.birth_first_name &&
      child.birth_first_name.trim().toLowerCase() !== child.first_name.trim().toLowerCase();
    const lastChanged =
      !child.birth_last_name ||
      child.birth_last_name.trim().toLowerCase() !== child.last_name.trim().toLowerCase();
    if (firstChanged) add('childNewNames', child.first_name);
    if (lastChanged) {
      surname(child.last_name);
      add('childNewNames', `${child.first_name} ${child.last_name}`);
    }
  }
  add(
    'addressLines',
    sources.address_line_1,
    sources.address_line_2,
    sources.h_address_line_1,
    sources.h_address_line_2,
  );
  add('towns', sources.town, sources.h_town);
  add('postcodes', sources.postcode, sources.h_postcode);
  add(
    'postcodeDistricts',
    sources.postcode_district,
    sources.h_postcode_district,
    ...[sources.postcode, sources.h_postcode].map((p) => p?.trim().split(/\s+/)[0]),
  );
  add('emails', sources.email, sources.e_email);
  add('phones', sources.phone, sources.e_phone);
  add('schools', sources.school);
  return details;
}
