// The session cookie's name and token format, shared by sign-in, authentication and tests.
// Tokens are 256 random bits (security.md AU-4); only their SHA-256 digest is stored.
import { createHash, randomBytes } from 'node:crypto';
import type { Config } from '../../platform/config.js';

export function sessionCookieName(config: Pick<Config, 'tls'>): string {
  // The __Host- prefix makes the browser insist on Secure, Path=/ and no Domain (AU-4).
  return config.tls ? '__Host-kindred-session' : 'kindred-session';
}

export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
