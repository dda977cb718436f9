// Whether an organisation's provider showed that the person used a second factor (security.md
// AU-1; ASVS v5.0.0-6.8.4). The evidence is the ID token's `amr` (method names from RFC 8176 §2)
// or an `acr` value the organisation has told us means "signed in with a second factor".

export interface MfaPolicy {
  /** False only for a provider that enforces MFA itself but does not report it. */
  requireMfa: boolean;
  /** An `acr` value that the organisation's provider sends only after a second factor. */
  requiredAcr: string | null;
}

export type MfaVerdict =
  { ok: true } | { ok: false; problem: 'no-second-factor' } | { ok: false; problem: 'phone-factor' };

// RFC 8176: "otp" (HOTP/TOTP) and "hwk" (a hardware key) are second factors in themselves; "mfa"
// says that more than one was used without saying which.
const strongMethods = new Set(['otp', 'hwk']);
// A code by text message or phone call is not accepted as the second factor (security.md P27;
// ASVS v5.0.0-6.6.1, 6.3.6 at L3), so "mfa" beside "sms" or "tel" is not enough.
const phoneMethods = new Set(['sms', 'tel']);

export function checkMfaEvidence(claims: { amr?: unknown; acr?: unknown }, policy: MfaPolicy): MfaVerdict {
  if (!policy.requireMfa) return { ok: true };
  const amr = Array.isArray(claims.amr)
    ? claims.amr.filter((method): method is string => typeof method === 'string')
    : [];
  if (amr.some((method) => strongMethods.has(method))) return { ok: true };
  if (amr.some((method) => phoneMethods.has(method))) return { ok: false, problem: 'phone-factor' };
  if (amr.includes('mfa')) return { ok: true };
  if (policy.requiredAcr !== null && claims.acr === policy.requiredAcr) return { ok: true };
  return { ok: false, problem: 'no-second-factor' };
}
