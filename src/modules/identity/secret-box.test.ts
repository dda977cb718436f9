import { describe, expect, it } from 'vitest';
import { secretBox } from './secret-box.js';

const secret = 'a-test-secret-of-reasonable-length-0123456789';

describe('secrets sealed at rest with AES-256-GCM under an HKDF key (ASVS v5.0.0-11.3.2)', () => {
  it('opens what it sealed, with a fresh nonce each time', () => {
    const box = secretBox(secret, 'totp-v1');
    const first = box.seal('JBSWY3DPEHPK3PXP');
    const second = box.seal('JBSWY3DPEHPK3PXP');
    expect(first).not.toBe(second);
    expect(first).not.toContain('JBSWY3DPEHPK3PXP');
    expect(box.open(first)).toBe('JBSWY3DPEHPK3PXP');
  });

  it('refuses a sealed value that was altered, or sealed for another purpose or secret', () => {
    const sealed = secretBox(secret, 'totp-v1').seal('JBSWY3DPEHPK3PXP');
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3]!, 'base64url');
    body[0]! ^= 1;
    const tampered = [parts[0], parts[1], parts[2], body.toString('base64url')].join('.');
    expect(() => secretBox(secret, 'totp-v1').open(tampered)).toThrow();
    expect(() => secretBox(secret, 'oidc-client-v1').open(sealed)).toThrow();
    expect(() => secretBox(`${secret}x`, 'totp-v1').open(sealed)).toThrow();
    expect(() => secretBox(secret, 'totp-v1').open('v2.a.b.c')).toThrow('Unreadable sealed secret');
  });
});
