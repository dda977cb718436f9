// Words and shapes for the support pages: labels for codes, names, money and months.
import { formatDate } from '../../platform/views/render.js';
import type { PeriodStatus } from './support-rules.js';
import type {
  AssessmentOutcome,
  CaseKind,
  FundCategory,
  GoalResponsible,
  GoalStatus,
  LiaisonKind,
  PersonRelationship,
  ReferralSource,
} from './support.tables.js';
import { monthNames } from '../../platform/time/index.js';

export const supportPaths = {
  caseload: '/support',
  newCase: '/support/cases/new',
  cases: '/support/cases',
  case: (id: string, done?: string): string => `/support/cases/${id}${done ? `?done=${done}` : ''}`,
  editCase: (id: string): string => `/support/cases/${id}/edit`,
  children: (id: string): string => `/support/cases/${id}/children`,
  assessments: (id: string): string => `/support/cases/${id}/assessments`,
  assessment: (id: string): string => `/support/assessments/${id}`,
  plans: (id: string): string => `/support/cases/${id}/plans`,
  planReview: (id: string): string => `/support/plans/${id}/review`,
  liaison: (id: string): string => `/support/cases/${id}/liaison`,
  councilLiaison: '/support/liaison',
  councilLiaisonCase: (id: string): string => `/support/liaison/cases/${id}`,
  newFund: (caseId: string): string => `/support/cases/${caseId}/fund/new`,
  fundCreate: (caseId: string): string => `/support/cases/${caseId}/fund`,
  fund: (id: string, done?: string): string => `/support/fund/${id}${done ? `?done=${done}` : ''}`,
  spend: '/support/spend',
  spendCsv: '/support/spend.csv',
  offer: '/support/offer',
  offerItem: (id: string, done?: string): string => `/support/offer/${id}${done ? `?done=${done}` : ''}`,
  attendance: (id: string): string => `/support/offer/${id}/attendance`,
  newAgreement: (caseId: string): string => `/support/cases/${caseId}/letterbox/new`,
  agreementCreate: (caseId: string): string => `/support/cases/${caseId}/letterbox`,
  agreement: (id: string, done?: string): string => `/support/letterbox/${id}${done ? `?done=${done}` : ''}`,
  endAgreement: (id: string): string => `/support/letterbox/${id}/end`,
  items: (id: string): string => `/support/letterbox/${id}/items`,
  item: (id: string, done?: string): string => `/support/letterbox-items/${id}${done ? `?done=${done}` : ''}`,
  check: (id: string): string => `/support/letterbox-items/${id}/check`,
  hold: (id: string): string => `/support/letterbox-items/${id}/hold`,
  forward: (id: string): string => `/support/letterbox-items/${id}/forward`,
  acknowledge: (id: string): string => `/support/letterbox-items/${id}/acknowledge`,
  heldNotice: (id: string): string => `/support/letterbox-items/${id}/held-notice`,
  output: (id: string): string => `/support/letterbox-outputs/${id}`,
  records: (caseId: string): string => `/support/cases/${caseId}/records`,
  record: (id: string, done?: string): string => `/support/records/${id}${done ? `?done=${done}` : ''}`,
  recordChecks: (id: string): string => `/support/records/${id}/checks`,
  recordOutcome: (id: string): string => `/support/records/${id}/outcome`,
};

export const caseKindLabels: Record<CaseKind, string> = {
  adoptive_family: 'Adoptive family',
  adopted_adult: 'Adopted adult',
  birth_relative: 'Birth relative',
};

export const referralSourceLabels: Record<ReferralSource, string> = {
  self: 'They asked us themselves',
  council: 'A council',
  school: 'A school',
  health: 'Health services',
  other_agency: 'Another agency',
  other: 'Somewhere else',
};

export const relationshipLabels: Record<PersonRelationship, string> = {
  adopted_adult: 'Adopted adult',
  birth_mother: 'Birth mother',
  birth_father: 'Birth father',
  birth_sibling: 'Birth brother or sister',
  birth_grandparent: 'Birth grandparent',
  other_birth_relative: 'Other birth relative',
};

export const assessmentOutcomeLabels: Record<AssessmentOutcome, string> = {
  services_to_be_provided: 'Support to be provided: a plan follows',
  no_services_needed: 'No support services needed',
  signposted: 'Signposted to other services',
};

export const goalResponsibleLabels: Record<GoalResponsible, string> = {
  raa: 'The RAA',
  council: 'The council',
  provider: 'A commissioned provider',
  family: 'The family',
};

export const goalStatusLabels: Record<GoalStatus, string> = {
  open: 'Open',
  met: 'Met',
  not_met: 'Not met',
  no_longer_needed: 'No longer needed',
};

export const liaisonKindLabels: Record<LiaisonKind, string> = {
  general: 'General liaison',
  section_47: 'Safeguarding: section 47 enquiry',
  services_split: 'Which services the RAA and the council provide',
  adoption_specific_work: 'Adoption-specific work (life story work, the fund)',
};

export const fundCategoryLabels: Record<FundCategory, string> = {
  therapy: 'Therapy',
  specialist_assessment: 'Specialist assessment',
};

export const periodStatusTags: Record<PeriodStatus, { text: string; classes: string }> = {
  received: { text: 'Received', classes: 'govuk-tag--green' },
  missed: { text: 'Missed', classes: 'govuk-tag--red' },
  due: { text: 'Due', classes: 'govuk-tag--yellow' },
  upcoming: { text: 'Upcoming', classes: 'govuk-tag--grey' },
};

export const monthName = (month: number): string => monthNames[month - 1] ?? String(month);

/** "March 2026" for an agreed month. */
export const monthYear = (period: string | null | undefined): string =>
  period ? formatDate(String(period)).replace(/^\d+ /, '') : '';

/** How a case is named on the RAA's pages: the family, or the person. */
export function caseName(
  row: {
    kind: CaseKind;
    family_name?: string | null;
    person_first_name?: string | null;
    person_last_name?: string | null;
  },
  householdPeople: string[] = [],
): string {
  if (row.kind === 'adoptive_family') {
    return row.family_name || (householdPeople.length ? householdPeople.join(' and ') : 'Adoptive family');
  }
  return [row.person_first_name, row.person_last_name].filter(Boolean).join(' ') || caseKindLabels[row.kind];
}

export const items = (labels: Record<string, string>, chosen: unknown, blank?: string) => [
  ...(blank !== undefined ? [{ value: '', text: blank, selected: !chosen }] : []),
  ...Object.entries(labels).map(([value, text]) => ({
    value,
    text,
    selected: value === chosen,
    checked: value === chosen,
  })),
];
