// AU-1 and P27 (security.md): which ID tokens count as evidence of a second factor. Method names
// are RFC 8176 §2's.
import { describe, expect, it } from 'vitest';
import { checkMfaEvidence, type MfaPolicy, type MfaVerdict } from './mfa-evidence.js';

const required: MfaPolicy = { requireMfa: true, requiredAcr: null };
const withAcr: MfaPolicy = { requireMfa: true, requiredAcr: 'urn:council:loa:mfa' };
const notRequired: MfaPolicy = { requireMfa: false, requiredAcr: null };
const accepted: MfaVerdict = { ok: true };
const noSecondFactor: MfaVerdict = { ok: false, problem: 'no-second-factor' };
const phoneFactor: MfaVerdict = { ok: false, problem: 'phone-factor' };

const cases: Array<[string, { amr?: unknown; acr?: unknown }, MfaPolicy, MfaVerdict]> = [
  ['AU-1: password and "mfa"', { amr: ['pwd', 'mfa'] }, required, accepted],
  ['AU-1: a one-time password from an authenticator app', { amr: ['pwd', 'otp'] }, required, accepted],
  ['AU-1: a hardware key', { amr: ['hwk'] }, required, accepted],
  ['AU-1: a password alone', { amr: ['pwd'] }, required, noSecondFactor],
  ['AU-1: no amr at all', {}, required, noSecondFactor],
  ['AU-1: amr that is not a list', { amr: 'mfa' }, required, noSecondFactor],
  ['AU-1: a PIN or a software key alone', { amr: ['pin', 'swk'] }, required, noSecondFactor],
  ['P27: "mfa" by text message', { amr: ['pwd', 'sms', 'mfa'] }, required, phoneFactor],
  ['P27: "mfa" by phone call', { amr: ['pwd', 'tel', 'mfa'] }, required, phoneFactor],
  ['P27: an authenticator app beside a text message', { amr: ['pwd', 'sms', 'otp'] }, required, accepted],
  ['AU-1: the configured acr', { amr: ['pwd'], acr: 'urn:council:loa:mfa' }, withAcr, accepted],
  ['AU-1: another acr', { amr: ['pwd'], acr: 'urn:council:loa:low' }, withAcr, noSecondFactor],
  ['AU-1: an acr when none is configured', { acr: 'urn:council:loa:mfa' }, required, noSecondFactor],
  [
    'P27: the configured acr with a text message',
    { amr: ['sms'], acr: 'urn:council:loa:mfa' },
    withAcr,
    phoneFactor,
  ],
  ['AU-1: a provider configured not to report MFA', { amr: ['pwd'] }, notRequired, accepted],
];

describe('evidence of a second factor in an ID token (AU-1, P27)', () => {
  it.each(cases)('%s', (_name, claims, policy, verdict) => {
    expect(checkMfaEvidence(claims, policy)).toEqual(verdict);
  });
});
