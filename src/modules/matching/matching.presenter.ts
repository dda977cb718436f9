// View-models for the matching pages: what a family finder reads, never raw rows. A household is
// described without identifying details unless the service says this viewer may know who it is.
import { formatDate } from '../../platform/views/render.js';
import { ethnicityCodes, needAreaLabels, type EthnicityCode } from '../children/child-codes.js';
import { relationshipStatuses, type RelationshipStatus } from '../adopters/households.tables.js';
import type { MatchResult } from './compatibility.js';
import { contactKindLabels, type MatchingHousehold } from './matching-profiles.js';
import type { HouseholdCandidate } from './matching.service.js';
import { linkStateLabels } from './linking.service.js';
import type { LinkState } from './matching.tables.js';

export function offerSummary(h: MatchingHousehold): string {
  const ages =
    h.ageFrom !== null && h.ageTo !== null
      ? `ages ${h.ageFrom}–${h.ageTo}`
      : h.ageFrom !== null
        ? `ages ${h.ageFrom} and over`
        : h.ageTo !== null
          ? `ages up to ${h.ageTo}`
          : 'any age';
  const children = h.maxChildren
    ? `up to ${h.maxChildren} ${h.maxChildren === 1 ? 'child' : 'children'}`
    : '';
  const siblings = h.siblingGroups ? 'sibling groups' : 'no sibling groups';
  return [ages, children, siblings, h.earlyPermanence ? 'early permanence' : ''].filter(Boolean).join(', ');
}

const list = (items: readonly string[]) => (items.length ? items.join(', ') : 'None recorded');

export function householdFacts(h: MatchingHousehold, relationshipStatus: string) {
  return [
    {
      label: 'Household',
      value: relationshipStatuses[relationshipStatus as RelationshipStatus] ?? relationshipStatus,
    },
    { label: 'Can offer', value: offerSummary(h) },
    { label: 'Needs they can meet', value: list(h.needsCanMeet.map((a) => needAreaLabels[a])) },
    { label: 'Needs they cannot meet', value: list(h.needsCannotMeet.map((a) => needAreaLabels[a])) },
    { label: 'Contact they would support', value: list(h.contactSupported.map((c) => contactKindLabels[c])) },
    {
      label: 'Heritage',
      value: list([...new Set(h.ethnicities)].map((e) => ethnicityCodes[e as EthnicityCode] ?? e)),
    },
    { label: 'Religion', value: list([...new Set(h.religions)]) },
    { label: 'Languages', value: list(h.languages) },
  ];
}

export function scoreTag(result: MatchResult) {
  if (!result.compatible) return { text: 'Does not fit', classes: 'govuk-tag--red' };
  if (result.score >= 75) return { text: `${result.score}`, classes: 'govuk-tag--green' };
  if (result.score >= 50) return { text: `${result.score}`, classes: 'govuk-tag--yellow' };
  return { text: `${result.score}`, classes: 'govuk-tag--grey' };
}

export function presentCandidate(candidate: HouseholdCandidate, childId: string) {
  return {
    id: candidate.household.id,
    title: candidate.identity?.applicantNames.length
      ? candidate.identity.applicantNames.join(' and ')
      : `Household ${candidate.reference}`,
    reference: candidate.reference,
    identified: !!candidate.identity,
    agencyName: candidate.agencyName,
    interagencyFee: candidate.interagencyFee,
    score: scoreTag(candidate.result),
    compatible: candidate.result.compatible,
    summary: candidate.result.summary,
    blockers: candidate.result.blockers,
    reasons: candidate.result.reasons,
    offer: offerSummary(candidate.household),
    approvedSince: candidate.approvedSince ? formatDate(candidate.approvedSince) : null,
    link: candidate.link
      ? { href: `/links/${candidate.link.id}`, state: linkStateLabels[candidate.link.state as LinkState] }
      : null,
    spokenFor: candidate.spokenFor,
    facts: householdFacts(candidate.household, candidate.relationshipStatus),
    compareValue: candidate.household.id,
    childId,
  };
}
