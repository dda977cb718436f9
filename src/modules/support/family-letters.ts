// Letters to the adoptive family (issue 8 §4). These may name the family — they go to the family
// itself — but the birth relatives' own contact details are not passed to adopters either
// (domain-detail.md §7: "Birth relatives' details are not passed to adopters"), so the text is
// scanned for the writer's address, postcode, email and phone with the same scan the birth-relative
// guard uses, and refused if any appears.
import PDFDocument from 'pdfkit';
import { AppError } from '../../platform/http/errors.js';
import { formatDate } from '../../platform/views/render.js';
import {
  emptyProtectedDetails,
  findProtectedValues,
  type ProtectedDetails,
} from './birth-relative-output.js';

export const familyOutputLabels = {
  'family-forwarded-letter': 'Covering letter with the birth relative’s letter',
  'family-reminder-letter': 'Reminder that the family’s letter is due',
} as const;
export type FamilyOutputKind = keyof typeof familyOutputLabels;

export interface FamilyLetterView {
  familyName: string;
  addressLines: string[];
  agencyName: string;
  agencyContact: string;
  workerName: string;
  letterboxReference: string;
  childName: string;
  writerName: string;
  date: string;
  period: string | null;
  receivedOn: string | null;
  body: string | null;
}

export interface BirthRelativeContact {
  addressLine1: string | null;
  addressLine2: string | null;
  town: string | null;
  postcode: string | null;
  email: string | null;
  phone: string | null;
}

const monthYear = (period: string | null) => (period ? formatDate(period).replace(/^\d+ /, '') : '');

export class FamilyOutputRefused extends AppError {
  constructor() {
    super(
      'conflict',
      'Kindred did not produce the letter to the family: it would contain the birth relative’s address, postcode, email or phone number. Nothing was sent or saved. Check the redaction, then try again.',
      {
        fieldErrors: [
          { field: 'redactedText', message: 'The text still contains the birth relative’s contact details' },
        ],
      },
    );
  }
}

export function birthRelativeContactDetails(contact: BirthRelativeContact): ProtectedDetails {
  const details = emptyProtectedDetails();
  details.addressLines = [contact.addressLine1, contact.addressLine2].filter((v): v is string => !!v);
  details.postcodes = contact.postcode ? [contact.postcode] : [];
  details.emails = contact.email ? [contact.email] : [];
  details.phones = contact.phone ? [contact.phone] : [];
  return details;
}

/** Scans the checked text of a birth relative's letter before it goes to the family. */
export function birthRelativeDetailsIn(text: string, contact: BirthRelativeContact): boolean {
  return findProtectedValues(text, birthRelativeContactDetails(contact)).length > 0;
}

export function buildFamilyLetter(
  kind: FamilyOutputKind,
  view: FamilyLetterView,
  contact: BirthRelativeContact,
): { subject: string; text: string } {
  const signOff = ['Yours sincerely,', view.workerName, view.agencyName, view.agencyContact]
    .filter(Boolean)
    .join('\n');
  const body =
    kind === 'family-forwarded-letter'
      ? [
          `Dear ${view.familyName},`,
          `Here is the letter from ${view.writerName} for ${view.childName}, for ${monthYear(view.period)}. We received it on ${formatDate(view.receivedOn)} and read it before passing it on.`,
          '— The letter —',
          view.body ?? '',
          '— End of the letter —',
          `If anything in it worries you, or you would like help replying, contact us and quote ${view.letterboxReference}.`,
          signOff,
        ].join('\n\n')
      : [
          `Dear ${view.familyName},`,
          `This is a reminder that your letterbox letter to ${view.writerName} is due in ${monthYear(view.period)}.`,
          `Send it to us at ${view.agencyName}, quoting ${view.letterboxReference}. Please leave out your surname, address, the school and anything that could show where you live: we will read it before we pass it on.`,
          signOff,
        ].join('\n\n');
  const subject = `Letterbox contact ${view.letterboxReference}: ${kind === 'family-forwarded-letter' ? 'a letter for you' : 'your letter is due'}`;
  if (
    findProtectedValues(body, birthRelativeContactDetails(contact), {
      setAside: [view.agencyName, view.agencyContact],
    }).length
  ) {
    throw new FamilyOutputRefused();
  }
  const text = [[view.familyName, ...view.addressLines].join('\n'), formatDate(view.date), body].join('\n\n');
  return { subject, text };
}

/** A plain letter as a PDF, for the family's letters. */
export function familyLetterPdf(title: string, author: string, text: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 64, info: { Title: title, Author: author } });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.font('Helvetica').fontSize(11).text(text, { lineGap: 2 });
    doc.end();
  });
}
