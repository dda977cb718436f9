import { generate } from 'otplib';
import { describe, expect, it } from 'vitest';
import {
  checkTotp,
  hashRecoveryCode,
  newRecoveryCodes,
  newTotpSecret,
  normaliseCode,
  qrCodeSvg,
  recoveryCodeCount,
  totpUri,
} from './two-factor.js';

const secret = newTotpSecret();
// 30-second steps; a moment in the middle of step `base`.
const base = 58_000_000;
const at = (step: number, seconds = 15) => new Date((step * 30 + seconds) * 1000);
const codeAt = (step: number) => generate({ secret, epoch: step * 30 + 15 });

describe('TOTP second factor (AU-1, RFC 6238)', () => {
  it.each([
    [-2, false],
    [-1, true],
    [0, true],
    [1, true],
    [2, false],
  ])('accepts a code from %i steps away: %s (one step either side for clock drift)', async (offset, ok) => {
    const result = await checkTotp(secret, await codeAt(base + offset), at(base), null);
    expect(result.valid).toBe(ok);
    if (result.valid) expect(result.timeStep).toBe(base + offset);
  });

  it('refuses a code whose step is at or before the last one accepted, so none is used twice', async () => {
    const code = await codeAt(base);
    expect(await checkTotp(secret, code, at(base), base)).toEqual({ valid: false });
    expect(await checkTotp(secret, code, at(base), base - 1)).toEqual({ valid: true, timeStep: base });
    expect((await checkTotp(secret, await codeAt(base - 1), at(base), base - 1)).valid).toBe(false);
  });

  it.each(['', '12345', '1234567', 'abcdef', '12 34 5x', '١٢٣٤٥٦'])(
    'refuses the malformed code %j',
    async (code) => {
      expect(await checkTotp(secret, code, at(base), null)).toEqual({ valid: false });
    },
  );

  it('accepts a code pasted with spaces or a hyphen (WCAG 2.2 SC 3.3.8)', async () => {
    const code = await codeAt(base);
    const spaced = `${code.slice(0, 3)} ${code.slice(3)}`;
    expect((await checkTotp(secret, ` ${spaced} `, at(base), null)).valid).toBe(true);
    expect(normaliseCode('123-456')).toBe('123456');
  });

  it('makes 160-bit secrets, an otpauth URI naming Kindred, and an SVG QR code without script', async () => {
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(newTotpSecret()).not.toBe(secret);
    const uri = totpUri(secret, 'sam@example.test');
    expect(uri).toMatch(/^otpauth:\/\/totp\/Kindred:sam%40example\.test\?/);
    expect(uri).toContain(`secret=${secret}`);
    const svg = await qrCodeSvg(uri);
    expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).not.toMatch(/<script|on\w+=/i);
  });
});

describe('recovery codes (AU-1)', () => {
  it('makes ten distinct codes like k7q2m-x9d4p without look-alike characters', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(recoveryCodeCount);
    expect(new Set(codes).size).toBe(recoveryCodeCount);
    for (const code of codes) expect(code).toMatch(/^[a-hjkmnp-z2-9]{5}-[a-hjkmnp-z2-9]{5}$/);
  });

  it('hashes a code the same however it is typed, and never stores it as written', () => {
    const [code] = newRecoveryCodes();
    const hash = hashRecoveryCode(code!);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(code!.replace('-', ''));
    expect(hashRecoveryCode(code!.toUpperCase().replace('-', ' '))).toBe(hash);
    expect(hashRecoveryCode(newRecoveryCodes()[0]!)).not.toBe(hash);
  });
});
