// The forms for account recovery: "forgot password" and choosing a password from an invitation
// or reset link. Oversized, malformed or hostile input is refused with a message for the field,
// never a 500 (issue 3 §9).
import { z } from 'zod';
import { cleanText } from '../../../platform/http/validation.js';
import { maximumPasswordLength } from '../passwords.js';

/** An email address as typed: tidied, lower-cased (accounts are stored lower-case), at most 254 characters (RFC 5321). */
export const emailAddressField = (missing: string) =>
  z
    .string({ error: missing })
    .max(254, 'Email address must be 254 characters or fewer')
    .transform((value) => cleanText(value).toLowerCase())
    .pipe(
      z
        .string()
        .min(1, missing)
        .pipe(z.email('Enter an email address in the correct format, like name@example.com')),
    );

export const forgotPasswordSchema = z.object({
  email: emailAddressField('Enter your email address'),
});

// eslint-disable-next-line no-control-regex
const unrepeatable = /[\u0000-\u001F\u007F\uFFFD]/;

/**
 * A new password: any characters a person can type, including spaces and emoji (NCSC; ASVS
 * v5.0.0-6.2.9), but not text that is not valid Unicode, contains control characters, or holds
 * U+FFFD (the mark of bytes garbled on the way here): none would survive being typed again.
 * The policy itself (length, common passwords, personal details) is `passwordPolicyProblem`.
 */
export const newPasswordSchema = z.object({
  password: z
    .string({ error: 'Enter a password' })
    .max(maximumPasswordLength, `Password must be ${maximumPasswordLength} characters or fewer`)
    .refine((value) => value.isWellFormed() && !unrepeatable.test(value), {
      message: 'Password must only include characters you can type',
    }),
});
