// Decision letters (issue 7 §4): one template per kind of decision, filled from the decision and
// drawn as a PDF with pdfkit. Letters to prospective adopters are addressed to the applicants.
// No letter ever carries a child's birth family details: the letters are built only from the
// fields below, and a child appears by first name (or the name they are known by) and the
// council's reference, never by surname (often the birth family's) or anything from the birth
// family record.
import PDFDocument from 'pdfkit';
import type { IsoDate } from '../../platform/time/index.js';
import { longDate } from './panel-rules.js';

export const letterTemplateKeys = [
  'adopter_approval.approved',
  'adopter_approval.qualifying_determination',
  'final.approved',
  'final.not_approved',
  'approval_review.approval_continues',
  'approval_review.approval_ended',
  'match.match_agreed',
  'match.match_not_agreed',
  'relinquished_plan.should_be_placed',
  'relinquished_plan.should_not_be_placed',
] as const;
export type LetterTemplateKey = (typeof letterTemplateKeys)[number];

export interface LetterTemplate {
  subject: string;
  /** Paragraphs with {placeholders}; a paragraph naming a value the letter does not have is left out. */
  body: readonly string[];
}

const challenge =
  'If you do not agree, you may within 40 working days of the date of this letter (that is, by {representationsDue}) ' +
  'either send us your representations, which the agency decision maker will consider before making a final ' +
  'decision, or apply to the Independent Review Mechanism (IRM) for its panel to review the proposal. You can ' +
  'do one or the other, not both. Please tell us which you choose. If we hear nothing by {representationsDue}, ' +
  'the agency decision maker will make a final decision after that date.';

export const letterTemplates: Record<LetterTemplateKey, LetterTemplate> = {
  'adopter_approval.approved': {
    subject: 'Your approval as prospective adopters',
    body: [
      'Dear {salutation},',
      'The {panel} considered your application on {sittingDate} and recommended that you are suitable to adopt a child.',
      'Having taken the panel’s recommendation into account, I have decided on {decisionDate} that you are suitable to adopt a child.',
      'My reasons: {reasons}',
      'Your social worker will talk to you about family finding and what happens next. Your approval will be reviewed if you are not matched within a year, and at least once a year after that.',
    ],
  },
  'adopter_approval.qualifying_determination': {
    subject: 'Our proposal not to approve you as prospective adopters (qualifying determination)',
    body: [
      'Dear {salutation},',
      'The {panel} considered your application on {sittingDate}. Its recommendation was: {recommendation}.',
      'Having taken the recommendation into account, I propose on {decisionDate} not to approve you as suitable to adopt a child. This is a qualifying determination under regulation 30B of the Adoption Agencies Regulations 2005.',
      'My reasons: {reasons}',
      challenge,
    ],
  },
  'final.approved': {
    subject: 'Our final decision: your approval as prospective adopters',
    body: [
      'Dear {salutation},',
      'On {proposalDate} I proposed not to approve you as prospective adopters. Having considered {reviewConsidered}, I have decided on {decisionDate} that you are suitable to adopt a child.',
      'My reasons: {reasons}',
      'Your social worker will talk to you about family finding and what happens next.',
    ],
  },
  'final.not_approved': {
    subject: 'Our final decision on your application to adopt',
    body: [
      'Dear {salutation},',
      'On {proposalDate} I proposed not to approve you as prospective adopters. Having considered {reviewConsidered}, I have decided on {decisionDate} that you are not suitable to adopt a child.',
      'My reasons: {reasons}',
      'If you would like to talk about this decision, please contact the agency. You may also make a complaint through our complaints procedure.',
    ],
  },
  'approval_review.approval_continues': {
    subject: 'The review of your approval as prospective adopters',
    body: [
      'Dear {salutation},',
      'The {panel} considered the review of your approval on {sittingDate}. Its recommendation was: {recommendation}.',
      'I have decided on {decisionDate} that your approval as prospective adopters continues.',
      'My reasons: {reasons}',
    ],
  },
  'approval_review.approval_ended': {
    subject: 'The review of your approval as prospective adopters',
    body: [
      'Dear {salutation},',
      'The {panel} considered the review of your approval on {sittingDate}. Its recommendation was: {recommendation}.',
      'I have decided on {decisionDate} that your approval as prospective adopters ends.',
      'My reasons: {reasons}',
      'If you would like to talk about this decision, please contact your social worker. You may also make a complaint through our complaints procedure.',
    ],
  },
  'match.match_agreed': {
    subject: 'The decision on the proposed match',
    body: [
      'Dear {salutation},',
      'The {panel} considered on {sittingDate} the proposal that {childFirstName} should be placed with you. Its recommendation was: {recommendation}.',
      'As agency decision maker for {deciderOrganisation}, I have decided on {decisionDate} to agree the match.',
      'My reasons: {reasons}',
      'Your social worker and {childFirstName}’s social worker will now plan the introductions and the move with you.',
    ],
  },
  'match.match_not_agreed': {
    subject: 'The decision on the proposed match',
    body: [
      'Dear {salutation},',
      'The {panel} considered on {sittingDate} the proposal that {childFirstName} should be placed with you. Its recommendation was: {recommendation}.',
      'As agency decision maker for {deciderOrganisation}, I have decided on {decisionDate} not to agree the match.',
      'My reasons: {reasons}',
      'Your social worker will talk to you about what this means and what happens next.',
    ],
  },
  'relinquished_plan.should_be_placed': {
    subject: 'Agency decision: the plan for {childFirstName} (reference {reference})',
    body: [
      'Dear {salutation},',
      'The {panel} considered on {sittingDate} the plan for {childFirstName}, whose parents have asked for them to be placed for adoption. Its recommendation was: {recommendation}.',
      'As agency decision maker for {deciderOrganisation}, I have decided on {decisionDate} that {childFirstName} should be placed for adoption.',
      'My reasons: {reasons}',
    ],
  },
  'relinquished_plan.should_not_be_placed': {
    subject: 'Agency decision: the plan for {childFirstName} (reference {reference})',
    body: [
      'Dear {salutation},',
      'The {panel} considered on {sittingDate} the plan for {childFirstName}. Its recommendation was: {recommendation}.',
      'As agency decision maker for {deciderOrganisation}, I have decided on {decisionDate} that {childFirstName} should not be placed for adoption.',
      'My reasons: {reasons}',
    ],
  },
};

