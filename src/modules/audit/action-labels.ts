// Audit actions in plain words for the "who has seen this record" page (security.md LG-6). Actions
// are dotted names chosen by each module; the known ones read as sentences, new ones by their
// verb ("child.view" → "Viewed"), and anything else shows as written rather than being hidden.
import type { AuditOutcome } from '../../platform/audit/audit.js';

const actionLabels: Record<string, string> = {
  'access.route': 'Tried to open a page',
  'audit.record-access.view': 'Looked at who has seen this record',
  'auth.sign-in': 'Signed in',
  'auth.password': 'Entered a password',
  'auth.second-factor': 'Entered a second-factor code',
  'auth.second-factor.enrol': 'Set up an authenticator app',
  'auth.sign-out': 'Signed out',
  'auth.sign-out-everywhere': 'Signed out on every device',
  'region.load': 'Loaded the region file',
  'user.view': 'Viewed the account',
  'user.invite': 'Invited the user',
  'user.roles.change': 'Changed roles',
  'user.deactivate': 'Deactivated the account',
  'user.reactivate': 'Reactivated the account',
  'user.second-factor.reset': 'Reset the second factor',
  'user.invite.resend': 'Sent the invitation again',
  'user.invitation.accept': 'Accepted the invitation and set a password',
  'auth.password-reset.request': 'Asked for a password reset link',
  'auth.password-reset': 'Reset their password',
  'auth.sso': 'Signed in through their organisation',
  'sso.configure': 'Configured single sign-on for the organisation',
  'sso.link': 'Linked the account to the organisation’s sign-in',
  'child.journey.record': 'Added a date to the journey',
  'child.journey.correct': 'Corrected a date in the journey',
  'child.family-finder.allocate': 'Allocated a family finder',
  'child.siblings.link': 'Linked a sibling',
  'child.birth-family.view': 'Viewed the birth family details',
  'child.birth-family.update': 'Changed the birth family details',
  'child.profile.view': 'Viewed the family-finding profile',
  'child.profile.update': 'Changed the family-finding profile',
  'child.photo.upload': 'Added a photo',
  'child.photo.view': 'Viewed a photo',
  'children.board.view': 'Looked at the tracking board',
  'children.export': 'Downloaded the tracking board as CSV',
  'enquiry.create': 'Sent an enquiry about adopting',
  'enquiry.triage': 'Recorded what happened with the enquiry',
  'enquiries.queue.view': 'Looked at the enquiries',
  'enquiry.minimise': 'Removed contact details and notes (retention)',
  'enquiry.delete': 'Deleted the enquiry (retention)',
  'adopters.funnel.view': 'Looked at the conversion funnel',
  'adopters.funnel.export': 'Downloaded the conversion funnel as CSV',
  'adopter-event.create': 'Created an event',
  'adopter-event.view': 'Viewed an event',
  'adopter-event.session.create': 'Added a session to an event',
  'adopter-event.bookings.view': 'Looked at the booking list',
  'adopter-event.attendance': 'Recorded attendance',
  'adopter-event.invite': 'Invited to an event',
  'adopter-event.book': 'Booked onto an event',
  'adopter-event.cancel': 'Cancelled a booking',
  'adopter-event.promote': 'Given a place from the waiting list',
  'matching.candidates.child': 'Looked at families who might fit the child',
  'matching.candidates.household': 'Looked at children who might fit the household',
  'matching.compare': 'Compared families for the child',
  'matching.link.shortlist': 'Shortlisted a family for the child',
  'matching.link.move': 'Moved a link on',
  'matching.link.close': 'Closed a link',
  'matching.link.view': 'Looked at a link',
  'matching.family-finding.view': 'Looked at the links and family-finding log',
  'matching.activity.record': 'Logged family-finding activity',
  'matching.exclusion.add': "Excluded the household from a council's searches",
  'matching.weights.change': 'Changed the matching weights',
  'matching.sufficiency.view': 'Looked at sufficiency',
  'matching.sufficiency.export': 'Downloaded the sufficiency CSV',
  'child.matching.view': 'Looked at the matching considerations',
  'child.matching.change': 'Changed the matching considerations',
  'household.create': 'Recorded the registration of interest',
  'household.view': 'Viewed the household',
  'household.update': 'Changed the household details',
  'household.applicant.update': "Changed an applicant's details",
  'household.journey.record': 'Recorded a step in the assessment',
  'household.journey.correct': 'Corrected a step in the assessment',
  'households.list.view': 'Looked at the prospective adopters',
  'household.council-check.view': 'Council looked at a check addressed to it',
  'household.council-check.answer': 'Council recorded its answer to a check',
  'task.take': 'Took a task',
  'task.complete': 'Marked a task as done',
};

const verbLabels: Record<string, string> = {
  view: 'Viewed',
  create: 'Created',
  update: 'Changed',
  change: 'Changed',
  correct: 'Corrected',
  delete: 'Deleted',
  export: 'Exported',
  print: 'Printed',
  download: 'Downloaded',
  upload: 'Uploaded',
  share: 'Shared',
  disclose: 'Disclosed',
};

export function describeAction(action: string): string {
  const known = actionLabels[action];
  if (known) return known;
  const verb = verbLabels[action.split('.').at(-1) ?? ''];
  return verb ?? action;
}

export const outcomeLabels: Record<AuditOutcome, string> = {
  success: 'Done',
  denied: 'Refused',
  failed: 'Failed',
};

const subjectTypeLabels: Record<string, string> = {
  child: 'Child',
  adopter: 'Adopter',
  household: 'Prospective adopters',
  enquiry: 'Enquiry about adopting',
  user: 'Staff account',
  organisation: 'Organisation',
};

export function describeSubjectType(subjectType: string): string {
  const known = subjectTypeLabels[subjectType];
  if (known) return known;
  const words = subjectType.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
