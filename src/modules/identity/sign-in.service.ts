// The rules of signing in: one response for every failure (no account enumeration, AU-3),
// throttling that slows an account after repeated failures, and a second factor for everyone.
import { createHash } from 'node:crypto';
import type { ModuleContext } from '../../platform/app.js';
import { verifyAgainstDummy, verifyPassword } from './passwords.js';

/** Consecutive failures allowed before an account is slowed down. */
export const failuresBeforeThrottle = 5;
const baseThrottleSeconds = 60;
const maxThrottleSeconds = 15 * 60;

/** 1 minute after the fifth failure, doubling with each further failure, at most 15 minutes. */
export function throttleSecondsAfter(failures: number): number {
  if (failures < failuresBeforeThrottle) return 0;
  return Math.min(maxThrottleSeconds, baseThrottleSeconds * 2 ** (failures - failuresBeforeThrottle));
}

export function throttleMessage(until: Date, now: Date): string {
  const minutes = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000));
  return `You have tried to sign in too many times. Wait ${minutes} minute${minutes === 1 ? '' : 's'}, then try again.`;
}

export const wrongCredentialsMessage = 'Enter a correct email address and password';

export interface SignInUser {
  id: string;
  email: string;
  name: string;
  status: 'invited' | 'active' | 'deactivated';
  totpEnrolled: boolean;
}

export type PasswordOutcome =
  | { kind: 'ok'; user: SignInUser }
  | { kind: 'wrong'; userId: string | null }
  | { kind: 'throttled'; userId: string | null; until: Date };

/**
 * Failure counts for addresses with no usable account (unknown, invited or deactivated), so
 * they are slowed exactly as a real account would be and the fifth failure does not reveal
 * whether an account exists (AU-3, ASVS v5.0.0-6.3.8). Held in memory, bounded, and keyed by
 * a digest so the addresses themselves are not kept.
 */
export class NoAccountThrottle {
  private readonly entries = new Map<string, { failures: number; until: Date | null }>();

  constructor(private readonly capacity = 10_000) {}

  private key(email: string): string {
    return createHash('sha256').update(email.toLowerCase()).digest('hex');
  }

  current(email: string, now: Date): Date | null {
    const until = this.entries.get(this.key(email))?.until;
    return until && until > now ? until : null;
  }

  recordFailure(email: string, now: Date): Date | null {
    const key = this.key(email);
    const failures = (this.entries.get(key)?.failures ?? 0) + 1;
    const seconds = throttleSecondsAfter(failures);
    const until = seconds === 0 ? null : new Date(now.getTime() + seconds * 1000);
    // Re-inserting keeps the Map in least-recently-failed order, so the oldest entry goes first.
    this.entries.delete(key);
    this.entries.set(key, { failures, until });
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return until;
  }
}

export async function checkPassword(
  context: ModuleContext,
  noAccount: NoAccountThrottle,
  email: string,
  password: string,
): Promise<PasswordOutcome> {
  const now = context.clock();
  const user = await context.db
    .selectFrom('users')
    .select([
      'id',
      'email',
      'name',
      'status',
      'password_hash',
      'throttled_until',
      'failed_sign_ins',
      'totp_enrolled_at',
      'is_demo',
    ])
    .where('email', '=', email.toLowerCase())
    .executeTakeFirst();

  // Demo users share a published password, so they exist only while demo mode is on: a demo
  // database later served without it must not let anyone in as them (issue 3 §8).
  if (!user || !user.password_hash || user.status !== 'active' || (user.is_demo && !context.config.demo)) {
    const userId = user?.id ?? null;
    const throttled = noAccount.current(email, now);
    await verifyAgainstDummy(password);
    if (throttled) return { kind: 'throttled', userId, until: throttled };
    const until = noAccount.recordFailure(email, now);
    return until ? { kind: 'throttled', userId, until } : { kind: 'wrong', userId };
  }
  if (user.throttled_until && user.throttled_until > now) {
    await verifyAgainstDummy(password);
    return { kind: 'throttled', userId: user.id, until: user.throttled_until };
  }
  if (!(await verifyPassword(user.password_hash, password))) {
    const until = await recordFailure(context, user.id);
    return until ? { kind: 'throttled', userId: user.id, until } : { kind: 'wrong', userId: user.id };
  }
  return {
    kind: 'ok',
    user: {
      id: user.id,
      email: user.email,
      name: user.name,
      status: user.status,
      totpEnrolled: !!user.totp_enrolled_at,
    },
  };
}

/** Counts a failure (wrong password or wrong code); returns the throttle end if one now applies. */
export async function recordFailure(context: ModuleContext, userId: string): Promise<Date | null> {
  const now = context.clock();
  const row = await context.db
    .updateTable('users')
    .set((eb) => ({ failed_sign_ins: eb('failed_sign_ins', '+', 1) }))
    .where('id', '=', userId)
    .returning('failed_sign_ins')
    .executeTakeFirstOrThrow();
  const seconds = throttleSecondsAfter(row.failed_sign_ins);
  if (seconds === 0) return null;
  const until = new Date(now.getTime() + seconds * 1000);
  await context.db.updateTable('users').set({ throttled_until: until }).where('id', '=', userId).execute();
  return until;
}

export async function currentThrottle(context: ModuleContext, userId: string): Promise<Date | null> {
  const row = await context.db
    .selectFrom('users')
    .select('throttled_until')
    .where('id', '=', userId)
    .executeTakeFirst();
  return row?.throttled_until && row.throttled_until > context.clock() ? row.throttled_until : null;
}
