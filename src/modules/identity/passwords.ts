// Passwords: hashed with argon2id and judged by NCSC guidance — length and a deny-list of
// common passwords, no composition rules, paste allowed (NCSC "Password administration for
// system owners"; ASVS v5.0.0-6.2.1..6.2.12; security.md AU-2).
import argon2 from 'argon2';
import commonPasswords from 'fxa-common-password-list';

// OWASP Password Storage Cheat Sheet: argon2id, m=19 MiB, t=2, p=1 is the recommended minimum.
// bench/signin reports sign-ins per second with these; do not lower them for speed.
export const argon2Options = {
  type: argon2.argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

export const minimumPasswordLength = 12;
export const maximumPasswordLength = 256;

export function hashPassword(plain: string): Promise<string> {
  return argon2.hash(plain, argon2Options);
}

export async function verifyPassword(hash: string, plain: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, plain);
  } catch {
    return false;
  }
}

// A fixed hash to verify against when the email is unknown, so the response takes as long as
// for a real account and nobody can tell which addresses have accounts (AU-3).
let dummyHash: Promise<string> | undefined;
export async function verifyAgainstDummy(plain: string): Promise<false> {
  dummyHash ??= hashPassword('kindred-dummy-password-for-timing');
  await verifyPassword(await dummyHash, plain);
  return false;
}

const keyboardRuns = [
  'qwertyuiopasdfghjklzxcvbnm',
  'qwertzuiopasdfghjklyxcvbnm',
  'azertyuiopqsdfghjklmwxcvbn',
  '1234567890',
  'abcdefghijklmnopqrstuvwxyz',
];

function isRunOrRepeat(password: string): boolean {
  const lower = password.toLowerCase();
  if (new Set(lower).size <= 2) return true;
  // One short piece said again and again ("monkeymonkey", "abcabcabcabc").
  if (/^(.+)\1+$/su.test(lower)) return true;
  return keyboardRuns.some((run) => {
    const reversed = [...run].reverse().join('');
    return [run, `${run}${run}`, reversed, `${reversed}${reversed}`].some((r) => r.includes(lower));
  });
}

/**
 * A common password with digits or symbols stuck on either end ("football1234", "!sunshine99")
 * is nearly as easy to guess as the word itself: attackers try those first (NCSC; ASVS 6.2.11).
 */
function isDecoratedCommonPassword(lower: string): boolean {
  const core = lower.replace(/^[\d\p{P}\p{S}\s]+|[\d\p{P}\p{S}\s]+$/gu, '');
  return core.length > 0 && core !== lower && commonPasswords.test(core);
}

/** One GOV.UK-style sentence saying what is wrong with a new password, or null if it is acceptable. */
export function passwordPolicyProblem(
  plain: string,
  context: { email?: string; name?: string } = {},
): string | null {
  if (plain.length === 0) return 'Enter a password';
  if (plain.length < minimumPasswordLength)
    return `Password must be ${minimumPasswordLength} characters or more`;
  if (plain.length > maximumPasswordLength)
    return `Password must be ${maximumPasswordLength} characters or fewer`;
  const lower = plain.toLowerCase();
  if (commonPasswords.test(lower) || commonPasswords.test(plain) || isDecoratedCommonPassword(lower)) {
    return 'Choose a password that is harder to guess: this one is on a list of commonly used passwords';
  }
  if (isRunOrRepeat(plain))
    return 'Choose a password that is harder to guess: avoid repeated characters and keyboard patterns';
  const emailName = context.email?.split('@')[0]?.toLowerCase();
  const personal = [emailName, ...(context.name?.toLowerCase().split(/\s+/) ?? [])].filter(
    (part): part is string => !!part && part.length >= 3,
  );
  if (personal.some((part) => lower.includes(part))) {
    return 'Choose a password that does not include your name or email address';
  }
  // Words from the service's own world are the first an attacker tries (NCSC: context-specific words).
  if (/^(?:kindred|adoption|adopt|password)+$/.test(lower.replace(/[^a-z]/g, ''))) {
    return 'Choose a password that is harder to guess: do not build it from the name of this service';
  }
  return null;
}
