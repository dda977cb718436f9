// The emails account recovery sends: plain text in the GOV.UK Notify style (short sentences, the
// link on a line of its own, what to do if it was not you). They carry a link and nothing about
// anyone's cases; the link is the only secret and works once (security.md P27).
import type { OutgoingMail } from '../../../platform/mail/mailer.js';
import { formatDateTime } from '../../../platform/views/render.js';

const signOff = 'Kindred';

export function invitationEmail(options: {
  to: string;
  organisationName: string;
  link: string;
  expiresAt: Date;
}): OutgoingMail {
  return {
    to: options.to,
    subject: 'You have been invited to use Kindred',
    text: [
      `You have been given an account on Kindred, the adoption case system used by ${options.organisationName}.`,
      'To accept, open this link and choose a password:',
      options.link,
      `The link works once. It expires on ${formatDateTime(options.expiresAt)}.`,
      'After you choose a password you will sign in and set up an authenticator app on your phone.',
      'If you were not expecting this email, you do not need to do anything. Tell your manager if you keep getting these emails.',
      signOff,
    ].join('\n\n'),
  };
}

export function passwordResetEmail(options: { to: string; link: string }): OutgoingMail {
  return {
    to: options.to,
    subject: 'Reset your Kindred password',
    text: [
      'Someone asked to reset the password for your Kindred account.',
      'To choose a new password, open this link:',
      options.link,
      'The link works once and expires in 1 hour.',
      'If you did not ask to reset your password, you do not need to do anything: your password has not changed. Tell your manager or system administrator if you keep getting these emails.',
      signOff,
    ].join('\n\n'),
  };
}

export function passwordChangedEmail(options: { to: string; when: Date }): OutgoingMail {
  return {
    to: options.to,
    subject: 'Your Kindred password has been changed',
    text: [
      `The password for your Kindred account was changed on ${formatDateTime(options.when)}. You have been signed out everywhere.`,
      'If you did not do this, contact your system administrator straight away.',
      signOff,
    ].join('\n\n'),
  };
}
