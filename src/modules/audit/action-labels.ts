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
  user: 'Staff account',
  organisation: 'Organisation',
};

export function describeSubjectType(subjectType: string): string {
  const known = subjectTypeLabels[subjectType];
  if (known) return known;
  const words = subjectType.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
