import { createHash } from 'node:crypto';
import argon2 from 'argon2';
import { describe, expect, it } from 'vitest';
import { demoPassword } from './demo-users.js';
import {
  hashPassword,
  maximumPasswordLength,
  minimumPasswordLength,
  passwordPolicyProblem,
  verifyAgainstDummy,
  verifyPassword,
} from './passwords.js';

const common = 'Choose a password that is harder to guess: this one is on a list of commonly used passwords';
const pattern = 'Choose a password that is harder to guess: avoid repeated characters and keyboard patterns';
const personal = 'Choose a password that does not include your name or email address';
const service = 'Choose a password that is harder to guess: do not build it from the name of this service';
// 256 characters with no pattern: the longest password accepted.
const longest = createHash('sha512')
  .update('kindred')
  .digest('base64')
  .repeat(3)
  .slice(0, maximumPasswordLength);
const person = { email: 'priya.raman@lewisham.example', name: 'Priya Raman' };

describe('password policy (AU-2: NCSC guidance, ASVS v5.0.0-6.2.1..6.2.12)', () => {
  it.each([
    // Length: 12 or more (NCSC, stricter than ASVS's 8), up to 256, counted in characters.
    ['', 'Enter a password'],
    ['short pass', `Password must be ${minimumPasswordLength} characters or more`],
    ['x'.repeat(maximumPasswordLength + 1), `Password must be ${maximumPasswordLength} characters or fewer`],
    // On the deny-list (Mozilla's list from the 10-million-password breach corpus), in any case.
    ['password1234', common],
    ['PASSWORD1234', common],
    ['123456789012', common],
    ['1qaz2wsx3edc', common],
    ['passwordpassword', common],
    // A listed password with digits or symbols bolted on either end.
    ['football1234', common],
    ['!!sunshine2024', common],
    // Patterns attackers try early.
    ['aaaaaaaaaaaa', common],
    ['fffffffffffff7', pattern],
    ['abababababab', pattern],
    ['monkeymonkey', pattern],
    ['trustno1trustno1', pattern],
    ['qwertyuiopas', pattern],
    ['zyxwvutsrqpo', pattern],
    ['0987654321098', pattern],
    // The person's own name or email address.
    ['priya-likes-long-walks', personal],
    ['my raman family 1984', personal],
    ['PRIYA.RAMAN rules ok', personal],
    // The service's own name, with or without digits.
    ['kindred kindred', service],
    ['Kindred12345!', service],
    ['adoption-adoption', service],
    // Acceptable: long, unusual; no composition rules, so spaces, emoji and any script are fine.
    ['correct horse battery staple', null],
    ['three random words: kettle lighthouse marmalade', null],
    ['🦊 fox in the snow 🦊', null],
    ['ŁÓDŹ w deszczu nocą', null],
    [longest, null],
    [demoPassword, null],
  ] as const)('%j → %j', (password, problem) => {
    expect(passwordPolicyProblem(password, person)).toBe(problem);
  });

  it('ignores name parts too short to matter', () => {
    expect(passwordPolicyProblem('al wandered off quietly', { name: 'Al Li', email: 'al@x.example' })).toBe(
      null,
    );
  });

  it('says what to do, in one plain sentence without a full stop (GOV.UK error message style)', () => {
    for (const password of ['', 'short', 'password1234', 'aaaaaaaaaaaa', 'priya raman 2024']) {
      const message = passwordPolicyProblem(password, person);
      expect(message).toMatch(/^[A-Z][^.]*[a-z0-9]$/);
    }
  });
});

describe('password storage (AU-2: OWASP Password Storage Cheat Sheet)', () => {
  it('stores argon2id with m=19456 KiB, t=2, p=1 and a fresh salt each time', async () => {
    const first = await hashPassword('correct horse battery staple');
    const second = await hashPassword('correct horse battery staple');
    const parameters = /^\$argon2id\$v=19\$([^$]+)\$/.exec(first)?.[1]?.split(',').sort();
    expect(parameters).toEqual(['m=19456', 'p=1', 't=2']);
    expect(first).not.toBe(second);
    expect(argon2.needsRehash(first, { memoryCost: 19_456, timeCost: 2, parallelism: 1 })).toBe(false);
  });

  it('verifies the right password only, and treats an unreadable hash as a mismatch', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(await verifyPassword(hash, 'correct horse battery staple')).toBe(true);
    expect(await verifyPassword(hash, 'Correct horse battery staple')).toBe(false);
    expect(await verifyPassword('not a hash', 'anything')).toBe(false);
  });

  it('always says no for the dummy check used for unknown email addresses (AU-3)', async () => {
    expect(await verifyAgainstDummy('kindred-dummy-password-for-timing')).toBe(false);
  });
});