export interface LetterValues {
  /** Who the letter goes to, one name a line, then their address lines. */
  addressee: string[];
  address: string[];
  salutation: string;
  reference: string;
  agencyName: string;
  panel: string;
  sittingDate: IsoDate;
  decisionDate: IsoDate;
  recommendation: string;
  reasons: string;
  deciderName: string;
  deciderOrganisation: string;
  childFirstName?: string;
  representationsDue?: IsoDate;
  proposalDate?: IsoDate;
  reviewConsidered?: string;
}

const dateValues = new Set(['sittingDate', 'decisionDate', 'representationsDue', 'proposalDate']);

/** Fills {placeholders}; a paragraph naming a value the letter does not have is dropped. */
export function fillTemplate(
  template: LetterTemplate,
  values: LetterValues,
): { subject: string; paragraphs: string[] } {
  const lookup = (name: string): string | undefined => {
    const value = (values as unknown as Record<string, unknown>)[name];
    if (typeof value !== 'string' || value === '') return undefined;
    return dateValues.has(name) ? longDate(value) : value;
  };
  const fill = (text: string): string | undefined => {
    let missing = false;
    const filled = text.replace(/\{(\w+)\}/g, (_all, name: string) => {
      const value = lookup(name);
      if (value === undefined) missing = true;
      return value ?? '';
    });
    return missing ? undefined : filled;
  };
  return {
    subject: fill(template.subject) ?? template.subject.replace(/\{\w+\}/g, '').trim(),
    paragraphs: template.body.map(fill).filter((p): p is string => p !== undefined),
  };
}

/** The letter as a PDF: the agency's heading, the address, the date and reference, the body, the signature. */
export function renderLetterPdf(templateKey: LetterTemplateKey, values: LetterValues): Promise<Buffer> {
  const { subject, paragraphs } = fillTemplate(letterTemplates[templateKey], values);
  const doc = new PDFDocument({
    size: 'A4',
    margin: 64,
    info: { Title: subject, Author: values.deciderOrganisation, Subject: subject, Creator: 'Kindred' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.font('Helvetica-Bold').fontSize(14).text(values.agencyName);
  doc.moveDown(2);
  doc.font('Helvetica').fontSize(11);
  for (const line of [...values.addressee, ...values.address]) doc.text(line);
  doc.moveDown();
  doc.text(longDate(values.decisionDate));
  doc.text(`Our reference: ${values.reference}`);
  doc.moveDown();
  doc.font('Helvetica-Bold').text(subject);
  doc.moveDown(0.5);
  doc.font('Helvetica');
  for (const paragraph of paragraphs) {
    doc.text(paragraph, { align: 'left' });
    doc.moveDown(0.6);
  }
  doc.moveDown();
  doc.text('Yours sincerely,');
  doc.moveDown(2);
  doc.text(values.deciderName);
  doc.text(`Agency decision maker, ${values.deciderOrganisation}`);
  doc.end();
  return finished;
}

/** "letter-ABCD-EFGH-2026-03-04.pdf": no names in the file name (it travels in downloads folders). */
export function letterFileName(reference: string, decisionDate: IsoDate, final: boolean): string {
  const safe = reference.replace(/[^A-Za-z0-9-]/g, '').slice(0, 40) || 'decision';
  return `${final ? 'final-decision' : 'decision'}-${safe}-${decisionDate}.pdf`;
}
